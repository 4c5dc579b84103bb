package io.github.pgreplication.internal;

import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.Standby;
import java.util.Map;

/**
 * Where a failed primary's WAL ended, as far as a failover can know it: read exactly from its own files with
 * pg_waldump when its host answers (every commit it acknowledged was flushed there first, unless synchronous_commit
 * was off), else the latest position known to have been reached: the end of WAL its senders last reported to a
 * standby's WAL receiver, the last position this program saw, its last checkpoint.
 *
 * @param basis  {@link LossCheck.Basis#OLD_PRIMARY_WAL}, {@link LossCheck.Basis#REPORTED_POSITION} or
 *               {@link LossCheck.Basis#UNKNOWN}
 * @param end    the position (exact, or a lower bound), null when unknown
 * @param detail where it came from, in a sentence
 * @param source where a lower bound came from, in a few words; null when none is known
 */
record OldPrimaryEnd(LossCheck.Basis basis, Lsn end, String detail, String source) {
    /**
     * @param basis  how it is known
     * @param end    the position
     * @param detail where it came from
     */
    OldPrimaryEnd(LossCheck.Basis basis, Lsn end, String detail) {
        this(basis, end, detail, null);
    }

    /**
     * What the standbys' states and this program tell, without asking anything: a lower bound at best.
     *
     * @param config   the set-up before the failover
     * @param lastSeen the last position this program saw on the old primary, may be null
     * @param states   what each standby said of itself: its WAL receiver's latest_end_lsn, while it still runs
     * @return the bound, {@link LossCheck.Basis#REPORTED_POSITION} or {@link LossCheck.Basis#UNKNOWN}
     */
    static OldPrimaryEnd reported(ReplicationConfig config, Lsn lastSeen, Map<Standby, NodeState> states) {
        String old = config.primary().name();
        Bound bound = new Bound();
        bound.consider(lastSeen, "the last position this program saw on it");
        states.forEach((s, st) -> bound.consider(st.senderEnd(), s.name() + "'s WAL receiver (latest_end_lsn: the end"
                + " of WAL " + old + " last reported)"));
        return bound.lsn == null ? new OldPrimaryEnd(LossCheck.Basis.UNKNOWN, null, "nothing is known of where " + old
                + "'s WAL ended: no standby's WAL receiver still reports it.")
                : new OldPrimaryEnd(LossCheck.Basis.REPORTED_POSITION, bound.lsn, old + " had WAL up to at least "
                + bound.lsn + " (" + bound.source + "); it may have had more.", bound.source);
    }

    /**
     * Reads the old primary's own files: its WAL end with pg_waldump when its host answers.
     *
     * @param ops        the operation's clients
     * @param config     the set-up before the failover
     * @param reported   the bound known before ({@link #reported})
     * @param stillAlive whether the old primary still answered (fenced): its WAL may still grow
     * @return the exact end when it could be read and holds every acknowledged commit, else the best bound
     */
    static OldPrimaryEnd read(Operations ops, ReplicationConfig config, OldPrimaryEnd reported, boolean stillAlive) {
        Node old = config.primary().node();
        Bound bound = new Bound();
        bound.consider(reported.end, reported.source);
        Lsn exact = null;
        String unread;
        if (old.dataDirectory() == null) {
            unread = "its data directory is not in the description";
        } else if (stillAlive) {
            unread = "it still runs (fenced), so its WAL may still grow";
        } else {
            try {
                ControlData cd = ops.controlData(old, old.dataDirectory());
                bound.consider(cd.checkpoint(), "its last checkpoint (pg_controldata)");
                exact = RejoinSteps.walEnd(old, old.dataDirectory(), cd);
                unread = exact == null ? "pg_waldump did not say where its WAL ends" : null;
            } catch (RuntimeException e) {
                unread = "its files cannot be read (" + Text.printable(String.valueOf(e.getMessage())) + ")";
            }
        }
        boolean flushedFirst = !Validator.isOff(config.settings().get("synchronous_commit").orElse(null))
                || config.syncPolicy().synchronous();
        if (exact != null && flushedFirst && (bound.lsn == null || exact.compareTo(bound.lsn) >= 0)) {
            return new OldPrimaryEnd(LossCheck.Basis.OLD_PRIMARY_WAL, exact, old.name() + "'s WAL, read from its own"
                    + " files with pg_waldump, ends at " + exact + "; every commit it acknowledged was flushed there"
                    + " first (synchronous_commit on).");
        }
        if (exact != null) {
            bound.consider(exact, "its WAL files (pg_waldump), which need not hold every commit it acknowledged"
                    + (flushedFirst ? "" : " with synchronous_commit off"));
        }
        if (bound.lsn == null) {
            return new OldPrimaryEnd(LossCheck.Basis.UNKNOWN, null, "nothing is known of where " + old.name()
                    + "'s WAL ended: " + unread + ", and no standby's WAL receiver still reports it.");
        }
        return new OldPrimaryEnd(LossCheck.Basis.REPORTED_POSITION, bound.lsn, old.name() + " had WAL up to at least "
                + bound.lsn + " (" + bound.source + "); it may have had more" + (unread == null ? "." : ": "
                + unread + "."), bound.source);
    }

    /**
     * @param promotedAt where the promoted standby's WAL ends
     * @param prefix     what comes first in the detail (why the policy did not prove it), or empty
     * @return the loss check of a promotion there
     */
    LossCheck toLoss(Lsn promotedAt, String prefix) {
        return new LossCheck(basis, promotedAt, end, prefix + detail);
    }

    /** The latest lower bound seen, and where it came from. */
    private static final class Bound {
        private Lsn lsn;
        private String source;

        void consider(Lsn candidate, String from) {
            if (candidate != null && (lsn == null || candidate.compareTo(lsn) > 0)) {
                lsn = candidate;
                source = from;
            }
        }
    }
}
