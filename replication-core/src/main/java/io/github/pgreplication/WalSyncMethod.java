package io.github.pgreplication;

/** Values of {@code wal_sync_method}; which ones work depends on the operating system. */
public enum WalSyncMethod {
    /** {@code open_datasync} */
    OPEN_DATASYNC("open_datasync"),
    /** {@code fdatasync} */
    FDATASYNC("fdatasync"),
    /** {@code fsync} */
    FSYNC("fsync"),
    /** {@code fsync_writethrough} */
    FSYNC_WRITETHROUGH("fsync_writethrough"),
    /** {@code open_sync} */
    OPEN_SYNC("open_sync");

    private final String value;

    WalSyncMethod(String value) {
        this.value = value;
    }

    /** @return the value as written in postgresql.conf */
    public String toPostgres() {
        return value;
    }
}
