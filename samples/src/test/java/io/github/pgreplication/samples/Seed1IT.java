package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The first runbook's topology, through the sample's description: eshua, eshub, eshuc. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Seed1IT {
    static PostgresMachines machines;
    static String sampleOutput;

    @BeforeAll
    static void runTheSample() throws SQLException {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "eshua", "eshub", "eshuc");
        machines.initDatabase("eshua");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamingReplicationSample.run(machines, new PrintStream(out, true, StandardCharsets.UTF_8));
        sampleOutput = out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    @Order(1)
    void theSampleReadsThePrimarysRowsOnBothStandbysAndPrintsAStatusLinePerStandby() {
        assertThat(sampleOutput).contains("eshub reads 2 mailboxes", "eshuc reads 2 mailboxes");
        assertThat(sampleOutput).containsPattern("(?m)^eshub\\s+streaming\\s+async\\s+\\S+\\s+\\d+\\s+\\d+$")
                .containsPattern("(?m)^eshuc\\s+streaming\\s+async\\s+\\S+\\s+\\d+\\s+\\d+$");
    }

    @Test
    @Order(2)
    void rowsWrittenLaterReachBothStandbys() throws SQLException {
        try (Replication replication = StreamingReplicationSample.describe(machines).load()) {
            execute(machines.machine("eshua"), "INSERT INTO mailbox SELECT 'user' || g || '@ghelew.ch', g"
                    + " FROM generate_series(1, 500) g");
            replication.awaitReplay(replication.currentLsn(), java.time.Duration.ofSeconds(30));
        }
        for (String standby : StreamingReplicationSample.STANDBYS) {
            assertThat(queryValue(machines.machine(standby), "SELECT count(*) FROM mailbox"))
                    .as("rows on %s", standby).isEqualTo("502");
        }
    }

    @Test
    @Order(3)
    void writesOnAStandbyFailAsReadOnly() {
        for (String standby : StreamingReplicationSample.STANDBYS) {
            assertThatThrownBy(() -> execute(machines.machine(standby), "INSERT INTO mailbox VALUES ('x', 1)"))
                    .as("write on %s", standby)
                    .hasMessageContaining("cannot execute INSERT in a read-only transaction");
        }
    }

    @Test
    @Order(4)
    void eachStandbyHasItsOwnActiveSlot() {
        try (Replication replication = StreamingReplicationSample.describe(machines).load()) {
            ReplicationStatus status = replication.status();
            assertThat(status.slots()).extracting(s -> s.name() + " active=" + s.active() + " " + s.walStatus())
                    .containsExactly("eshub_slot active=true reserved", "eshuc_slot active=true reserved");
            assertThat(status.standbys()).allSatisfy(s -> assertThat(s.streaming()).as(s.name()).isTrue());
        }
    }

    @Test
    @Order(5)
    void thePrimarysSettingsAreTheRunbooks() throws SQLException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("listen_addresses", "*");
        expected.put("wal_level", "replica");
        expected.put("fsync", "on");
        expected.put("synchronous_commit", "on");
        expected.put("wal_sync_method", "fsync");
        expected.put("full_page_writes", "on");
        expected.put("wal_log_hints", "off");
        expected.put("wal_compression", "off");
        expected.put("max_wal_size", "1GB");
        expected.put("min_wal_size", "300MB");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(queryValue(machines.machine("eshua"), "SELECT current_setting('" + e.getKey() + "')"))
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    @Order(6)
    void aSecondApplyChangesNothingAndSaysSo() {
        try (Replication replication = StreamingReplicationSample.describe(machines).load()) {
            ApplyResult again = replication.apply();
            assertThat(again.changed()).as(again.summary()).isFalse();
            assertThat(again.outcomes()).extracting(StepOutcome::status)
                    .doesNotContain(StepOutcome.Status.APPLIED);
            assertThat(again.summary()).contains("Nothing to change");
        }
        String hba = machines.machine("eshua").host().readFile("/var/lib/postgresql/data/pg_hba.conf").orElseThrow();
        assertThat(hba.split("# BEGIN pgreplication", -1)).as("one managed block in\n%s", hba).hasSize(2);
        assertThat(hba.split("host replication replicator samenet trust", -1)).hasSize(2);
    }

    @Test
    @Order(7)
    void aSettingThatNeedsARestartRestartsThePrimaryThroughItsServiceControl() throws SQLException {
        ClusterNode eshua = machines.machine("eshua");
        String startedBefore = queryValue(eshua, "SELECT pg_postmaster_start_time()::text");
        try (Replication replication = StreamingReplicationSample.describe(machines)
                .settings(seedSettings().withWalLogHints(true)).load()) {
            ApplyResult result = replication.apply();
            assertThat(result.outcomes()).anySatisfy(o -> assertThat(o.detail())
                    .contains("restarted for [wal_log_hints]"));
            replication.awaitStreaming(java.time.Duration.ofSeconds(30));
        }
        assertThat(queryValue(eshua, "SELECT current_setting('wal_log_hints')")).isEqualTo("on");
        assertThat(queryValue(eshua, "SELECT pg_postmaster_start_time()::text")).isNotEqualTo(startedBefore);
    }

    @Test
    @Order(8)
    void withoutAServiceControlASettingNeedingARestartFailsNamingTheParameterAndTheFix() {
        Replication.Builder description = StreamingReplicationSample.describe(machines);
        try (Replication withService = description.load();
                Replication withoutService = Replication.primary(withService.primaryServer().withService(null))
                        .replicationRole(withService.role())
                        .settings(seedSettings().withWalLogHints(false))
                        .load()) {
            assertThatThrownBy(withoutService::apply)
                    .isInstanceOf(io.github.pgreplication.StepFailedException.class)
                    .hasMessageContaining("Settings [wal_log_hints] on 'eshua'")
                    .hasMessageContaining("only take effect after a restart")
                    .hasMessageContaining("Primary.withService(ServiceControl.pgCtl())")
                    .cause().isInstanceOfSatisfying(io.github.pgreplication.OperationRefusedException.class, r -> assertThat(
                            r.kind()).isEqualTo(io.github.pgreplication.OperationRefusedException.Kind.RESTART_REQUIRED));
        }
    }

    private static PrimarySettings seedSettings() {
        try (Replication r = StreamingReplicationSample.describe(machines).load()) {
            return r.settings();
        }
    }

    private static void execute(ClusterNode node, String sql) throws SQLException {
        try (Connection c = node.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String queryValue(ClusterNode node, String sql) throws SQLException {
        try (Connection c = node.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    @Order(50)
    void theDurabilitySampleMakesCommitsWaitForAStandbyAndReleasesThem() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        ClusterNode eshua = machines.machine("eshua");
        execute(eshua, "CREATE TABLE durable (id int)");
        try (Replication quorum = DurabilitySample.quorumCommit(StreamingReplicationSample.describe(machines), print)) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("ANY 1 (\"eshub\", \"eshuc\")",
                    "1 standby may fail before commits wait");
            for (String standby : StreamingReplicationSample.STANDBYS) {
                machines.machine(standby).stop(io.github.pgreplication.testkit.StopMode.FAST);
            }
            java.util.concurrent.CompletableFuture<Void> commit = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            execute(eshua, "INSERT INTO durable VALUES (1)");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Thread.sleep(2_000);
            assertThat(commit).as("the commit waits for a standby").isNotDone();
            try (Replication relaxed = DurabilitySample.releaseWaitingCommits(quorum, print)) {
                commit.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(relaxed.syncPolicy()).isEqualTo(io.github.pgreplication.SyncPolicy.none());
            }
        } finally {
            for (String standby : StreamingReplicationSample.STANDBYS) {
                machines.machine(standby).start();
            }
        }
        assertThat(queryValue(eshua, "SELECT count(*) FROM durable")).isEqualTo("1");
        assertThat(queryValue(eshua, "SELECT current_setting('synchronous_standby_names')")).isEmpty();
        try (Replication replication = StreamingReplicationSample.describe(machines).load()) {
            replication.awaitStreaming(java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(100)
    void theOperationsSampleSwitchesOverToEshubAndBack() throws SQLException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (Replication replication = StreamingReplicationSample.describe(machines).load()) {
            OperationsSample.switchoverAndBack(replication, new PrintStream(out, true, StandardCharsets.UTF_8));
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(printed).contains("pg_promote", "eshub: primary, timeline 2", "eshua: standby of eshub",
                "eshuc: standby of eshub", "eshua: primary, timeline 3", "eshub: standby of eshua",
                "eshuc: standby of eshua");
        assertThat(queryValue(machines.machine("eshub"), "SELECT pg_is_in_recovery()")).isEqualTo("t");
    }
}
