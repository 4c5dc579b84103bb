package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.LocalHost;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A JVM that exits while the machines prepared for its next cluster are still starting, with a shared cluster left to
 * the exit hook, or with a cluster nobody closed: it exits within seconds (it once waited a minute, for a container Testcontainers' own exit hook
 * had removed), leaves no container and no network behind, as Docker reports by the child's session label, and prints
 * no error on the way out. Without Ryuk, Testcontainers' exit hook removes the session's containers at the same time
 * as the testkit's hooks: it used to print {@code Exception in thread "Thread-0" ... NotFoundException} when both
 * removed one container, and the prepared machines' start {@code ERROR ... Could not start container} (see
 * {@link ExitCleanup}).
 */
class SpareMachinesAtExitIT {
    /** Three child JVMs: the race between the exit hooks and the spare's start does not go the same way each time. */
    @Test
    void aJvmExitingWhileTheSpareStartsExitsPromptlyQuietlyAndLeavesNothing() {
        for (int run = 1; run <= 3; run++) {
            exit(run, "spare");
        }
    }

    /** Three child JVMs, each leaving a shared cluster to the exit hook (the 404 came in about one exit of three). */
    @Test
    void aJvmExitingWithASharedClusterExitsQuietlyAndLeavesNothing() {
        for (int run = 1; run <= 3; run++) {
            exit(run, "shared");
        }
    }

    /**
     * Two child JVMs that never close their cluster (a test that forgot to): Testcontainers' own clean-up removes it
     * while the next cluster's machines start, and the exit is as quiet.
     */
    @Test
    void aJvmExitingWithAnUnclosedClusterExitsQuietlyAndLeavesNothing() {
        for (int run = 1; run <= 2; run++) {
            exit(run, "unclosed");
        }
    }

    private static void exit(int run, String mode) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        CommandResult result = LocalHost.current().run(Command.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                        ExitWithSpareProbe.class.getName(), mode)
                .withEnvironment("TESTCONTAINERS_RYUK_DISABLED", "true")
                .withTimeout(Duration.ofMinutes(3)));
        long exited = System.currentTimeMillis();
        String session = line(result, "probe: session ");
        long closed = Long.parseLong(line(result, "probe: closed at "));

        // The exit waits at most 3 s for the spare to finish starting, then removes it (about 1 s more).
        assertThat(exited - closed).as("run %d: ms from the cluster's close to the JVM's exit", run)
                .isLessThan(10_000);
        // Ryuk's absence is announced with a WARN; nothing else may warn, fail or die on the way out (the child logs
        // at DEBUG, where the testkit reports what it ignored).
        String output = result.stdout() + result.stderr();
        assertThat(output.lines().filter(l -> l.startsWith("Exception in thread") || l.contains(" ERROR ")
                        || l.contains(" WARN ") && !l.contains("ResourceReaper")))
                .as("run %d (%s): errors printed by the child JVM:%n%s", run, mode, output).isEmpty();
        var docker = DockerClientFactory.instance().client();
        String label = "org.testcontainers.sessionId=" + session;
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(java.util.List.of(label)).exec())
                .as("run %d: containers of the child JVM", run).isEmpty();
        assertThat(docker.listNetworksCmd().exec()).as("run %d: networks of the child JVM", run)
                .noneMatch(n -> session.equals(n.getLabels() == null ? null
                        : n.getLabels().get("org.testcontainers.sessionId")));
    }

    private static String line(CommandResult result, String prefix) {
        return result.stdout().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("the probe printed no '" + prefix + "':\n"
                        + result.stdout() + result.stderr()));
    }
}
