package io.github.pgreplication.testkit;

/** How {@link ClusterNode#stop(StopMode)} shuts a server down: {@code pg_ctl stop -m smart|fast|immediate}. */
public enum StopMode {
    /** Waits for every session to end. */
    SMART,
    /** Rolls back open transactions, disconnects sessions, writes a shutdown checkpoint: a clean stop. */
    FAST,
    /** Quits at once without a checkpoint, as a crash would; the next start runs crash recovery. */
    IMMEDIATE;

    /** @return the mode as pg_ctl spells it */
    String pgCtl() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
