package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** When the pgBackRest restore fails (a stanza without any backup), the standby is cloned with pg_basebackup. */
class PgBackRestFallbackIT {
    static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "fbprimary", "fbstandby");
        machines.initDatabase("fbprimary");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    void aRestoreWithoutBackupFallsBackToPgBasebackupAndTheResultSaysWhy() {
        ClusterNode primary = machines.machine("fbprimary");
        ClusterNode standby = machines.machine("fbstandby");
        PgBackRest pgBackRest = PgBackRestSetup.repository(primary, "main");
        Primary p = Primary.at(primary.internalEndpoint()).withName("fbprimary").withAdminEndpoint(primary.endpoint())
                .withAdmin("postgres", primary.password()).withHost(primary.host())
                .withService(ServiceControl.pgCtl());
        ReplicationRole role = ReplicationRole.named("replicator").withPassword(Secret.of("fallback-pw"));
        PrimarySettings archiving = PgBackRestPrimary.withArchiving(PrimarySettings.nonDurable(), pgBackRest);
        try (Replication primaryOnly = Replication.primary(p).replicationRole(role).settings(archiving).load()) {
            primaryOnly.apply();
        }
        pgBackRest.stanzaCreate(); // a stanza, but no backup in it yet

        try (Replication replication = Replication.primary(p).replicationRole(role).settings(archiving)
                .allow(HbaRule.replication("replicator", "samenet", "scram-sha-256"))
                .addStandby(Standby.named("fbstandby").withHost(standby.host())
                        .withDataDirectory(PostgresMachines.DATA_DIRECTORY)
                        .withAdminEndpoint(standby.endpoint(), "postgres", standby.password())
                        .withCloneMethods(PgBackRestRestore.from(RepositoryHost.at("fbprimary")
                                .withAccess(primary.host()), "main"), BaseBackup.defaults()))
                .load()) {
            assertThat(replication.plan().toRunbook()).contains("with pgbackrest-restore, else pg_basebackup")
                    .contains("pgbackrest").contains("pg_basebackup -h fbprimary");
            ApplyResult result = replication.apply();
            assertThat(result.cloneMethodUsed("fbstandby")).as(result.summary()).hasValueSatisfying(detail ->
                    assertThat(detail).startsWith("cloned with pg_basebackup after pgbackrest-restore failed:")
                            .containsIgnoringCase("backup"));
            assertThat(replication.status().standby("fbstandby"))
                    .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo("streaming"));
        }
        assertThat(standby.query("SELECT pg_is_in_recovery()")).isEqualTo("t");
    }
}
