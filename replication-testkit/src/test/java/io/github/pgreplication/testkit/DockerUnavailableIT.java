package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JUnit extension on a machine without a reachable Docker engine, for real: a child JVM runs in a mount
 * namespace of its own where {@code /dev/null} covers {@code /var/run/docker.sock}, so Testcontainers finds no engine
 * there while every other process on the machine still does.
 */
class DockerUnavailableIT {
    private static final String SOCKET = "/var/run/docker.sock";

    @BeforeAll
    static void needsRootUnshareAndTheDefaultSocket() {
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace needs root (CI runs as root)");
        assumeTrue(Files.exists(Path.of(SOCKET)), "the engine's socket is not " + SOCKET);
        assumeTrue(LocalHost.current().execute(Command.of("unshare", "--help")).succeeded(), "no unshare(1)");
    }

    private static String probe(String mode) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        CommandResult result = LocalHost.current().run(Command.of("unshare", "-m", "sh", "-c",
                        "mount --bind /dev/null \"$1\" && shift && exec \"$@\"", "sh", SOCKET,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                        NoDockerProbe.class.getName(), mode)
                .withEnvironment("TESTCONTAINERS_RYUK_DISABLED", "true")
                .withTimeout(Duration.ofMinutes(2)));
        return result.stdout().lines().filter(l -> l.startsWith("probe: ")).findFirst()
                .orElseThrow(() -> new AssertionError("the probe printed no result:\n" + result.stdout()
                        + result.stderr()));
    }

    @Test
    void skipWhenDockerUnavailableAbortsTheTestsSayingWhy() {
        assertThat(probe("skip"))
                .startsWith("probe: aborted: ")
                .contains("No Docker engine is reachable")
                .contains("Skipping, as asked with skipWhenDockerUnavailable()");
    }

    @Test
    void withoutItTheTestsFailSayingHowToStartAnEngineOrSkip() {
        assertThat(probe("fail"))
                .startsWith("probe: failed: java.lang.IllegalStateException: No Docker engine is reachable")
                .contains("scripts/ensure-docker.sh")
                .contains(".skipWhenDockerUnavailable()");
    }
}
