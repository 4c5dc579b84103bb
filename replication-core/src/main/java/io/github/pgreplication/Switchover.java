package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A planned switchover: the named standby becomes the primary and the old primary its standby, with nothing
 * acknowledged lost. Passed to {@link Replication#switchover(Switchover)} and {@link Replication#plan(Switchover)}.
 *
 * <pre>{@code
 * Replication next = replication.switchover(Switchover.to("eshub").withMaxLag(DataSize.parse("16MB")))
 *         .replication();
 * }</pre>
 *
 * @param target         the standby to promote
 * @param maxLag         the most the target's replay may be behind the primary before the switchover starts;
 *                       default 16 MB
 * @param catchUpTimeout how long the target may take to receive the old primary's shutdown checkpoint, after which
 *                       the old primary is started again as it was and the switchover refused; default 30 s
 * @param streamTimeout  how long every standby may take to stream from the new primary; default 60 s
 */
public record Switchover(String target, DataSize maxLag, Duration catchUpTimeout, Duration streamTimeout) {
    /**
     * Checks for nulls and ranges.
     *
     * @param target         the standby to promote
     * @param maxLag         the most the target's replay may be behind the primary before the switchover starts;
     *                       default 16 MB
     * @param catchUpTimeout how long the target may take to receive the old primary's shutdown checkpoint, after which
     *                       the old primary is started again as it was and the switchover refused; default 30 s
     * @param streamTimeout  how long every standby may take to stream from the new primary; default 60 s
     */
    public Switchover {
        Objects.requireNonNull(target, "target must not be null: name a standby, e.g. Switchover.to(\"eshub\")");
        Objects.requireNonNull(maxLag, "maxLag must not be null: e.g. DataSize.parse(\"16MB\")");
        positive("catchUpTimeout", catchUpTimeout);
        positive("streamTimeout", streamTimeout);
    }

    static void positive(String what, Duration d) {
        io.github.pgreplication.internal.Durations.positive(what, d, "Duration.ofSeconds(30)");
    }

    /**
     * @param standby the standby to promote
     * @return a switchover with defaults
     */
    public static Switchover to(String standby) {
        return new Switchover(standby, DataSize.parse("16MB"), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * @param bound the most the target's replay may be behind
     * @return a copy
     */
    public Switchover withMaxLag(DataSize bound) {
        return copy(c -> c.maxLag = bound);
    }

    /**
     * @param timeout how long the target may take to catch up with the stopped primary
     * @return a copy
     */
    public Switchover withCatchUpTimeout(Duration timeout) {
        return copy(c -> c.catchUpTimeout = timeout);
    }

    /**
     * @param timeout how long every standby may take to stream from the new primary
     * @return a copy
     */
    public Switchover withStreamTimeout(Duration timeout) {
        return copy(c -> c.streamTimeout = timeout);
    }

    /** Makes a switchover of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Switchover copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Switchover(c.target, c.maxLag, c.catchUpTimeout, c.streamTimeout);
    }

    /** This switchover's fields, for a wither to change before {@link #copy} makes a switchover of them. */
    private final class Copy {
        String target = Switchover.this.target;
        DataSize maxLag = Switchover.this.maxLag;
        Duration catchUpTimeout = Switchover.this.catchUpTimeout;
        Duration streamTimeout = Switchover.this.streamTimeout;
    }
}
