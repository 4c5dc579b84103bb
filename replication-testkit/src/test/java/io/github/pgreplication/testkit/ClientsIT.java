package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an application sees: PgJDBC multi-host URLs and pools from the testkit, and a database of each test's own,
 * on the cluster shared with {@link NodeFaultsIT} and {@link AssertionsIT}.
 */
class ClientsIT {
    @RegisterExtension
    static ReplicationClusterExtension extension = ReplicationClusterExtension.shared(
            SharedCluster.primaryAndTwoStandbys()).freshDatabasePerTest().skipWhenDockerUnavailable();

    @Test
    void anApplicationWritesThroughThePrimaryUrlAndReadsThroughSecondaryUrls(ReplicationCluster cluster,
            TestDatabase db) throws SQLException {
        String user = cluster.primary().username();
        String password = cluster.primary().password().reveal().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(TargetServerType.PRIMARY, false), user, password);
                Statement st = c.createStatement()) {
            assertThat(value(st, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            st.execute("INSERT INTO orders VALUES (1, 'book')");
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(TargetServerType.SECONDARY, true), user,
                password); Statement st = c.createStatement()) {
            assertThat(value(st, "SELECT pg_is_in_recovery()")).isEqualTo("t");
            Waits.until("the order reaches the standby", Duration.ofSeconds(10), () -> {
                try {
                    return "book".equals(value(st, "SELECT coalesce(max(item), '') FROM orders"));
                } catch (SQLException e) {
                    return false;
                }
            });
            assertThatThrownBy(() -> st.execute("INSERT INTO orders VALUES (2, 'pen')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot execute INSERT in a read-only transaction");
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(TargetServerType.PREFER_SECONDARY, false), user,
                password); Statement st = c.createStatement()) {
            assertThat(value(st, "SELECT pg_is_in_recovery()")).as("a standby is up, so preferred").isEqualTo("t");
        }
    }

    @Test
    void multiHostUrlsListEveryNodePrimaryFirst(ReplicationCluster cluster) {
        String hosts = cluster.nodes().stream().map(n -> n.endpoint().host() + ":" + n.endpoint().port())
                .reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(cluster.jdbcUrl(TargetServerType.PRIMARY, false))
                .isEqualTo("jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&loadBalanceHosts=false");
        assertThat(cluster.jdbcUrl("app", TargetServerType.PREFER_SECONDARY, true))
                .isEqualTo("jdbc:postgresql://" + hosts + "/app?targetServerType=preferSecondary&loadBalanceHosts=true");
        assertThat(cluster.jdbcUrl(TargetServerType.ANY, false)).contains("targetServerType=any");
        assertThat(cluster.jdbcUrl(TargetServerType.SECONDARY, false)).contains("targetServerType=secondary");
        assertThat(cluster.jdbcUrl(TargetServerType.PREFER_PRIMARY, false)).contains("targetServerType=preferPrimary");
    }

    @Test
    void thePrimaryPoolReachesThePrimaryAndTheReadPoolAStandby(ReplicationCluster cluster) throws SQLException {
        assertThat(value(cluster.primaryDataSource(), "SELECT pg_is_in_recovery()")).isEqualTo("f");
        assertThat(value(cluster.readDataSource(), "SELECT pg_is_in_recovery()")).isEqualTo("t");
        HikariDataSource primary = (HikariDataSource) cluster.primaryDataSource();
        assertThat(primary.getConnectionTimeout()).isEqualTo(5_000);
        assertThat(primary.getDataSourceProperties()).containsEntry("hostRecheckSeconds", "1")
                .containsEntry("connectTimeout", "2");
        DataSource tuned = cluster.dataSource("postgres", TargetServerType.SECONDARY, true,
                c -> c.addDataSourceProperty("hostRecheckSeconds", "7"));
        assertThat(((HikariDataSource) tuned).getDataSourceProperties()).containsEntry("hostRecheckSeconds", "7");
        assertThat(value(tuned, "SELECT pg_is_in_recovery()")).isEqualTo("t");
    }

    @Test
    void eachTestHasADatabaseOfItsOwnPresentOnEveryStandby(ReplicationCluster cluster, TestDatabase db,
            DataSource dataSource) throws SQLException {
        isolated(cluster, db, dataSource);
    }

    @Test
    void anotherTestSeesNoneOfThatData(ReplicationCluster cluster, TestDatabase db, DataSource dataSource)
            throws SQLException {
        isolated(cluster, db, dataSource);
    }

    private static void isolated(ReplicationCluster cluster, TestDatabase db, DataSource dataSource)
            throws SQLException {
        for (ClusterNode s : cluster.standbys()) {
            assertThat(s.query("SELECT count(*) FROM pg_database WHERE datname = '" + db.name() + "'"))
                    .as("%s has the database when the test starts", s.name()).isEqualTo("1");
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThat(value(st, "SELECT current_database()")).isEqualTo(db.name());
            assertThat(value(st, "SELECT count(*) FROM pg_class WHERE relname = 'owner'"))
                    .as("no other test's table").isEqualTo("0");
            st.execute("CREATE TABLE owner (name text)");
            st.execute("INSERT INTO owner VALUES ('" + db.name() + "')");
            assertThat(value(st, "SELECT string_agg(name, ',') FROM owner")).isEqualTo(db.name());
        }
    }

    @Test
    void closingAFreshDatabaseDropsIt(ReplicationCluster cluster) {
        String name;
        try (TestDatabase db = cluster.freshDatabase()) {
            name = db.name();
            assertThat(name).startsWith("test_");
            assertThat(db.createdAt()).isNotNull();
        }
        assertThat(cluster.primary().query("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"))
                .isEqualTo("0");
        assertThatThrownBy(() -> cluster.freshDatabase("no_such_template"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from template 'no_such_template' on node 'primary'")
                .hasMessageContaining("does not exist");
    }

    private static String value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String value(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            return value(st, sql);
        }
    }
}
