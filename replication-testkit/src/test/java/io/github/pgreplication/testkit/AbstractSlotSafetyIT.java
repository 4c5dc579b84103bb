package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import io.github.pgreplication.Resync;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.Command;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A slot that cannot fill the primary's disk: with {@code max_slot_wal_keep_size}, {@code status()} shows how much
 * WAL may still be written before the slot is in danger ({@code safe_wal_size}), and once a standby stayed away
 * beyond it, that its slot lost the WAL it needs, with the fix. Real servers; the WAL is real (segments switched and
 * removed by real checkpoints). Then {@code apply()} says that standby cannot stream and names
 * {@code resync}, which refuses without the permission to overwrite its data directory (nothing changed) and with
 * it clones the standby again with a new slot.
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
                    .contains("SELECT pg_drop_replication_slot('standby1_slot')", "replication.resync(Resync.node(");
            assertThat(after.toTable()).contains("WARNING: slot standby1_slot lost WAL its standby needs");

            resyncBringsItBack(cluster);
        }
    }

    /**
     * The standby whose slot was lost: apply() says at once that it cannot stream and names resync; resync refuses
     * without the permission to overwrite its data directory and leaves everything as it was; with it, it clones the
     * standby again with a new slot, and it streams with the rows written while it was away; a second resync has
     * nothing to do.
     */
    private void resyncBringsItBack(ReplicationCluster cluster) {
        ClusterNode primary = cluster.primary();
        ClusterNode standby = cluster.standby("standby1");
        long started = System.nanoTime();
        assertThatThrownBy(() -> cluster.replication().apply())
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Standby 'standby1' cannot stream: its slot 'standby1_slot' on the primary lost"
                        + " the WAL it needs")
                .hasMessageContaining("replication.resync(Resync.node(\"standby1\"))");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("said at once, not after the streaming timeout")
                .isLessThan(Duration.ofSeconds(30));
        standby.stop();

        String dir = standby.dataDirectory();
        String filesBefore = files(standby);
        String slotBefore = primary.query(SLOT_ROW);
        assertThatThrownBy(() -> cluster.replication().resync(Resync.node("standby1")))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.DATA_DIRECTORY_NOT_EMPTY))
                .hasMessageContaining("Standby 'standby1' needs a re-sync: its slot standby1_slot lost the WAL it"
                        + " needs (wal_status lost), it does not answer.")
                .hasMessageContaining("Ruled out: pg_rewind (same timeline")
                .hasMessageContaining("A full clone with pg_basebackup overwrites its data directory " + dir
                        + ", which needs your permission; nothing was changed")
                .hasMessageContaining("Standby.named(\"standby1\")....withEmptyDataDirectoryAllowed(true), then"
                        + " replication.resync(Resync.node(\"standby1\")).");
        assertThat(files(standby)).as("the data directory, untouched").isEqualTo(filesBefore);
        assertThat(primary.query(SLOT_ROW)).as("the slot, untouched").isEqualTo(slotBefore).startsWith("lost|");

        assertThatThrownBy(() -> cluster.replication().resync(Resync.node("primary")))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.WRONG_ROLE))
                .hasMessageContaining("primary is not a standby of primary but the primary; resync re-syncs a"
                        + " standby. A former primary comes back with replication.rejoin(Rejoin.node(\"primary\"))");

        try (Replication allowed = overwriteAllowed(cluster.replication())) {
            assertThat(allowed.plan(Resync.node("standby1")).toRunbook()).as("the plan says which way and why")
                    .contains("Re-sync standby standby1 from primary: a full clone with pg_basebackup")
                    .contains("pg_drop_replication_slot('standby1_slot')");
            OperationResult result = allowed.resync(Resync.node("standby1"));
            assertThat(result.notes()).as(result.summary()).singleElement().asString()
                    .isEqualTo("standby1 was re-synced from primary (its slot standby1_slot lost the WAL it needs"
                            + " (wal_status lost), it does not answer): cloned with pg_basebackup; slot standby1_slot"
                            + " was dropped (it had lost its WAL) and created again.");
            cluster.awaitReplication();
            assertThat(standby.query("SELECT count(*) FROM slot_filler")).as("the rows written while it was away")
                    .isEqualTo(primary.query("SELECT count(*) FROM slot_filler"));
            assertThat(primary.query("SELECT wal_status, active FROM pg_replication_slots WHERE slot_name ="
                    + " 'standby1_slot'")).isEqualTo("reserved|t");
            assertThat(allowed.status().warnings()).isEmpty();

            OperationResult again = allowed.resync(Resync.node("standby1"));
            assertThat(again.notes()).singleElement().asString().startsWith("standby1: nothing to do: it streams from"
                    + " primary").contains("Resync.node(\"standby1\").withForced(true)");
            assertThat(again.steps()).as("nothing changed").allMatch(o -> o.status() == StepOutcome.Status.CHECKED);
        }

        // Its directory emptied, as a clone that failed halfway leaves it: no cluster to rewind, nothing to overwrite,
        // so resync clones it without the permission and without pg_controldata's failure.
        standby.stop();
        standby.host().run(Command.of("find", dir, "-mindepth", "1", "-delete"));
        OperationResult emptied = cluster.replication().resync(Resync.node("standby1"));
        assertThat(emptied.notes()).as(emptied.summary()).singleElement().asString()
                .isEqualTo("standby1 was re-synced from primary (it does not answer, its data directory " + dir
                        + " is absent or empty): cloned with pg_basebackup.");
        assertThat(emptied.summary()).contains("a clone with pg_basebackup into " + dir);
        cluster.awaitReplication();
        assertThat(standby.query("SELECT count(*) FROM slot_filler")).isEqualTo(primary.query("SELECT count(*) FROM"
                + " slot_filler"));
    }

    private static final String SLOT_ROW = "SELECT wal_status, coalesce(restart_lsn::text, '-'), active FROM"
            + " pg_replication_slots WHERE slot_name = 'standby1_slot'";

    /** @return the data directory's entries with inode, size and time, and the control file's checksum */
    private static String files(ClusterNode node) {
        String dir = node.dataDirectory();
        return node.host().run(Command.of("ls", "-ali", dir)).stdout() + node.host().run(Command.of("cksum", dir
                + "/global/pg_control")).stdout();
    }

    /** @return the same set-up with every standby's data directory allowed to be overwritten */
    private static Replication overwriteAllowed(Replication r) {
        Replication.Builder b = Replication.primary(r.primaryServer()).settings(r.settings())
                .replicationRole(r.role()).allow(r.hbaRules().toArray(HbaRule[]::new)).syncPolicy(r.syncPolicy());
        r.standbys().forEach(s -> b.addStandby(s.withEmptyDataDirectoryAllowed(true)));
        return b.load();
    }
}
