package io.github.pgreplication.testkit;

/**
 * Which WAL position {@link ClusterNode#lsn(LsnMode)} reads, as PostgreSQL's own harness names them
 * ({@code Cluster.pm}'s {@code lsn($mode)}).
 */
public enum LsnMode {
    /** On a primary: the end of the last inserted WAL record, {@code pg_current_wal_insert_lsn()}. */
    INSERT("pg_current_wal_insert_lsn()", false),
    /** On a primary: the position written out to the kernel, {@code pg_current_wal_lsn()}. */
    WRITE("pg_current_wal_lsn()", false),
    /** On a primary: the position flushed to disk, {@code pg_current_wal_flush_lsn()}. */
    FLUSH("pg_current_wal_flush_lsn()", false),
    /** On a standby: the last position received and flushed by streaming, {@code pg_last_wal_receive_lsn()}. */
    RECEIVE("pg_last_wal_receive_lsn()", true),
    /** On a standby: the last position replayed, {@code pg_last_wal_replay_lsn()}. */
    REPLAY("pg_last_wal_replay_lsn()", true);

    private final String function;
    private final boolean standby;

    LsnMode(String function, boolean standby) {
        this.function = function;
        this.standby = standby;
    }

    /** @return the SQL function call that reads it */
    String function() {
        return function;
    }

    /** @return whether the position exists on a standby only (else on a primary only) */
    boolean onStandby() {
        return standby;
    }
}
