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
 * A JVM that exits while the machines prepared for its next cluster are still starting: it exits within seconds (it
 * once waited a minute, for a container Testcontainers' own exit hook had removed) and leaves no container and no
 * network behind, as Docker reports by the child's session label.
 */
class SpareMachinesAtExitIT {
    /** Three child JVMs: the race between the exit hooks and the spare's start does not go the same way each time. */
    @Test
    void aJvmExitingWhileTheSpareStartsExitsPromptlyAndLeavesNothing() {
        for (int run = 1; run <= 3; run++) {
            exitWhileTheSpareStarts(run);
        }
    }

    private static void exitWhileTheSpareStarts(int run) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        CommandResult result = LocalHost.current().run(Command.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                        ExitWithSpareProbe.class.getName())
                .withEnvironment("TESTCONTAINERS_RYUK_DISABLED", "true")
                .withTimeout(Duration.ofMinutes(3)));
        long exited = System.currentTimeMillis();
        String session = line(result, "probe: session ");
        long closed = Long.parseLong(line(result, "probe: closed at "));

        // The exit waits at most 3 s for the spare to finish starting, then removes it (about 1 s more).
        assertThat(exited - closed).as("run %d: ms from the cluster's close to the JVM's exit", run)
                .isLessThan(10_000);
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
