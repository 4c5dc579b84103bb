package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What an application sees across a switchover, through the testkit's multi-host clients only: a new connection
 * with {@code targetServerType=primary} reaches the new primary, and {@link ReplicationCluster#primaryDataSource()}
 * writes again within its host recheck interval. A cluster of its own: the shared one stays on its first primary.
 */
class ClientsAfterSwitchoverIT {
    /** PgJDBC's hostRecheckSeconds in the testkit's pools. */
    private static final Duration RECHECK = Duration.ofSeconds(1);
    /** PgJDBC's connectTimeout in the testkit's pools. */
    private static final Duration CONNECT = Duration.ofSeconds(2);
    /** Tells the nodes apart: each server's start time, as text that does not depend on the session's time zone. */
    private static final String START = "SELECT extract(epoch FROM pg_postmaster_start_time())::text";

    @Test
    void newPrimaryConnectionsAndThePrimaryPoolReachTheNewPrimaryAfterASwitchover() throws SQLException {
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            DataSource pool = cluster.primaryDataSource();
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
                st.execute("INSERT INTO orders VALUES (1, 'before')");
                assertThat(value(st, START)).as("the pool reaches the first primary")
                        .isEqualTo(cluster.node("primary").query(START));
            }

            cluster.switchover("standby1");
            long switched = System.nanoTime();
            String newPrimary = cluster.node("standby1").query(START);
            assertThat(cluster.node("primary").query(START)).as("the nodes tell apart by start time")
                    .isNotEqualTo(newPrimary);

            String user = cluster.primary().username();
            String password = cluster.primary().password().reveal().orElseThrow();
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(TargetServerType.PRIMARY, false), user,
                    password); Statement st = c.createStatement()) {
                assertThat(value(st, START)).as("a new targetServerType=primary connection reaches standby1")
                        .isEqualTo(newPrimary);
                assertThat(value(st, "SELECT pg_is_in_recovery()")).isEqualTo("f");
                st.execute("INSERT INTO orders VALUES (2, 'new connection')");
            }

            // The pool's connections to the old primary died with its stop: a write may fail while the pool replaces
            // them; PgJDBC re-checks which host is primary every RECHECK, and connecting may take CONNECT.
            long deadline = switched + RECHECK.plus(CONNECT).toNanos();
            int attempts = 0;
            SQLException last = null;
            boolean written = false;
            while (!written && System.nanoTime() < deadline) {
                attempts++;
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO orders VALUES (" + (100 + attempts) + ", 'pool')");
                    written = true;
                } catch (SQLException e) {
                    last = e;
                }
            }
            long after = (System.nanoTime() - switched) / 1_000_000;
            assertThat(written).as("primaryDataSource() writes within %s + %s of the switchover (%d attempts, last"
                    + " error %s)", RECHECK, CONNECT, attempts, last).isTrue();
            assertThat(after).as("ms from the switchover to the pool's first write")
                    .isLessThanOrEqualTo(RECHECK.plus(CONNECT).toMillis());
            System.out.println("primaryDataSource() wrote again " + after + " ms after the switchover returned, "
                    + attempts + " attempt(s)");
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                assertThat(value(st, START)).as("the pool's connection is on the new primary").isEqualTo(newPrimary);
                assertThat(value(st, "SELECT string_agg(item, ',' ORDER BY id) FROM orders WHERE id < 100"))
                        .as("what was written before and after the switchover is there")
                        .isEqualTo("before,new connection");
                st.execute("INSERT INTO orders VALUES (3, 'pool again')");
            }
            assertThat(cluster.primary().name()).isEqualTo("standby1");
        }
    }

    private static String value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
