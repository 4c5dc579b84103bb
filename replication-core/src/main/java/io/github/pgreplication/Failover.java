package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A failover: the primary is gone, a standby is promoted and the other standbys follow it. Refused while the old
 * primary runs: it accepts connections, or it refuses the library's session with an error of its own (too many
 * clients, authentication failed, starting up), unless the caller states that it is fenced. Passed to
 * {@link Replication#failover(Failover)} and {@link Replication#plan(Failover)}.
 *
 * <p>Under a synchronous {@link SyncPolicy}, only a standby proven to hold every acknowledged commit is promoted:
 * enough of the listed standbys must answer that one of them confirmed each commit (all but {@code n - 1} of the
 * {@code m} listed, for {@code FIRST n} as for {@code ANY n}, since the library cannot know which were connected when
 * the primary died), and the promoted one must have received at least as much as each of them. With fewer answering
 * the failover is refused, unless the caller accepts possible loss with {@link #withPossibleLossAccepted(boolean)}.
 * A list that names fewer standbys than {@code n} (as after a failover that had to name a placeholder) proves
 * nothing. Standbys are ranked by the later of the WAL they received and replayed.
 *
 * <pre>{@code
 * OperationResult r = replication.failover(Failover.toMostAdvanced());
 * System.out.println(r.lossCheck().orElseThrow());   // the rule that proved it complete, or what may be lost
 * }</pre>
 *
 * @param target               the standby to promote; null means the one that received the most WAL
 * @param primaryFenced        the caller guarantees that the old primary can accept no more writes (stopped,
 *                             isolated), so the failover goes ahead even if it still answers; default false
 * @param streamTimeout        how long every other standby may take to stream from the new primary; default 60 s
 * @param possibleLossAccepted the caller accepts promoting a standby that is not proven to hold every acknowledged
 *                             commit (too few standbys of the synchronous policy answer); default false
 */
public record Failover(String target, boolean primaryFenced, Duration streamTimeout, boolean possibleLossAccepted) {
    /**
     * Checks ranges.
     *
     * @param target               the standby to promote; null means the one that received the most WAL
     * @param primaryFenced        the caller guarantees that the old primary can accept no more writes (stopped,
     *                             isolated), so the failover goes ahead even if it still answers; default false
     * @param streamTimeout        how long every other standby may take to stream from the new primary; default 60 s
     * @param possibleLossAccepted the caller accepts promoting a standby that is not proven to hold every acknowledged
     *                             commit (too few standbys of the synchronous policy answer); default false
     */
    public Failover {
        Switchover.positive("streamTimeout", streamTimeout);
    }

    /**
     * @param target        the standby to promote, null for the most advanced
     * @param primaryFenced whether the old primary is fenced
     * @param streamTimeout how long the other standbys may take to stream
     */
    public Failover(String target, boolean primaryFenced, Duration streamTimeout) {
        this(target, primaryFenced, streamTimeout, false);
    }

    /** @return a failover to the standby that received the most WAL (under a policy: of those proven complete) */
    public static Failover toMostAdvanced() {
        return new Failover(null, false, Duration.ofSeconds(60), false);
    }

    /**
     * @param standby the standby to promote
     * @return a failover to it
     */
    public static Failover to(String standby) {
        return new Failover(Objects.requireNonNull(standby, "standby must not be null: name a standby, or use"
                + " Failover.toMostAdvanced()"), false, Duration.ofSeconds(60), false);
    }

    /**
     * @param fenced true when the old primary can accept no more writes even if it still answers (it is
     *               isolated from every client, or its service is disabled): the failover then goes ahead
     * @return a copy
     */
    public Failover withPrimaryFenced(boolean fenced) {
        return copy(c -> c.primaryFenced = fenced);
    }

    /**
     * @param timeout how long the other standbys may take to stream from the new primary
     * @return a copy
     */
    public Failover withStreamTimeout(Duration timeout) {
        return copy(c -> c.streamTimeout = timeout);
    }

    /**
     * @param accepted true to promote even when the synchronous policy cannot prove the promoted standby complete
     *                 (too few listed standbys answer, or the named target received less than another): the result's
     *                 {@link OperationResult#lossCheck()} then gives the WAL that may be lost
     * @return a copy
     */
    public Failover withPossibleLossAccepted(boolean accepted) {
        return copy(c -> c.possibleLossAccepted = accepted);
    }

    /** @return the named target, if any */
    public Optional<String> targetName() {
        return Optional.ofNullable(target);
    }

    /** Makes a failover of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Failover copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Failover(c.target, c.primaryFenced, c.streamTimeout, c.possibleLossAccepted);
    }

    /** This failover's fields, for a wither to change before {@link #copy} makes a failover of them. */
    private final class Copy {
        String target = Failover.this.target;
        boolean primaryFenced = Failover.this.primaryFenced;
        Duration streamTimeout = Failover.this.streamTimeout;
        boolean possibleLossAccepted = Failover.this.possibleLossAccepted;
    }
}
