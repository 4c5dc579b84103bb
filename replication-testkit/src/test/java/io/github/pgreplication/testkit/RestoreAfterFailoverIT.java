package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Failover;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplicationCluster#restore()} after the primary moved: the killed old primary must not come back as a second
 * primary (a shared cluster is restored after each test class, and the next class's primary DataSource lists the
 * nodes in their order of creation, the old primary first). Its own cluster: the timelines it makes would show in
 * the tests that share one.
 */
class RestoreAfterFailoverIT {

    @Test
    void restoreRejoinsAFailedOverPrimaryAndSwitchesBackInsteadOfStartingASecondPrimary() {
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            ClusterNode old = cluster.primary();
            old.query("CREATE TABLE t (id int PRIMARY KEY)");
            cluster.awaitReplication();
            old.kill9();
            cluster.failover(Failover.toMostAdvanced());
            ClusterNode promoted = cluster.primary();
            assertThat(promoted.name()).isNotEqualTo(old.name());
            promoted.query("INSERT INTO t VALUES (1)");

            cluster.restore();

            assertThat(cluster.nodes()).filteredOn(n -> n.query("SELECT pg_is_in_recovery()").equals("f"))
                    .extracting(ClusterNode::name).as("exactly one primary: the node that started as one")
                    .containsExactly(old.name());
            assertThat(cluster.primary().name()).isEqualTo(old.name());
            assertThat(cluster.replication().topology().detached()).as("nothing left detached").isEmpty();
            assertThat(cluster.replication().topology().standbys()).containsExactlyInAnyOrder("standby1",
                    "standby2");
            assertThat(cluster.replication().status().standbys()).hasSize(2).allMatch(StandbyStatus::streaming);
            assertThat(old.query("SELECT count(*) FROM t")).as("the write made after the failover is kept")
                    .isEqualTo("1");
            try (var c = cluster.primaryDataSource().getConnection(); var st = c.createStatement()) {
                st.execute("INSERT INTO t VALUES (2)");
            } catch (java.sql.SQLException e) {
                throw new AssertionError("the primary DataSource reaches the one primary", e);
            }
            cluster.awaitReplication();
            assertThat(promoted.query("SELECT count(*) FROM t")).isEqualTo("2");
        }
    }
}
