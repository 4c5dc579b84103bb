package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** status() from the rows of its one query: differences from the same positions, configured standbys first. */
class StatusRowsTest {

    private static List<String> row(String... columns) {
        return Arrays.asList(columns);
    }

    private static final List<List<String>> ROWS = List.of(
            row("standby", "zeta", "streaming", "async", "0/3000100", "0/3000100", "0/3000000", "0/2FFFF00", "12"),
            row("standby", "alpha", "catchup", "sync", "0/2000000", "0/2000000", "0/2000000", null, null),
            row("slot", "zeta_slot", "t", "reserved", "0/2FFF000", null, null, null, null),
            row("slot", "alpha_slot", "f", "extended", null, null, null, null, null),
            row("primary", null, null, null, "0/3000200", null, null, null, null));

    @Test
    void lagAndRetainedBytesAreThePrimaryPositionMinusTheRowsPositions() {
        ReplicationStatus status = StatusRows.parse(ROWS, List.of("zeta"));
        assertThat(status.primaryLsn()).isEqualTo(Lsn.parse("0/3000200"));
        StandbyStatus zeta = status.standby("zeta").orElseThrow();
        assertThat(zeta.lagBytes()).isEqualTo(0x3000200L - 0x2FFFF00L)
                .isEqualTo(status.primaryLsn().minus(zeta.replayLsn()));
        assertThat(zeta.replayLag()).isEqualTo(Duration.ofMillis(12));
        assertThat(zeta.flushLsn()).isEqualTo(Lsn.parse("0/3000000"));
        assertThat(status.slot("zeta_slot").orElseThrow().retainedBytes()).isEqualTo(0x3000200L - 0x2FFF000L);
        assertThat(status.slot("zeta_slot").orElseThrow().active()).isTrue();
    }

    @Test
    void slotsCarrySafeWalSizeAndWarnBeforeAndAfterTheirWalIsLost() {
        ReplicationStatus status = StatusRows.parse(List.of(
                row("slot", "near_slot", "f", "unreserved", "0/1000000", "-4096", null, null, null),
                row("slot", "gone_slot", "f", "lost", null, null, null, null, null),
                row("slot", "fine_slot", "t", "reserved", "0/2FFF000", "50331648", null, null, null),
                row("slot", "free_slot", "t", "reserved", "0/2FFF000", null, null, null, null),
                row("primary", null, null, null, "0/3000200", null, null, null, null)), List.of());

        assertThat(status.slot("fine_slot").orElseThrow().safeWalBytes()).isEqualTo(48L * 1024 * 1024);
        assertThat(status.slot("near_slot").orElseThrow().safeWalBytes()).isEqualTo(-4096L);
        assertThat(status.slot("free_slot").orElseThrow().safeWalBytes()).as("no max_slot_wal_keep_size").isNull();
        assertThat(status.slot("gone_slot").orElseThrow().lost()).isTrue();
        assertThat(status.slot("fine_slot").orElseThrow().warning()).isEmpty();
        assertThat(status.slot("free_slot").orElseThrow().warning()).isEmpty();
        assertThat(status.warnings()).hasSize(2);
        assertThat(status.slot("gone_slot").orElseThrow().warning().orElseThrow())
                .startsWith("slot gone_slot lost WAL its standby needs (wal_status lost")
                .contains("SELECT pg_drop_replication_slot('gone_slot')", "withEmptyDataDirectoryAllowed(true)",
                        "replication.resync(Resync.node(");
        assertThat(status.slot("near_slot").orElseThrow().warning().orElseThrow())
                .startsWith("slot near_slot keeps more WAL than max_slot_wal_keep_size (wal_status unreserved)")
                .contains("next checkpoint", "raise max_slot_wal_keep_size");
        assertThat(status.toTable()).contains("safe_wal_bytes", "50331648", "WARNING: slot gone_slot lost",
                "WARNING: slot near_slot keeps more WAL");
    }

    @Test
    void theStatementReadsEachSlotsSafeWalSize() {
        assertThat(Sql.STATUS).contains("wal_status::text, restart_lsn::text, safe_wal_size::text");
    }

    @Test
    void unknownPositionsGiveNullDifferencesNotZero() {
        ReplicationStatus status = StatusRows.parse(ROWS, List.of());
        StandbyStatus alpha = status.standby("alpha").orElseThrow();
        assertThat(alpha.replayLsn()).isNull();
        assertThat(alpha.lagBytes()).as("no replay position: no lag figure").isNull();
        assertThat(alpha.replayLag()).isNull();
        assertThat(status.slot("alpha_slot").orElseThrow().retainedBytes()).isNull();
        assertThat(status.slot("alpha_slot").orElseThrow().active()).isFalse();
    }

    @Test
    void configuredStandbysComeFirstInTheirOrderThenOthersByName() {
        ReplicationStatus status = StatusRows.parse(ROWS, List.of("missing", "zeta"));
        assertThat(status.standbys()).extracting(s -> s.name() + ":" + s.state())
                .containsExactly("missing:disconnected", "zeta:streaming", "alpha:catchup");
        assertThat(status.standby("missing").orElseThrow().lagBytes()).isNull();
        assertThat(status.slots()).extracting(s -> s.name()).containsExactly("alpha_slot", "zeta_slot");
    }

    @Test
    void aStandbyListedTwiceIsReportedOnce() {
        List<List<String>> rows = List.of(
                row("standby", "s", "streaming", "async", null, null, null, "0/10", null),
                row("standby", "s", "startup", "async", null, null, null, null, null),
                row("primary", null, null, null, "0/20", null, null, null, null));
        assertThat(StatusRows.parse(rows, List.of("s")).standbys()).hasSize(1);
    }

    @Test
    void rowsWithoutThePrimaryPositionAreRefusedSayingSo() {
        assertThatThrownBy(() -> StatusRows.parse(ROWS.subList(0, 4), List.of()))
                .isInstanceOf(ReplicationException.class)
                .hasMessageContaining("no primary position");
    }

    @Test
    void theStatementReadsThePrimaryPositionLastInOneStatement() {
        String sql = Sql.STATUS;
        assertThat(sql.indexOf("pg_current_wal_lsn()")).as("primary position read after the others")
                .isGreaterThan(sql.indexOf("pg_stat_replication")).isGreaterThan(sql.indexOf("pg_replication_slots"));
        assertThat(sql).as("no difference computed by the server at another instant").doesNotContain("pg_wal_lsn_diff");
        assertThat(sql.split("pg_current_wal_lsn", -1)).as("the position is read once").hasSize(2);
    }
}
