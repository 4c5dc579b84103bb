package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Failover;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.StopMode;
import org.junit.jupiter.api.Test;

/**
 * A standby described with its own slot name goes through a switchover and back as it was described: when it is a
 * standby again, the new primary makes its slot under that name, not the default {@code <name>_slot}.
 */
class StandbyDescriptionKeptIT {

    @Test
    void aStandbysOwnSlotNameSurvivesASwitchoverAndBack() {
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "p", "s1")) {
            machines.initDatabase("p");
            ClusterNode p = machines.machine("p");
            ClusterNode s1 = machines.machine("s1");
            Replication replication = Replication.primary(Primary.at(p.internalEndpoint()).withName("p")
                            .withAdminEndpoint(p.endpoint()).withAdmin(p.username(), p.password())
                            .withHost(p.host()).withDataDirectory(p.dataDirectory())
                            .withService(ServiceControl.pgCtl()))
                    .replicationRole(ReplicationRole.named("replicator"))
                    .allow(HbaRule.parse("host replication replicator samenet trust"))
                    .addStandby(Standby.named("s1").withSlot("s1_own").withHost(s1.host())
                            .withDataDirectory(s1.dataDirectory()).withEndpoint(s1.internalEndpoint())
                            .withAdminEndpoint(s1.endpoint(), s1.username(), s1.password())
                            .withCloneMethods(BaseBackup.defaults().withSync(false)))
                    .load();
            replication.apply();
            assertThat(AbstractOperationsIT.slots(p)).isEqualTo("s1_own:true");

            OperationResult there = replication.switchover(Switchover.to("s1"));
            assertThat(AbstractOperationsIT.slots(s1)).as("p has the default description: never described")
                    .isEqualTo("p_slot:true");
            OperationResult back = there.replication().switchover(Switchover.to("p"));

            assertThat(back.replication().topology().primary()).isEqualTo("p");
            assertThat(AbstractOperationsIT.slots(p)).as("s1 is a standby again under its own slot name")
                    .isEqualTo("s1_own:true");
            assertThat(s1.query("SELECT current_setting('primary_slot_name')")).isEqualTo("s1_own");
            assertThat(AbstractOperationsIT.slots(s1)).as("and keeps none of the slots it had as primary").isEmpty();
            back.replication().close();
            there.replication().close();
            replication.close();
        }
    }

    /**
     * The slot of a standby removed while the old primary was down stays on the old primary, which no longer knows
     * that standby as part of the topology: the rejoin drops it too (a clean stop, so no rewind clears pg_replslot).
     */
    @Test
    void aRejoinedOldPrimaryDropsTheSlotOfAStandbyRemovedWhileItWasDown() {
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            ClusterNode old = cluster.primary();
            old.stop(StopMode.FAST);
            cluster.failover(Failover.to("standby1"));
            cluster.removeStandby("standby2", true);
            OperationResult rejoin = cluster.rejoin("primary");
            assertThat(rejoin.discarded()).as("a clean stop: nothing to rewind").isEmpty();
            assertThat(AbstractOperationsIT.slots(old)).as("neither standby1's nor the removed standby2's slot")
                    .isEmpty();
            assertThat(AbstractOperationsIT.slots(cluster.primary())).isEqualTo("primary_slot:true");
        }
    }
}
