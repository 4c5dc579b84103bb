package io.github.pgreplication.testkit;

import io.github.pgreplication.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import io.github.pgreplication.testkit.ReplicationCluster.CatchupMode;

/**
 * {@code Cluster.pm}'s {@code wait_for_catchup}: polls the upstream's {@code pg_stat_replication} until the
 * standby's position in a mode is at or past a target, by LSN comparison.
 */
final class Catchup {
    private static final String SQL = "SELECT state, sent_lsn, write_lsn, flush_lsn, replay_lsn FROM"
            + " pg_stat_replication WHERE application_name = ? ORDER BY backend_start DESC LIMIT 1";

    private Catchup() {
    }

    static void await(ClusterNode upstream, ClusterNode standby, CatchupMode mode, Lsn target, Duration timeout) {
        Objects.requireNonNull(standby, "standby");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            String[] row;
            try {
                row = row(upstream, standby.name());
                last = row == null ? "no row for it (not connected)" : "state " + row[0] + ", sent " + row[1]
                        + ", write " + row[2] + ", flush " + row[3] + ", replay " + row[4];
                String value = row == null ? null : row[1 + mode.ordinal()];
                if (value != null && Lsn.parse(value).isAtOrAfter(target)) {
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                last = "an error: " + e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("standby '" + standby.name() + "' has not caught up in "
                        + mode.name().toLowerCase() + " mode (" + mode.column() + ") to " + target + " after "
                        + timeout.toMillis() + " ms: pg_stat_replication on '" + upstream.name() + "' reports "
                        + last + "\nTail of " + standby.name() + "'s server log:\n" + standby.serverLogTail(10));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for '" + standby.name() + "'", e);
            }
        }
    }

    private static String[] row(ClusterNode upstream, String name) throws SQLException {
        try (Connection c = upstream.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(SQL)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)};
            }
        }
    }
}
