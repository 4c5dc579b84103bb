package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.ReplicationClusterExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testing guide's JUnit 5 form of the first test: the extension starts the cluster and injects it. */
class QuickStartExtensionIT {
    // snippet:quick-start-extension
    @RegisterExtension
    static ReplicationClusterExtension cluster = ReplicationClusterExtension.withStandbys(2)
            .skipWhenDockerUnavailable();

    @Test
    void readsFromAStandby(ReplicationCluster cluster) throws SQLException {
        cluster.primary().query("CREATE TABLE greeting AS SELECT 'hello' AS word");
        cluster.awaitReplication();                                    // every standby replayed the primary's LSN
        try (Connection c = cluster.standby(0).dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT word FROM greeting")) {
            assertThat(rs.next()).as("a row on the standby").isTrue();
            assertThat(rs.getString(1)).as("what the primary wrote").isEqualTo("hello");
        }
    }
    // end-snippet:quick-start-extension
}
