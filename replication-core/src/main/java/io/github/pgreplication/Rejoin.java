package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Brings a former primary, or a standby left on a dead timeline, back as a standby of the current primary: with
 * no rewind when its WAL did not diverge, with {@code pg_rewind} when it did, and with a full re-clone only when
 * the caller allows it. Passed to {@link Replication#rejoin(Rejoin)} and {@link Replication#plan(Rejoin)}.
 *
 * <pre>{@code
 * OperationResult r = replication.rejoin(Rejoin.node("eshua"));
 * r.discarded().ifPresent(range -> System.out.println("WAL discarded on eshua: " + range));
 * }</pre>
 *
 * @param node           the node to bring back
 * @param recloneAllowed whether its data directory may be emptied and cloned again when a rewind cannot be done
 *                       (no wal_log_hints nor checksums, a timeline that is not an ancestor); default false
 * @param streamTimeout  how long it may take to stream once started; default 60 s
 */
public record Rejoin(String node, boolean recloneAllowed, Duration streamTimeout) {
    /**
     * Checks for nulls and ranges.
     *
     * @param node           the node to bring back
     * @param recloneAllowed whether its data directory may be emptied and cloned again when a rewind cannot be done
     *                       (no wal_log_hints nor checksums, a timeline that is not an ancestor); default false
     * @param streamTimeout  how long it may take to stream once started; default 60 s
     */
    public Rejoin {
        Objects.requireNonNull(node, "node must not be null: name the node to bring back, e.g. Rejoin.node(\"eshua\")");
        Switchover.positive("streamTimeout", streamTimeout);
    }

    /**
     * @param name the node to bring back
     * @return a rejoin with defaults
     */
    public static Rejoin node(String name) {
        return new Rejoin(name, false, Duration.ofSeconds(60));
    }

    /**
     * @param allowed true to let the library empty the node's data directory and clone it again when a rewind
     *                cannot be done; everything in that directory is then lost
     * @return a copy
     */
    public Rejoin withRecloneAllowed(boolean allowed) {
        return copy(c -> c.recloneAllowed = allowed);
    }

    /**
     * @param timeout how long it may take to stream once started
     * @return a copy
     */
    public Rejoin withStreamTimeout(Duration timeout) {
        return copy(c -> c.streamTimeout = timeout);
    }

    /** Makes a rejoin of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Rejoin copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Rejoin(c.node, c.recloneAllowed, c.streamTimeout);
    }

    /** This rejoin's fields, for a wither to change before {@link #copy} makes a rejoin of them. */
    private final class Copy {
        String node = Rejoin.this.node;
        boolean recloneAllowed = Rejoin.this.recloneAllowed;
        Duration streamTimeout = Rejoin.this.streamTimeout;
    }
}
