package io.github.pgreplication;

import java.util.Optional;

/**
 * What a failover knows about the commits the old primary acknowledged and the promoted standby may lack: proven
 * complete by the synchronous policy, or bounded by the old primary's last position, read exactly from its own WAL
 * or known only as a lower bound. {@link #possibleLoss()} never says less than what may really be lost: when the old
 * primary's end is not known exactly, the range is open-ended.
 *
 * <pre>{@code
 * OperationResult r = replication.failover(Failover.toMostAdvanced());
 * LossCheck check = r.lossCheck().orElseThrow();
 * if (check.basis() != LossCheck.Basis.SYNC_PROOF) {
 *     check.possibleLoss().ifPresent(range -> log.warn("WAL {} may be lost: {}", range, check.detail()));
 * }
 * }</pre>
 *
 * @param basis         how it was judged
 * @param promotedAt    where the promoted standby's WAL ends: the last position it had received
 * @param oldPrimaryEnd the old primary's last position known (exact for {@link Basis#OLD_PRIMARY_WAL}, a lower bound
 *                      for {@link Basis#REPORTED_POSITION}), null when nothing is known or for
 *                      {@link Basis#SYNC_PROOF}
 * @param detail        one or two sentences: the rule that proved it, or where the old primary's position came from
 */
public record LossCheck(Basis basis, Lsn promotedAt, Lsn oldPrimaryEnd, String detail) {
    /** How a failover judged what may be lost. */
    public enum Basis {
        /**
         * The synchronous policy proves that the promoted standby holds every commit the old primary acknowledged:
         * enough of the listed standbys answered that one of them must have confirmed each commit, and the promoted
         * one has received at least as much as each of them.
         */
        SYNC_PROOF,
        /** The old primary's WAL end was read from its own files (pg_waldump): exact. */
        OLD_PRIMARY_WAL,
        /**
         * A position the old primary was known to have reached (reported to a standby, seen by this program, or its
         * last checkpoint): its WAL may end later.
         */
        REPORTED_POSITION,
        /** Nothing is known of the old primary's last position. */
        UNKNOWN
    }

    /** @return whether it is exact: proven by the policy, or read from the old primary's WAL */
    public boolean certain() {
        return basis == Basis.SYNC_PROOF || basis == Basis.OLD_PRIMARY_WAL;
    }

    /**
     * @return the WAL the promoted standby may lack: empty when proven complete, or when the old primary's WAL is
     *         known to end where the promoted standby's does; from {@link #promotedAt()} to the old primary's WAL end
     *         when it is exact; open-ended ({@link WalRange#to()} null) when that end is not known exactly
     */
    public Optional<WalRange> possibleLoss() {
        return switch (basis) {
            case SYNC_PROOF -> Optional.empty();
            case OLD_PRIMARY_WAL -> oldPrimaryEnd.compareTo(promotedAt) > 0
                    ? Optional.of(new WalRange(promotedAt, oldPrimaryEnd)) : Optional.empty();
            case REPORTED_POSITION, UNKNOWN -> Optional.of(new WalRange(promotedAt, null));
        };
    }

    @Override
    public String toString() {
        return basis + ": " + detail;
    }
}
