package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;

/**
 * What one node said about itself in one query ({@link Sql#NODE_STATE}), or that it did not answer.
 *
 * @param node            node name
 * @param reachable       whether it answered
 * @param inRecovery      whether it is a standby
 * @param versionNum      server_version_num, e.g. 170004
 * @param systemId        system identifier
 * @param timeline        a primary's current timeline; a standby's received timeline (else its last restart
 *                        point's)
 * @param position        a primary's current WAL write position; a standby's last received position (may be null)
 * @param replayLsn       a standby's last replayed position (null on a primary)
 * @param receiverStatus  the WAL receiver's status, {@code none} without one
 * @param senderHost      the host its WAL receiver is connected to, empty when none
 * @param replayPaused    whether WAL replay is paused (or a pause was requested)
 * @param senderEnd       a standby's WAL receiver's {@code latest_end_lsn}: the end of WAL its sender last reported
 *                        (the primary's flush position), null without a WAL receiver
 * @param error           why it did not answer
 */
public record NodeState(String node, boolean reachable, boolean inRecovery, int versionNum, String systemId,
        long timeline, Lsn position, Lsn replayLsn, String receiverStatus, String senderHost, boolean replayPaused,
        Lsn senderEnd, String error) {

    static NodeState unreachable(String node, String error) {
        return new NodeState(node, false, false, 0, null, 0, null, null, "none", "", false, null, error);
    }

    static NodeState parse(String node, java.util.List<String> r) {
        return new NodeState(node, true, "t".equals(r.get(0)), Integer.parseInt(r.get(1)), r.get(2),
                Long.parseLong(r.get(3)), lsn(r.get(4)), lsn(r.get(5)), r.get(6), r.get(7) == null ? "" : r.get(7),
                "t".equals(r.get(8)), r.size() > 9 ? lsn(r.get(9)) : null, null);
    }

    private static Lsn lsn(String v) {
        return v == null || v.isEmpty() ? null : Lsn.parse(v);
    }

    /** @return whether it is a primary that answers */
    public boolean primary() {
        return reachable && !inRecovery;
    }

    /** @return whether it is a standby whose WAL receiver streams */
    public boolean streaming() {
        return reachable && inRecovery && "streaming".equals(receiverStatus);
    }

    /**
     * @return the position to rank standbys by: the later of received and replayed. After a restart, the WAL receiver
     *         starts again at the beginning of the segment it resumes in, below what the standby replayed from its own
     *         pg_wal (which it replays before it connects), so received alone would rank it too low
     */
    public Lsn received() {
        if (position == null || replayLsn == null) {
            return position != null ? position : replayLsn;
        }
        return position.compareTo(replayLsn) >= 0 ? position : replayLsn;
    }

    @Override
    public String toString() {
        if (!reachable) {
            return node + ": does not answer (" + error + ")";
        }
        if (!inRecovery) {
            return node + ": primary, timeline " + timeline + ", WAL at " + position;
        }
        return node + ": standby, WAL receiver " + receiverStatus + (senderHost.isEmpty() ? "" : " from "
                + senderHost) + ", timeline " + timeline + ", received " + position + ", replayed " + replayLsn
                + (replayPaused ? ", replay paused" : "");
    }
}
