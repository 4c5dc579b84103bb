package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.pgbackrest.BackupInfo;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.StanzaInfo;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The second runbook end to end: a repository on the primary, a standby with no published port restored from it
 * over SSH, streaming, and fed by archive-get when streaming is cut.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestClusterIT {
    static ReplicationCluster cluster;
    static ClusterNode primary;
    static ClusterNode standby;

    @BeforeAll
    static void start() {
        cluster = ReplicationCluster.builder().withPgBackRest().standbys(1).start();
        primary = cluster.primary();
        standby = cluster.standby(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theStandbyWasRestoredOverSshWithoutAPortOfItsOwnAndStreams() {
        ApplyResult setup = cluster.setupResult();
        assertThat(setup.cloneMethodUsed("standby1")).as(setup.summary()).contains("cloned with pgbackrest-restore");
        assertThat(standby.published()).isFalse();
        assertThat(standby.container().getExposedPorts()).as("ports the standby publishes").isEmpty();
        assertThat(standby.query("SELECT pg_is_in_recovery(), status FROM pg_stat_wal_receiver"))
                .isEqualTo("t|streaming");
        assertThat(standby.query("SHOW restore_command")).as("archive-get is the standby's fallback")
                .contains("pgbackrest").contains("archive-get");
        assertThat(standby.host().readFile("/var/lib/postgresql/.ssh/known_hosts")).as("pinned host key")
                .hasValueSatisfying(k -> assertThat(k).contains("primary ssh-ed25519 "));
        assertThat(cluster.replication().status().standby("standby1"))
                .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo("streaming"));
    }

    @Test
    @Order(2)
    void rowsWrittenAfterTheBackupReachTheStandby() {
        primary.query("CREATE TABLE after_backup AS SELECT g FROM generate_series(1, 1000) g");
        cluster.awaitReplication();
        assertThat(standby.query("SELECT count(*) FROM after_backup")).isEqualTo("1000");
    }

    @Test
    @Order(3)
    void reRunningTheWholeSetUpChangesNothing() {
        ApplyResult again = cluster.replication().apply();
        assertThat(again.changed()).as(again.summary()).isFalse();
    }

    @Test
    @Order(4)
    void whenStreamingIsCutWalStillArrivesThroughArchiveGet() {
        String conninfo = standby.query("SHOW primary_conninfo");
        standby.query("ALTER SYSTEM SET primary_conninfo = ''");
        standby.query("SELECT pg_reload_conf()");
        assertThat(until(Duration.ofSeconds(20),
                () -> standby.query("SELECT count(*) FROM pg_stat_wal_receiver").equals("0")))
                .as("WAL receiver stopped").isTrue();

        primary.query("CREATE TABLE from_archive AS SELECT g FROM generate_series(1, 500) g");
        primary.query("SELECT pg_switch_wal()"); // completes the segment: archive-push ships it
        boolean arrived = until(Duration.ofSeconds(60),
                () -> standby.query("SELECT count(*) FROM pg_class WHERE relname = 'from_archive'").equals("1"));
        assertThat(arrived).as("table created after streaming was cut reached the standby").isTrue();
        assertThat(standby.query("SELECT count(*) FROM from_archive")).isEqualTo("500");
        assertThat(standby.query("SELECT count(*) FROM pg_stat_wal_receiver")).as("still no streaming").isEqualTo("0");

        standby.query("ALTER SYSTEM SET primary_conninfo = '" + conninfo.replace("'", "''") + "'");
        standby.query("SELECT pg_reload_conf()");
        cluster.replication().awaitStreaming(Duration.ofSeconds(30));
    }

    static boolean until(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Test
    @Order(5)
    void infoParsesFullDiffAndIncrBackups() {
        PgBackRest pgBackRest = cluster.pgBackRest().orElseThrow();
        pgBackRest.backup(BackupType.DIFF);
        pgBackRest.backup(BackupType.INCR);
        StanzaInfo info = pgBackRest.info();
        assertThat(info.status().code()).isZero();
        assertThat(info.backups()).extracting(BackupInfo::type)
                .containsExactly(BackupType.FULL, BackupType.DIFF, BackupType.INCR);
        assertThat(info.backups()).allSatisfy(b -> {
            assertThat(b.lsnStop()).isNotNull();
            assertThat(b.databaseSize()).isPositive();
        });
    }
}
