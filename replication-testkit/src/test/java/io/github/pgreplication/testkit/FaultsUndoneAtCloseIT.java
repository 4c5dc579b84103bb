package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A cluster closed in the middle of its faults leaves nothing behind in Docker. */
class FaultsUndoneAtCloseIT {
    @Test
    void closeUndoesPauseAndPartitionAndRemovesEveryContainerAndTheNetwork() {
        ReplicationCluster cluster = ReplicationCluster.start(1);
        String network = cluster.network().getId();
        List<String> containers = cluster.nodes().stream().map(n -> n.container().getContainerId()).toList();
        cluster.standby(0).pause();
        cluster.primary().partition();
        assertThat(DockerState.paused(containers.get(1))).isTrue();
        assertThat(DockerState.address(containers.get(0), network)).isEmpty();

        cluster.close();
        for (String id : containers) {
            assertThat(DockerState.containerExists(id)).as("container %s removed", id).isFalse();
        }
        assertThat(DockerState.networkExists(network)).as("network removed").isFalse();
    }
}
