package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/**
 * Startup check for the testkit's machines: the container counts as started once Docker reports it running, polled
 * every 10 ms. Testcontainers' default check goes through one rate limiter shared by every container of the JVM
 * (one inspection per second), so three machines started together were seen running one second apart.
 */
final class RunningCheck extends StartupCheckStrategy {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public boolean waitUntilStartupSuccessful(DockerClient docker, String containerId) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            StartupStatus status = checkStartupState(docker, containerId);
            if (status != StartupStatus.NOT_YET_KNOWN) {
                return status == StartupStatus.SUCCESSFUL;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public StartupStatus checkStartupState(DockerClient docker, String containerId) {
        InspectContainerResponse.ContainerState state = getCurrentState(docker, containerId);
        if (Boolean.TRUE.equals(state.getRunning())) {
            return StartupStatus.SUCCESSFUL;
        }
        String status = state.getStatus();
        // A machine runs "sleep infinity": one that exited or died did not start.
        return "exited".equals(status) || "dead".equals(status) ? StartupStatus.FAILED
                : StartupStatus.NOT_YET_KNOWN;
    }
}
