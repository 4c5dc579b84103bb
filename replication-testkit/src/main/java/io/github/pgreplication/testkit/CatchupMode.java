package io.github.pgreplication.testkit;

/**
 * Which position of a standby, as its upstream reports it in {@code pg_stat_replication}, a catch-up wait compares
 * with its target ({@code Cluster.pm}'s {@code wait_for_catchup} modes).
 */
public enum CatchupMode {
    /** WAL sent to the standby ({@code sent_lsn}). */
    SENT("sent_lsn"),
    /** WAL written by the standby ({@code write_lsn}). */
    WRITE("write_lsn"),
    /** WAL flushed by the standby ({@code flush_lsn}). */
    FLUSH("flush_lsn"),
    /** WAL replayed by the standby, visible to its queries ({@code replay_lsn}). */
    REPLAY("replay_lsn");

    private final String column;

    CatchupMode(String column) {
        this.column = column;
    }

    /** @return the column of pg_stat_replication */
    String column() {
        return column;
    }
}
