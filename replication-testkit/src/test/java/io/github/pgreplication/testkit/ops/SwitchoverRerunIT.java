package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Replication;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import org.junit.jupiter.api.Test;

/**
 * A switchover run again from the description it started from, after it went through (a program that stopped before
 * it kept the new Replication, or one whose last check failed and that follows the advice to run it again): it finds
 * the old primary already streaming from the target and finishes without stopping anything.
 */
class SwitchoverRerunIT {

    @Test
    void aSwitchoverRunAgainFromTheOldDescriptionFinishesWithoutStoppingTheNewStandby() {
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            Replication before = cluster.replication();
            ClusterNode old = cluster.primary();
            cluster.switchover("standby1");
            String oldStarted = old.query("SELECT pg_postmaster_start_time()");

            OperationResult again = before.switchover(Switchover.to("standby1"));
            System.out.println(again.summary());

            assertThat(again.replication().topology().primary()).isEqualTo("standby1");
            assertThat(again.replication().topology().standbys()).containsExactlyInAnyOrder("primary", "standby2");
            assertThat(old.query("SELECT pg_postmaster_start_time()")).as("the old primary was not stopped again")
                    .isEqualTo(oldStarted);
            assertThat(Ops.senderHost(old)).isEqualTo("standby1 streaming");
            assertThat(Ops.senderHost(cluster.node("standby2"))).isEqualTo("standby1 streaming");
            again.replication().close();
        }
    }
}
