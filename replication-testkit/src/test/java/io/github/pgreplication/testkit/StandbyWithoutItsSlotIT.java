package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.StandbyNotStreamingException;
import io.github.pgreplication.StepFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The streaming check asks the primary which slot the standby's WAL sender holds. A standby whose postgresql.auto.conf
 * names its slot but whose running server was never reloaded streams without it; every configuration step then finds
 * nothing to do, and the check alone can tell. It refuses at once, naming the slot and the fix, instead of passing
 * (before) or waiting out the streaming timeout. The same for a standby that streams through another slot.
 */
class StandbyWithoutItsSlotIT {
    private static final String SLOT_OF_STANDBY1 = "SELECT coalesce(s.slot_name::text, '(none)') FROM"
            + " pg_stat_replication r LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid"
            + " WHERE r.application_name = 'standby1' AND r.state = 'streaming'";

    @Test
    void aStandbyStreamingWithoutItsSlotIsRefusedAtOnceNamingTheSlotAndTheFix() {
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            ClusterNode primary = cluster.primary();
            ClusterNode standby = cluster.standby(0);
            assertThat(primary.query(SLOT_OF_STANDBY1)).as("standby1's slot, as the cluster starts")
                    .isEqualTo("standby1_slot");
            // The running standby drops its slot (primary_slot_name is reloadable since PostgreSQL 13) ...
            standby.query("ALTER SYSTEM RESET primary_slot_name");
            standby.query("SELECT pg_reload_conf()");
            Waits.until("standby1 streaming without a slot", Duration.ofSeconds(30),
                    () -> primary.query(SLOT_OF_STANDBY1).equals("(none)"));
            // ... and its file names the slot again, without a reload: the configuration looks right.
            standby.query("ALTER SYSTEM SET primary_slot_name = 'standby1_slot'");

            long start = System.nanoTime();
            assertThatThrownBy(() -> cluster.replication().apply()).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Step failed on standby1: standby is in recovery, its WAL receiver streams,"
                            + " the primary lists it streaming through slot standby1_slot")
                    .cause().isInstanceOfSatisfying(StandbyNotStreamingException.class, e -> {
                        assertThat(e.standby()).isEqualTo("standby1");
                        assertThat(e.getMessage()).contains("Standby 'standby1' streams, but not through its slot"
                                + " 'standby1_slot': the primary's WAL sender for it holds no slot")
                                .contains("Set primary_slot_name = 'standby1_slot'").contains("then a reload");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time until apply() refused")
                    .isLessThan(Duration.ofSeconds(10));

            // The fix the message gives: a reload; the same apply() then passes.
            standby.query("SELECT pg_reload_conf()");
            Waits.until("standby1 streaming through its slot", Duration.ofSeconds(30),
                    () -> primary.query(SLOT_OF_STANDBY1).equals("standby1_slot"));
            cluster.replication().apply();
        }
    }

    @Test
    void aStandbyStreamingThroughAnotherSlotIsRefusedNamingBoth() {
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            ClusterNode primary = cluster.primary();
            ClusterNode standby = cluster.standby(0);
            primary.query("SELECT pg_create_physical_replication_slot('other_slot')");
            standby.query("ALTER SYSTEM SET primary_slot_name = 'other_slot'");
            standby.query("SELECT pg_reload_conf()");
            Waits.until("standby1 streaming through other_slot", Duration.ofSeconds(30),
                    () -> primary.query(SLOT_OF_STANDBY1).equals("other_slot"));
            standby.query("ALTER SYSTEM SET primary_slot_name = 'standby1_slot'"); // the file only, no reload

            assertThatThrownBy(() -> cluster.replication().apply()).isInstanceOf(StepFailedException.class)
                    .cause().isInstanceOfSatisfying(StandbyNotStreamingException.class, e -> assertThat(
                            e.getMessage()).contains("Standby 'standby1' streams, but not through its slot"
                                    + " 'standby1_slot': the primary's WAL sender for it holds slot 'other_slot'")
                            .contains("Set primary_slot_name = 'standby1_slot'"));
        }
    }
}
