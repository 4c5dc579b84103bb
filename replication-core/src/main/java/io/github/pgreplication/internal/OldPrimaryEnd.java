package io.github.pgreplication.internal;

import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.Standby;

/**
 * Where a failed primary's WAL ended, as far as a failover can know it: read exactly from its own files with
 * pg_waldump when its host answers (every commit it acknowledged was flushed there first, unless synchronous_commit
 * was off), else the latest position known to have been reached: the end of WAL its senders last reported to a
 * standby's WAL receiver, the last position this program saw, its last checkpoint.
 *
 * @param basis  {@link LossCheck.Basis#OLD_PRIMARY_WAL}, {@link LossCheck.Basis#REPORTED_POSITION} or
 *               {@link LossCheck.Basis#UNKNOWN}
 * @param end    the position (exact, or a lower bound), null when unknown
 * @param detail where it came from
 */
record OldPrimaryEnd(LossCheck.Basis basis, Lsn end, String detail) {
    /**
     * @param ops        the operation's clients
     * @param config     the set-up before the failover
     * @param lastSeen   the last position this program saw on the old primary, may be null
     * @param stillAlive whether the old primary still answered (fenced): its WAL may still grow
     * @return what is known
     */
    static OldPrimaryEnd judge(Operations ops, ReplicationConfig config, Lsn lastSeen, boolean stillAlive) {
        Node old = config.primary().node();
        Bound bound = new Bound();
        bound.consider(lastSeen, "the last position this program saw on it");
        for (Standby s : config.standbys()) {
            bound.consider(ops.state(s.node()).senderEnd(), s.name() + "'s WAL receiver (latest_end_lsn: the end of"
                    + " WAL " + old.name() + " last reported)");
        }
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
                + unread + "."));
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
