package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The replication role's SCRAM verifier, computed by the library, has the server's {@code scram_iterations}: 64 in a
 * test cluster on PostgreSQL 17 (the testkit sets it for the superuser's sessions), PostgreSQL's fixed 4096 on 15,
 * which has no such setting; standbys stream with it either way.
 */
class ReplicationRoleVerifierIT {
    private static final String VERIFIER = "SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'";

    @Test
    void onPostgres17TheServersSettingIsUsed() {
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            assertThat(cluster.primary().query("SHOW scram_iterations")).isEqualTo("64");
            assertThat(cluster.primary().query(VERIFIER)).startsWith("SCRAM-SHA-256$64:");
            assertThat(cluster.standby(0).query("SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
        }
    }

    @Test
    void onPostgres15ItIsPostgresFixedCount() {
        try (ReplicationCluster cluster = ReplicationCluster.builder().postgresMajor(15).standbys(1).start()) {
            assertThat(cluster.primary().query(VERIFIER)).startsWith("SCRAM-SHA-256$4096:");
            assertThat(cluster.standby(0).query("SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
        }
    }
}
