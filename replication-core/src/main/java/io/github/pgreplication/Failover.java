package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failover: the primary is gone, a standby is promoted and the other standbys follow it. Refused while the old
 * primary still accepts connections, unless the caller states that it is fenced. Passed to
 * {@link Replication#failover(Failover)} and {@link Replication#plan(Failover)}.
 *
 * <pre>{@code
 * OperationResult r = replication.failover(Failover.toMostAdvanced());
 * r.notes().forEach(System.out::println);   // the old primary's last known position against the promoted one
 * }</pre>
 *
 * @param target        the standby to promote; null means the one that received the most WAL
 * @param primaryFenced the caller guarantees that the old primary can accept no more writes (stopped, isolated),
 *                      so the failover goes ahead even if it still answers; default false
 * @param streamTimeout how long every other standby may take to stream from the new primary; default 60 s
 */
public record Failover(String target, boolean primaryFenced, Duration streamTimeout) {
    /** Checks ranges. */
    public Failover {
        Switchover.positive("streamTimeout", streamTimeout);
    }

    /** @return a failover to the standby that received the most WAL */
    public static Failover toMostAdvanced() {
        return new Failover(null, false, Duration.ofSeconds(60));
    }

    /** @param standby the standby to promote @return a failover to it */
    public static Failover to(String standby) {
        return new Failover(Objects.requireNonNull(standby, "standby must not be null: name a standby, or use"
                + " Failover.toMostAdvanced()"), false, Duration.ofSeconds(60));
    }

    /**
     * @param fenced true when the old primary can accept no more writes even if it still answers (it is
     *               isolated from every client, or its service is disabled): the failover then goes ahead
     * @return a copy
     */
    public Failover withPrimaryFenced(boolean fenced) {
        return new Failover(target, fenced, streamTimeout);
    }

    /** @param timeout how long the other standbys may take to stream from the new primary @return a copy */
    public Failover withStreamTimeout(Duration timeout) {
        return new Failover(target, primaryFenced, timeout);
    }

    /** @return the named target, if any */
    public Optional<String> targetName() {
        return Optional.ofNullable(target);
    }
}
