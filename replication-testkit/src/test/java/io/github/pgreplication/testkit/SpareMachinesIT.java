package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The machines prepared for the next cluster ({@link SpareMachines}), checked through Docker: the next start of the
 * same shape runs on them, a start of another shape or a spare that lost a container removes them, switching
 * prefetching off prepares nothing, and nothing is left once discarded.
 */
class SpareMachinesIT {
    @BeforeEach
    void prefetchingOnAndNoSpare() {
        // The property wins over PGREPLICATION_PREFETCH, which a run may set.
        System.setProperty(SpareMachines.PROPERTY, "true");
        SpareMachines.discard();
    }

    @AfterEach
    void noSpare() {
        System.clearProperty(SpareMachines.PROPERTY);
        SpareMachines.discard();
    }

    @Test
    void theNextClusterOfTheSameShapeRunsOnTheMachinesPreparedWhileTheFirstRan() {
        List<String> spareIds;
        try (ReplicationCluster first = ReplicationCluster.start(1)) {
            PostgresMachines spare = SpareMachines.peek().orElseThrow();
            assertThat(spare.allRunning()).isTrue();
            spareIds = ids(spare.machines());
            assertThat(spareIds).doesNotContainAnyElementsOf(ids(first.nodes()));
            assertThat(spare.machines()).extracting(ClusterNode::name).containsExactly("primary", "standby1");
        }
        try (ReplicationCluster second = ReplicationCluster.start(1)) {
            assertThat(ids(second.nodes())).containsExactlyElementsOf(spareIds);
            // It streams: a spare is only containers, and the library set the cluster up on them as on new ones.
            second.primary().query("CREATE TABLE t AS SELECT 1 AS x");
            second.awaitReplication();
            assertThat(second.standby(0).query("SELECT count(*) FROM t")).isEqualTo("1");
            // ... and a new spare is being prepared for the cluster after it.
            assertThat(ids(SpareMachines.peek().orElseThrow().machines())).doesNotContainAnyElementsOf(spareIds);
        }
    }

    @Test
    void aStartOfAnotherShapeRemovesTheSpareAndRunsOnNewMachines() {
        ReplicationCluster.start(1).close();
        PostgresMachines spare = SpareMachines.peek().orElseThrow();
        List<String> spareIds = ids(spare.machines());
        String spareNetwork = spare.network().getId();
        try (ReplicationCluster two = ReplicationCluster.start(2)) {
            assertThat(ids(two.nodes())).doesNotContainAnyElementsOf(spareIds);
        }
        awaitRemoved(spareIds);
        assertThat(DockerState.networkExists(spareNetwork)).as("spare network removed").isFalse();
    }

    @Test
    void aSpareThatLostAContainerIsRemovedAndTheStartUsesNewMachines() {
        ReplicationCluster.start(1).close();
        List<String> spareIds = ids(SpareMachines.peek().orElseThrow().machines());
        DockerClientFactory.instance().client().removeContainerCmd(spareIds.get(1)).withForce(true).exec();
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            assertThat(ids(cluster.nodes())).doesNotContainAnyElementsOf(spareIds);
            assertThat(cluster.standby(0).query("SELECT pg_is_in_recovery()")).isEqualTo("t");
        }
        awaitRemoved(spareIds);
    }

    @Test
    void withPrefetchingOffNothingIsPrepared() {
        System.setProperty(SpareMachines.PROPERTY, "false");
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            assertThat(SpareMachines.peek()).isEmpty();
        }
    }

    @Test
    void discardRemovesTheSpareContainersAndItsNetwork() {
        ReplicationCluster.start(1).close();
        PostgresMachines spare = SpareMachines.peek().orElseThrow();
        List<String> spareIds = ids(spare.machines());
        String network = spare.network().getId();

        SpareMachines.discard();

        assertThat(SpareMachines.peek()).isEmpty();
        for (String id : spareIds) {
            assertThat(DockerState.containerExists(id)).as("container %s removed", id).isFalse();
        }
        assertThat(DockerState.networkExists(network)).as("network removed").isFalse();
    }

    private static List<String> ids(List<ClusterNode> nodes) {
        return nodes.stream().map(n -> n.container().getContainerId()).toList();
    }

    /** A spare is removed in the background when a start does not use it. */
    private static void awaitRemoved(List<String> ids) {
        Waits.until("spare containers removed", java.time.Duration.ofSeconds(30),
                () -> ids.stream().noneMatch(DockerState::containerExists));
    }
}
