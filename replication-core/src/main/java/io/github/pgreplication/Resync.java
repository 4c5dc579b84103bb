package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Re-syncs a standby that cannot stream any more: its slot lost the WAL it needs ({@code wal_status = lost}), the
 * primary removed that WAL, or it diverged on a timeline. Passed to {@link Replication#resync(Resync)} and
 * {@link Replication#plan(Resync)}, which choose, in order, {@code pg_rewind} when the standby's WAL diverged on a
 * timeline, a re-sync in place when its first clone method keeps the data directory (a pgBackRest restore with
 * {@code withDelta(true)}), then a full clone; the last two overwrite the data directory and need the standby's
 * {@link Standby#withEmptyDataDirectoryAllowed(boolean)}. A data directory that holds no cluster (absent, emptied by
 * a clone that failed, never finished) rules pg_rewind out; when it is absent or empty, the clone needs no permission,
 * as there is nothing to overwrite. The standby is stopped first, and counts as stopped only when it neither answers
 * nor runs ({@code pg_ctl status}: a server starting or in crash recovery runs). A standby that streams is left alone
 * unless forced.
 *
 * <pre>{@code
 * OperationResult r = replication.resync(Resync.node("eshub"));
 * r.notes().forEach(System.out::println);   // eshub was re-synced with ...; slot eshub_slot created again
 * }</pre>
 *
 * @param node          the standby to re-sync
 * @param forced        whether to re-sync it even when it streams; default false
 * @param streamTimeout how long it may take to stream once started; default 60 s
 */
public record Resync(String node, boolean forced, Duration streamTimeout) {
    /**
     * Checks for nulls and ranges.
     *
     * @param node          the standby to re-sync
     * @param forced        whether to re-sync it even when it streams; default false
     * @param streamTimeout how long it may take to stream once started; default 60 s
     */
    public Resync {
        Objects.requireNonNull(node, "node must not be null: name the standby to re-sync, e.g. Resync.node(\"eshub\")");
        Switchover.positive("streamTimeout", streamTimeout);
    }

    /**
     * @param name the standby to re-sync
     * @return a re-sync with defaults
     */
    public static Resync node(String name) {
        return new Resync(name, false, Duration.ofSeconds(60));
    }

    /**
     * @param value true to re-sync the standby even when it streams from the primary (for example to replace a
     *              data directory suspected of damage)
     * @return a copy
     */
    public Resync withForced(boolean value) {
        return copy(c -> c.forced = value);
    }

    /**
     * @param timeout how long it may take to stream once started
     * @return a copy
     */
    public Resync withStreamTimeout(Duration timeout) {
        return copy(c -> c.streamTimeout = timeout);
    }

    /** Makes a re-sync of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Resync copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Resync(c.node, c.forced, c.streamTimeout);
    }

    /** This re-sync's fields, for a wither to change before {@link #copy} makes a re-sync of them. */
    private final class Copy {
        String node = Resync.this.node;
        boolean forced = Resync.this.forced;
        Duration streamTimeout = Resync.this.streamTimeout;
    }
}
