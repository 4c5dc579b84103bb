package io.github.pgreplication;

import java.time.Duration;

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
 * @param replayLag time between a commit on the primary and its replay on the standby, null when idle
 */
public record StandbyStatus(String name, String state, String syncState, Lsn sentLsn, Lsn writeLsn, Lsn flushLsn,
        Lsn replayLsn, Long lagBytes, Duration replayLag) {
    /** @return whether the standby is streaming */
    public boolean streaming() {
        return "streaming".equals(state);
    }
}
