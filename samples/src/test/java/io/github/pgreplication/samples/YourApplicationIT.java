package io.github.pgreplication.samples;

import static io.github.pgreplication.testkit.ReplicationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Failover;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.testkit.ReplicationCluster.CatchupMode;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ClusterNode.LsnMode;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.ReplicationClusterExtension;
import io.github.pgreplication.testkit.StopMode;
import io.github.pgreplication.testkit.TargetServerType;
import io.github.pgreplication.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application's own test against a replicated PostgreSQL, as the README's "Testing your application" shows it:
 * only PgJDBC multi-host URLs and pools, a partition, a failover in the middle of the test, the assertions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YourApplicationIT {
    // snippet:testing-extension
    @RegisterExtension
    static ReplicationClusterExtension replicated = ReplicationClusterExtension.shared(
            ReplicationCluster.builder().standbys(2)).freshDatabasePerTest();
    // end-snippet:testing-extension

    // snippet:testing-urls
    @Test
    void writesGoToThePrimaryAndReadsToAStandby(ReplicationCluster cluster, TestDatabase db) throws SQLException {
        String user = cluster.primary().username();
        String password = cluster.primary().password().reveal().orElseThrow();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(TargetServerType.PRIMARY, false), user, password);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            st.execute("INSERT INTO orders VALUES (1, 'book')");
        }
        cluster.awaitReplication();                        // every standby has replayed the primary's position
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(TargetServerType.SECONDARY, true), user,
                password); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT item FROM"
                        + " orders WHERE id = 1")) {
            rs.next();
            Assertions.assertThat(rs.getString(1)).isEqualTo("book");
            assertThatThrownBy(() -> st.execute("INSERT INTO orders VALUES (2, 'pen')"))
                    .hasMessageContaining("cannot execute INSERT in a read-only transaction");
        }
    }
    // end-snippet:testing-urls

    @Test
    @Order(2)
    void aPartitionedStandbyCatchesUpByItselfOnceHealed(ReplicationCluster cluster) {
        // snippet:testing-partition
        ClusterNode standby = cluster.standby("standby2");
        standby.partition();                               // cut off the cluster network, address kept
        awaitDisconnected(cluster, "standby2");            // the primary drops it after wal_sender_timeout (5 s)
        cluster.primary().query("CREATE TABLE written_meanwhile AS SELECT generate_series(1, 1000) AS n");
        standby.heal();                                    // no manual step: it reconnects by itself
        cluster.awaitCatchup(standby, CatchupMode.REPLAY, cluster.primary().lsn(LsnMode.INSERT));
        assertThat(standby).isStreaming().isReadOnly();
        assertThat(cluster).hasEveryStandbyStreaming().hasActiveSlot("standby2_slot");
        // end-snippet:testing-partition
        Assertions.assertThat(standby.query("SELECT count(*) FROM written_meanwhile"))
                .isEqualTo("1000");
    }

    @Test
    @Order(3)
    void theApplicationKeepsWritingThroughAFailover(ReplicationCluster cluster) throws Exception {
        // snippet:testing-failover
        DataSource app = cluster.primaryDataSource();      // targetServerType=primary over every node
        insert(app, "before");
        cluster.awaitReplication();                        // test clusters commit asynchronously: a crash loses
                                                           // what no standby has yet (durable(true) to compare)
        ClusterNode old = cluster.primary();
        old.stop(StopMode.IMMEDIATE);                      // the primary crashes
        OperationResult failover = cluster.failover(Failover.toMostAdvanced());
        failover.notes().forEach(System.out::println);     // e.g. the possible loss window
        insert(app, "after");                              // the pool finds the new primary within seconds
        cluster.rejoin(old.name());                        // the old primary comes back as a standby
        assertThat(old).isStandby().isStreaming();
        assertThat(cluster).hasEveryStandbyStreaming();
        // end-snippet:testing-failover
        Assertions.assertThat(cluster.primary().name()).isNotEqualTo(old.name());
        Assertions.assertThat(cluster.primary().query("SELECT string_agg(what, ',' ORDER BY"
                + " what) FROM app_log")).isEqualTo("after,before");
    }

    /** Inserts a row, retrying while the pool still holds connections to a server that went away. */
    private static void insert(DataSource app, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Connection c = app.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS app_log (what text)");
                st.execute("INSERT INTO app_log VALUES ('" + what + "')");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no write succeeded within 30 s: " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitDisconnected(ReplicationCluster cluster, String standby) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String state = cluster.replication().status().standby(standby).map(s -> s.state()).orElse("gone");
            if (!"streaming".equals(state)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(standby + " still streams 30 s after its partition");
    }
}
