package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A primary whose server-side limits (set outside the description) are too small for the standbys: the check reports
 * the value, what is needed and the setting to add, before anything changes on the primary or on any standby.
 */
class PrimaryCheckIT {
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "tight", "idle");
        machines.initDatabase("tight");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    /** Sets server limits the way an administrator would before the library comes along, then restarts. */
    private static void limits(int walSenders, int replicationSlots) {
        ClusterNode tight = machines.machine("tight");
        tight.query("ALTER SYSTEM SET max_wal_senders = " + walSenders);
        tight.query("ALTER SYSTEM SET max_replication_slots = " + replicationSlots);
        ServiceControl.pgCtl().perform(io.github.pgreplication.host.ServiceControl.ServiceAction.RESTART, tight.host(),
                tight.dataDirectory());
    }

    private static Replication twoStandbys() {
        ClusterNode tight = machines.machine("tight");
        ClusterNode idle = machines.machine("idle");
        return Replication.primary(Primary.at(tight.internalEndpoint())
                        .withName("tight")
                        .withAdminEndpoint(tight.endpoint())
                        .withAdmin("postgres", tight.password())
                        .withHost(tight.host()))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of("never-used")))
                .addStandby(Standby.named("one").withHost(idle.host()).withDataDirectory("/var/lib/postgresql/one"))
                .addStandby(Standby.named("two").withHost(idle.host()).withDataDirectory("/var/lib/postgresql/two")
                        .withPort(5433)) // one machine: load() refuses two standbys on one port
                .load();
    }

    private static void assertNothingChanged() {
        assertThat(machines.machine("tight").query("SELECT count(*) FROM pg_roles WHERE rolname = 'replicator'"))
                .as("role created on the primary").isEqualTo("0");
        assertThat(machines.machine("tight").query("SELECT count(*) FROM pg_replication_slots"))
                .as("slots on the primary").isEqualTo("0");
        assertThat(machines.machine("idle").host().run(Command.of("sh", "-c", "for p in /var/lib/postgresql/.pgpass-*"
                + " /var/lib/postgresql/one /var/lib/postgresql/two; do if [ -e \"$p\" ]; then echo \"$p\"; fi; done"))
                .stdout()).as("passfiles or data directories on the standbys' host").isEmpty();
    }

    @Test
    void tooFewWalSendersOnTheServerAreReportedBeforeAnythingChanges() {
        limits(2, 10);
        try (Replication replication = twoStandbys()) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Step failed on tight: primary is reachable")
                    .hasMessageContaining("max_wal_senders on 'tight' is 2 but 2 standbys")
                    .hasMessageContaining(".withMaxWalSenders(")
                    .hasMessageContaining("Already done on tight: nothing")
                    .hasMessageNotContaining("Meanwhile");
        }
        assertNothingChanged();
    }

    @Test
    void tooFewReplicationSlotsOnTheServerAreReportedBeforeAnythingChanges() {
        limits(10, 1);
        try (Replication replication = twoStandbys()) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("max_replication_slots on 'tight' is 1 but 2 standbys need one slot each")
                    .hasMessageContaining(".withMaxReplicationSlots(2)");
        }
        assertNothingChanged();
    }
}
