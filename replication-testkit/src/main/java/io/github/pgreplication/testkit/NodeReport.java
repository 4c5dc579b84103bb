package io.github.pgreplication.testkit;

import io.github.pgreplication.Lsn;

/**
 * What one node reports about itself, read in one query: role, WAL receiver, positions, timeline. Used by the
 * assertions, whose failure messages show it.
 *
 * @param node           the node's name
 * @param error          why the node could not be asked (stopped, paused, ...), or null
 * @param inRecovery     whether it is a standby
 * @param receiverStatus its WAL receiver's status ({@code streaming}, {@code stopping}, ...), or {@code none}
 * @param receiveLsn     last position received by streaming (standby), or null
 * @param replayLsn      last position replayed (standby), or null
 * @param insertLsn      WAL insert position (primary), or null
 * @param readOnly       {@code transaction_read_only}
 * @param timeline       the timeline it writes or receives
 * @param replayPause    {@code not paused}, {@code pause requested}, {@code paused} (standby), or null
 */
record NodeReport(String node, String error, boolean inRecovery, String receiverStatus, Lsn receiveLsn,
        Lsn replayLsn, Lsn insertLsn, boolean readOnly, int timeline, String replayPause) {

    static final String TIMELINE_SQL = "SELECT CASE WHEN pg_is_in_recovery() THEN coalesce((SELECT received_tli"
            + " FROM pg_stat_wal_receiver), (pg_control_checkpoint()).timeline_id) ELSE ('x' || substr(pg_walfile_name("
            + "pg_current_wal_insert_lsn()), 1, 8))::bit(32)::int END";

    private static final String SQL = "SELECT pg_is_in_recovery(), coalesce((SELECT status FROM pg_stat_wal_receiver),"
            + " 'none'), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), CASE WHEN NOT pg_is_in_recovery() THEN"
            + " pg_current_wal_insert_lsn() END, current_setting('transaction_read_only'), ("
            + TIMELINE_SQL.substring("SELECT ".length()) + "), CASE WHEN pg_is_in_recovery() THEN"
            + " pg_get_wal_replay_pause_state() END";

    /**
     * @param node a node
     * @return what it reports now, or the error that kept it from answering
     */
    static NodeReport of(ClusterNode node) {
        String[] f;
        try {
            f = node.query(SQL).split("\\|", -1);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            return new NodeReport(node.name(), message, false, null, null, null, null, false, 0, null);
        }
        return new NodeReport(node.name(), null, "t".equals(f[0]), f[1], lsn(f[2]), lsn(f[3]), lsn(f[4]),
                "on".equals(f[5]), Integer.parseInt(f[6]), f[7].isEmpty() ? null : f[7]);
    }

    private static Lsn lsn(String text) {
        return text.isEmpty() ? null : Lsn.parse(text);
    }

    boolean reachable() {
        return error == null;
    }

    boolean streaming() {
        return reachable() && inRecovery && "streaming".equals(receiverStatus);
    }

    @Override
    public String toString() {
        if (error != null) {
            return "node '" + node + "' did not answer: " + error;
        }
        if (!inRecovery) {
            return "node '" + node + "': primary (not in recovery), insert LSN " + insertLsn + ", timeline " + timeline
                    + ", transaction_read_only " + (readOnly ? "on" : "off");
        }
        return "node '" + node + "': standby (in recovery), WAL receiver " + receiverStatus + ", received "
                + (receiveLsn == null ? "nothing" : receiveLsn) + ", replayed " + replayLsn + ", replay "
                + replayPause + ", timeline " + timeline;
    }
}
