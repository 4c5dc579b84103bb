package io.github.pgreplication;

import io.github.pgreplication.internal.SqlText;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

/**
 * Live replication state, read from the primary in one statement (one snapshot: the differences it reports are
 * computed from its own positions).
 *
 * @param primaryLsn              the primary's WAL write position, read after the standbys' and slots' positions
 *                                (none is ahead of it)
 * @param standbys                one entry per configured standby, then any other connected standby; each with its
 *                                {@code sync_state}
 * @param slots                   physical slots
 * @param synchronousStandbyNames the primary's {@code synchronous_standby_names} now, empty when asynchronous
 * @param syncPolicy              the set-up's synchronous policy
 * @param syncConfirming          how many standbys the policy lists stream now, able to confirm commits
 */
public record ReplicationStatus(Lsn primaryLsn, List<StandbyStatus> standbys, List<SlotStatus> slots,
        String synchronousStandbyNames, SyncPolicy syncPolicy, int syncConfirming) {
    /**
     * Copies the lists.
     *
     * @param primaryLsn              the primary's WAL write position, read after the standbys' and slots' positions
     *                                (none is ahead of it)
     * @param standbys                one entry per configured standby, then any other connected standby; each with its
     *                                {@code sync_state}
     * @param slots                   physical slots
     * @param synchronousStandbyNames the primary's {@code synchronous_standby_names} now, empty when asynchronous
     * @param syncPolicy              the set-up's synchronous policy
     * @param syncConfirming          how many standbys the policy lists stream now, able to confirm commits
     */
    public ReplicationStatus {
        standbys = List.copyOf(standbys);
        slots = List.copyOf(slots);
        synchronousStandbyNames = synchronousStandbyNames == null ? "" : synchronousStandbyNames;
        syncPolicy = syncPolicy == null ? SyncPolicy.none() : syncPolicy;
    }

    /**
     * @param primaryLsn the primary's WAL write position
     * @param standbys   the standbys
     * @param slots      physical slots
     */
    public ReplicationStatus(Lsn primaryLsn, List<StandbyStatus> standbys, List<SlotStatus> slots) {
        this(primaryLsn, standbys, slots, "", SyncPolicy.none(), 0);
    }

    /** @return how many standbys must confirm each commit: the policy's count, 0 when asynchronous */
    public int syncNeeded() {
        return syncPolicy.count();
    }

    /**
     * @return whether commits are confirmed now, and do not wait: at least {@link #syncNeeded()} listed standbys
     *         stream (always true when asynchronous)
     */
    public boolean syncSatisfied() {
        return syncConfirming >= syncNeeded();
    }

    /**
     * @return how many more listed standbys may fail before commits wait: {@code syncConfirming - syncNeeded}; 0 when
     *         one more failure makes them wait, negative when they wait now; for an asynchronous set-up, the number of
     *         streaming standbys (no commit waits for any)
     */
    public int syncSpare() {
        if (!syncPolicy.synchronous()) {
            return (int) standbys.stream().filter(StandbyStatus::streaming).count();
        }
        return syncConfirming - syncNeeded();
    }

    /**
     * @param name a standby's name
     * @return its status
     */
    public Optional<StandbyStatus> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * @param name a slot's name
     * @return its status
     */
    public Optional<SlotStatus> slot(String name) {
        return slots.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return what needs doing now, one sentence each with the fix: slots about to lose, or that lost, WAL */
    public List<String> warnings() {
        return slots.stream().map(SlotStatus::warning).flatMap(Optional::stream).toList();
    }

    /**
     * @return a text table: the primary's position and synchronous policy, one line per standby (name, state, sync,
     *         replay LSN, lag), then one per slot, then the {@link #warnings()}
     */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("primary at ").append(primaryLsn).append('\n');
        if (syncPolicy.synchronous()) {
            sb.append("synchronous: ").append(synchronousStandbyNames).append(", ").append(syncConfirming)
                    .append(" listed streaming, ").append(syncNeeded()).append(" needed: ").append(syncSatisfied()
                            ? syncSpare() + " more may fail before commits wait" : "COMMITS WAIT").append('\n');
        } else if (!synchronousStandbyNames.isEmpty()) {
            sb.append("synchronous_standby_names: ").append(synchronousStandbyNames).append('\n');
        }
        sb.append(String.format("%-16s %-12s %-9s %-14s %12s %10s%n", "standby", "state", "sync", "replay_lsn",
                "lag_bytes", "lag_ms"));
        for (StandbyStatus s : standbys) {
            sb.append(String.format("%-16s %-12s %-9s %-14s %12s %10s%s%s%n",
                    "  ".repeat(Math.max(0, s.depth() - 1)) + s.name(), s.state(),
                    s.syncState() == null ? "-" : s.syncState(), s.replayLsn() == null ? "-" : s.replayLsn(),
                    s.lagBytes() == null ? "-" : s.lagBytes(),
                    s.replayLag() == null ? "0" : s.replayLag().toMillis(), s.applyDelay().isZero() ? ""
                            : "  (delayed by " + s.applyDelay().toMillis() + " ms on purpose: the lag includes it)",
                    s.cascading() ? "  (streams from " + s.upstream() + ", depth " + s.depth() + ")" : ""));
        }
        sb.append(String.format("%-16s %-7s %-14s %-11s %14s %14s%n", "slot", "active", "restart_lsn", "wal_status",
                "retained_bytes", "safe_wal_bytes"));
        for (SlotStatus s : slots) {
            sb.append(String.format("%-16s %-7s %-14s %-11s %14s %14s%n", s.name(), s.active(),
                    s.restartLsn() == null ? "-" : s.restartLsn(), s.walStatus() == null ? "-" : s.walStatus(),
                    s.retainedBytes() == null ? "-" : s.retainedBytes(),
                    s.safeWalBytes() == null ? "-" : s.safeWalBytes()));
        }
        warnings().forEach(w -> sb.append("WARNING: ").append(w).append('\n'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable();
    }

    /**
     * One standby as the primary sees it in {@code pg_stat_replication}. A configured standby that is not connected
     * has state {@code disconnected} and null positions.
     *
     * @param name      the standby's name (its application_name)
     * @param state     {@code streaming}, {@code catchup}, {@code startup}, {@code backup}, or {@code disconnected}
     * @param syncState {@code async}, {@code potential}, {@code sync}, {@code quorum}, or null
     * @param sentLsn   last WAL position sent
     * @param writeLsn  last position written by the standby
     * @param flushLsn  last position flushed by the standby
     * @param replayLsn last position replayed by the standby
     * @param lagBytes  {@link ReplicationStatus#primaryLsn()} minus replayLsn, in bytes, from the same snapshot; null
     *                  when replayLsn is
     * @param replayLag time between a commit on the primary and its replay on the standby, null when idle; on a
     *                  delayed standby it includes the delay
     * @param applyDelay how long the standby holds replay back on purpose ({@link Standby#withApplyDelay}): its
     *                   {@code lagBytes} and {@code replayLag} then include what it holds back; zero when none
     * @param upstream   the node it streams from: the primary's name, or for a cascading standby
     *                   ({@link Standby#streamingFrom}) its upstream's, whose {@code pg_stat_replication} this row
     *                   comes from; null when not known (a standby the set-up does not describe)
     * @param depth      its place in the tree: 1 for a standby of the primary, 2 for one streaming from such a
     *                   standby, and so on; 0 when not known
     */
    public record StandbyStatus(String name, String state, String syncState, Lsn sentLsn, Lsn writeLsn, Lsn flushLsn,
            Lsn replayLsn, Long lagBytes, Duration replayLag, Duration applyDelay, String upstream, int depth) {
        /**
         * Reads a null apply delay as none.
         *
         * @param name       the standby's name (its application_name)
         * @param state      its state in {@code pg_stat_replication}, or {@code disconnected}
         * @param syncState  its sync state, or null
         * @param sentLsn    last WAL position sent
         * @param writeLsn   last position written by the standby
         * @param flushLsn   last position flushed by the standby
         * @param replayLsn  last position replayed by the standby
         * @param lagBytes   the primary's position minus replayLsn, in bytes; null when replayLsn is
         * @param replayLag  time between a commit on the primary and its replay on the standby, null when idle
         * @param applyDelay how long it holds replay back on purpose; null or zero for none
         * @param upstream   the node it streams from, or null when not known
         * @param depth      1 for a standby of the primary, 2 for one of its standbys' standbys...; 0 when not known
         */
        public StandbyStatus {
            applyDelay = applyDelay == null ? Duration.ZERO : applyDelay;
        }

        /**
         * A standby whose place in the tree is not known.
         *
         * @param name       the standby's name (its application_name)
         * @param state      its state in {@code pg_stat_replication}, or {@code disconnected}
         * @param syncState  its sync state, or null
         * @param sentLsn    last WAL position sent
         * @param writeLsn   last position written by the standby
         * @param flushLsn   last position flushed by the standby
         * @param replayLsn  last position replayed by the standby
         * @param lagBytes   the primary's position minus replayLsn, in bytes; null when replayLsn is
         * @param replayLag  time between a commit on the primary and its replay on the standby, null when idle
         * @param applyDelay how long it holds replay back on purpose; null or zero for none
         */
        public StandbyStatus(String name, String state, String syncState, Lsn sentLsn, Lsn writeLsn, Lsn flushLsn,
                Lsn replayLsn, Long lagBytes, Duration replayLag, Duration applyDelay) {
            this(name, state, syncState, sentLsn, writeLsn, flushLsn, replayLsn, lagBytes, replayLag, applyDelay, null,
                    0);
        }

        /**
         * @param newUpstream the node it streams from
         * @param newDepth    its depth in the tree
         * @param delay       its apply delay
         * @return a copy with its place in the set-up
         */
        public StandbyStatus placed(String newUpstream, int newDepth, Duration delay) {
            return new StandbyStatus(name, state, syncState, sentLsn, writeLsn, flushLsn, replayLsn, lagBytes, replayLag,
                    delay, newUpstream, newDepth);
        }

        /** @return whether it streams from another standby rather than the primary */
        public boolean cascading() {
            return depth > 1;
        }

        /**
         * A standby with no apply delay.
         *
         * @param name      the standby's name (its application_name)
         * @param state     its state in {@code pg_stat_replication}, or {@code disconnected}
         * @param syncState its sync state, or null
         * @param sentLsn   last WAL position sent
         * @param writeLsn  last position written by the standby
         * @param flushLsn  last position flushed by the standby
         * @param replayLsn last position replayed by the standby
         * @param lagBytes  the primary's position minus replayLsn, in bytes; null when replayLsn is
         * @param replayLag time between a commit on the primary and its replay on the standby, null when idle
         */
        public StandbyStatus(String name, String state, String syncState, Lsn sentLsn, Lsn writeLsn, Lsn flushLsn,
                Lsn replayLsn, Long lagBytes, Duration replayLag) {
            this(name, state, syncState, sentLsn, writeLsn, flushLsn, replayLsn, lagBytes, replayLag, Duration.ZERO);
        }

        /** @return whether the standby is streaming */
        public boolean streaming() {
            return "streaming".equals(state);
        }
    }

    /**
     * One physical replication slot on the primary. A slot keeps the WAL its standby has not received, without limit
     * unless {@code max_slot_wal_keep_size} is set ({@link PrimarySettings#withMaxSlotWalKeepSize}): with the limit,
     * a standby that stays away too long loses its slot's WAL ({@code lost}) and must be cloned again, without it the
     * primary's disk fills. {@link #warning()} says when a slot is about to lose its WAL or has lost it.
     *
     * @param name          slot name
     * @param active        whether a standby is connected to it
     * @param restartLsn    oldest WAL position the slot keeps
     * @param walStatus     {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
     * @param retainedBytes WAL the slot keeps on the primary's disk: {@link ReplicationStatus#primaryLsn()} minus
     *                      restartLsn, in bytes, from the same snapshot; null when restartLsn is
     * @param safeWalBytes  PostgreSQL's {@code safe_wal_size}: how much more WAL the primary may write before the
     *                      slot is in danger of losing what its standby needs; null without
     *                      {@code max_slot_wal_keep_size}, or when the slot is lost
     */
    public record SlotStatus(String name, boolean active, Lsn restartLsn, String walStatus, Long retainedBytes,
            Long safeWalBytes) {
        /** @return whether the slot lost WAL its standby needs: that standby cannot stream from it again */
        public boolean lost() {
            return "lost".equals(walStatus);
        }

        /**
         * @return what to do about this slot, when anything: it lost its standby's WAL (the standby must be re-synced
         *         with {@link Replication#resync(Resync)}), or it will lose some at the primary's next checkpoint
         *         ({@code unreserved})
         */
        public Optional<String> warning() {
            if (lost()) {
                return Optional.of("slot " + name + " lost WAL its standby needs (wal_status lost, beyond"
                        + " max_slot_wal_keep_size): the standby cannot stream again and must be re-synced. Allow its"
                        + " data directory to be overwritten (Standby.withEmptyDataDirectoryAllowed(true)) and run"
                        + " replication.resync(Resync.node(\"<its standby>\")): it stops the standby, drops the slot"
                        + " (SELECT pg_drop_replication_slot(" + SqlText.displayLiteral(name) + ")) and creates it"
                        + " again, re-syncs or clones the standby and starts it.");
            }
            if ("unreserved".equals(walStatus)) {
                return Optional.of("slot " + name + " keeps more WAL than max_slot_wal_keep_size (wal_status"
                        + " unreserved): the primary's next checkpoint removes WAL its standby still needs. Bring the"
                        + " standby back now, or raise max_slot_wal_keep_size.");
            }
            return Optional.empty();
        }
    }
}
