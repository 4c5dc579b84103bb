package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A slot that cannot fill the primary's disk: with {@code max_slot_wal_keep_size}, {@code status()} shows how much
 * WAL may still be written before the slot is in danger ({@code safe_wal_size}), and once a standby stayed away
 * beyond it, that its slot lost the WAL it needs, with the fix. Real servers; the WAL is real (segments switched and
 * removed by real checkpoints).
 */
abstract class AbstractSlotSafetyIT {
    abstract int major();

    @Test
    void aStandbyAwayBeyondTheLimitIsReportedLostWithTheFix() {
        // wal_keep_size 0: only the slot keeps WAL for the standby, up to 32 MB (two segments).
        PrimarySettings settings = PrimarySettings.empty().withMaxSlotWalKeepSize(DataSize.ofMegabytes(32))
                .withWalKeepSize(DataSize.ofMegabytes(0));
        try (ReplicationCluster cluster = ReplicationCluster.builder().postgresMajor(major()).standbys(1)
                .settings(settings).start()) {
            ReplicationStatus before = cluster.replication().status();
            SlotStatus fresh = before.slot("standby1_slot").orElseThrow();
            assertThat(fresh.walStatus()).isEqualTo("reserved");
            assertThat(fresh.safeWalBytes()).as("a streaming slot under the limit may take more WAL").isPositive();
            assertThat(fresh.lost()).isFalse();
            assertThat(before.warnings()).isEmpty();

            cluster.standby("standby1").stop();
            ClusterNode primary = cluster.primary();
            primary.query("CREATE TABLE slot_filler (n int)");
            Waits.until("standby1_slot to lose its WAL", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 3; i++) {
                    primary.query("INSERT INTO slot_filler SELECT generate_series(1, 1000)");
                    primary.query("SELECT pg_switch_wal()");
                }
                primary.query("CHECKPOINT");
                return cluster.replication().status().slot("standby1_slot").orElseThrow().lost();
            });

            ReplicationStatus after = cluster.replication().status();
            SlotStatus lost = after.slot("standby1_slot").orElseThrow();
            System.out.println("PG " + major() + " after the standby stayed away:\n" + after.toTable());
            assertThat(lost.walStatus()).isEqualTo("lost");
            assertThat(lost.safeWalBytes()).as("nothing is safe for a lost slot").isNull();
            assertThat(after.warnings()).singleElement().asString()
                    .startsWith("slot standby1_slot lost WAL its standby needs")
                    .contains("SELECT pg_drop_replication_slot('standby1_slot')");
            assertThat(after.toTable()).contains("WARNING: slot standby1_slot lost WAL its standby needs");
        }
    }
}
