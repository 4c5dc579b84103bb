package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ReplicationStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One cluster for the whole class (static field), on PostgreSQL 15 (Debian bookworm image), injected. */
class ExtensionIT {
    @RegisterExtension
    static ReplicationClusterExtension extension =
            ReplicationClusterExtension.of(ReplicationCluster.builder().postgresMajor(15).standbys(1))
                    .skipWhenDockerUnavailable();

    static ReplicationCluster seenByFirstTest;

    @Test
    void injectsAStreamingClusterOfTheRequestedVersion(ReplicationCluster cluster) throws SQLException {
        assertThat(query(cluster.primary(), "SHOW server_version_num")).startsWith("15");
        assertThat(query(cluster.standby(0), "SELECT pg_is_in_recovery()")).isEqualTo("t");
        ReplicationStatus status = cluster.replication().status();
        assertThat(status.standby("standby1")).hasValueSatisfying(s -> assertThat(s.streaming()).isTrue());
        check(cluster);
    }

    @Test
    void theSameClusterServesEveryTestOfTheClass(ReplicationCluster cluster) {
        assertThat(cluster).isSameAs(extension.cluster());
        check(cluster);
    }

    private static synchronized void check(ReplicationCluster cluster) {
        if (seenByFirstTest == null) {
            seenByFirstTest = cluster;
        }
        assertThat(cluster).as("one cluster per class").isSameAs(seenByFirstTest);
    }

    static String query(ClusterNode node, String sql) throws SQLException {
        try (Connection c = node.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
