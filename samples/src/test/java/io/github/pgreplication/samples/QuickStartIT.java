package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.testkit.ReplicationCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The README's first test, as a newcomer writes it: one cluster, a write on the primary, a read on a standby. */
class QuickStartIT {
    @Test
    void aStandbyReadsWhatThePrimaryWrote() throws SQLException {
        // snippet:quick-start-test
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {   // primary + 2 standbys, streaming
            try (Connection c = cluster.primary().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE greeting AS SELECT 'hello' AS word");
            }
            cluster.awaitReplication();                                    // every standby replayed the primary's LSN
            assertThat(cluster.standby(0).query("SELECT word FROM greeting")).as("on a standby").isEqualTo("hello");
        }
        // end-snippet:quick-start-test
    }
}
