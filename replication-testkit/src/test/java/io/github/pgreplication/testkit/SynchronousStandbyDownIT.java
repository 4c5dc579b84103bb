package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StandbyNotStreamingException;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import io.github.pgreplication.host.ServiceControl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A primary with {@code synchronous_standby_names = 'FIRST 1 (s)'} and its synchronous standby {@code s} stopped:
 * the library's own writes (a rotated replication password, settings) do not wait for it, every primary step
 * completes at once, and the same apply() then starts {@code s} and converges. Waits for {@code s} say that
 * synchronous replication is involved.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynchronousStandbyDownIT {
    private static final Duration FAST = Duration.ofSeconds(5);
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "syncp", "s");
        machines.initDatabase("syncp").query("CREATE TABLE probe (id int)");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    private static Replication describe(String password, PrimarySettings extra, UnaryOperator<Primary> admin) {
        ClusterNode p = machines.machine("syncp");
        ClusterNode s = machines.machine("s");
        return Replication.primary(admin.apply(Primary.at(p.internalEndpoint()).withName("syncp")
                        .withAdminEndpoint(p.endpoint()).withAdmin("postgres", p.password())
                        .withHost(p.host()).withService(ServiceControl.pgCtl())))
                .settings(PrimarySettings.empty().withSynchronousStandbyNames("FIRST 1 (s)").withAll(extra))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(password)))
                .allow(HbaRule.replication("replicator", "samenet", "scram-sha-256"))
                .addStandby(Standby.named("s").withHost(s.host()).withDataDirectory(PostgresMachines.DATA_DIRECTORY)
                        .withAdminEndpoint(s.endpoint(), "postgres", s.password()))
                .load();
    }

    private static void stopStandby() {
        ClusterNode s = machines.machine("s");
        ServiceControl.pgCtl().perform(ServiceAction.STOP, s.host(), PostgresMachines.DATA_DIRECTORY);
        assertThat(machines.machine("syncp").query("SELECT count(*) FROM pg_stat_replication"))
                .as("s is gone from the primary's view").isEqualTo("0");
    }

    /**
     * Writes with the server's default synchronous_commit (on), cancelling the statement after 1 s (a commit waiting
     * for a synchronous standby ignores statement_timeout; a cancel ends the wait with a warning).
     *
     * @return the warnings the write got
     */
    private static String timedWrite(DataSource ds, Duration[] took) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    st.cancel();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
            long start = System.nanoTime();
            try {
                st.execute("INSERT INTO probe VALUES (1)");
            } finally {
                took[0] = Duration.ofNanos(System.nanoTime() - start);
                cancel.cancel(false);
            }
            StringBuilder warnings = new StringBuilder();
            for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                warnings.append(w.getMessage()).append('\n');
            }
            return warnings.toString();
        }
    }

    private static void assertPrimaryStepsFastAndStandbyRestarted(ApplyResult result, Duration total) {
        assertThat(result.outcomes()).filteredOn(o -> o.node().equals("syncp")).isNotEmpty()
                .allSatisfy(o -> assertThat(o.elapsed()).as("primary step '%s' with s down", o.title())
                        .isLessThan(FAST));
        assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("replication role"))
                .singleElement().satisfies(o -> {
                    assertThat(o.status()).isEqualTo(StepOutcome.Status.APPLIED);
                    assertThat(o.detail()).contains("password set");
                });
        assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("start the standby"))
                .singleElement().satisfies(o -> assertThat(o.status()).as("s started again by apply()")
                        .isEqualTo(StepOutcome.Status.APPLIED));
        assertThat(total).as("the whole apply(), standby start and streaming included").isLessThan(Duration.ofSeconds(40));
    }

    private static void assertSynchronousAgain(Replication replication) throws SQLException {
        StandbyStatus s = replication.status().standby("s").orElseThrow();
        assertThat(s.state()).isEqualTo("streaming");
        assertThat(s.syncState()).isEqualTo("sync");
        Duration[] took = new Duration[1];
        String warnings = timedWrite(machines.machine("syncp").dataSource(), took);
        assertThat(warnings).as("a synchronous commit with s back").isEmpty();
        assertThat(took[0]).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(1)
    void theFirstSetUpWithSynchronousNamesFromTheStartConverges() throws SQLException {
        try (Replication replication = describe("first-password", PrimarySettings.empty(), p -> p)) {
            long start = System.nanoTime();
            replication.apply();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
            assertSynchronousAgain(replication);
        }
    }

    @Test
    @Order(2)
    void aRotatedPasswordAppliesWithTheSynchronousStandbyDownAndApplyStartsIt() throws SQLException {
        stopStandby();
        ClusterNode primary = machines.machine("syncp");
        Duration[] took = new Duration[1];
        String warnings = timedWrite(primary.dataSource(), took);
        assertThat(warnings).as("precondition: an ordinary commit waits for s").contains(
                "canceling wait for synchronous replication");
        assertThat(took[0]).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        try (Replication replication = describe("second-password",
                PrimarySettings.empty().withParameter("work_mem", "8MB"), p -> p)) {
            assertThatThrownBy(() -> replication.awaitReplay(replication.currentLsn(), Duration.ofSeconds(1)))
                    .isInstanceOf(StandbyNotStreamingException.class)
                    .hasMessageContaining("Standby 's' has not replayed")
                    .hasMessageContaining("The primary has synchronous_standby_names = 'FIRST 1 (s)', which names 's'")
                    .hasMessageContaining("commits on the primary that wait for a synchronous standby")
                    .hasMessageContaining("block");
            long start = System.nanoTime();
            ApplyResult result = replication.apply();
            assertPrimaryStepsFastAndStandbyRestarted(result, Duration.ofNanos(System.nanoTime() - start));
            assertThat(primary.query("SHOW work_mem")).isEqualTo("8MB");
            assertSynchronousAgain(replication);
        }
    }

    @Test
    @Order(3)
    void aCallersDataSourceGetsLocalCommitsDuringApplyAndItsOwnSettingBack() throws SQLException {
        ClusterNode p = machines.machine("syncp");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(p.jdbcUrl());
        config.setUsername("postgres");
        config.setPassword(p.password().reveal().orElseThrow());
        config.setMaximumPoolSize(1);
        try (HikariDataSource callers = new HikariDataSource(config)) {
            stopStandby();
            try (Replication replication = describe("third-password", PrimarySettings.empty(),
                    primary -> primary.withDataSource(callers))) {
                long start = System.nanoTime();
                ApplyResult result = replication.apply();
                assertPrimaryStepsFastAndStandbyRestarted(result, Duration.ofNanos(System.nanoTime() - start));
                assertSynchronousAgain(replication);
            }
            try (Connection c = callers.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
                rs.next();
                assertThat(rs.getString(1)).as("the caller's pooled session, after apply()").isEqualTo("on");
            }
        }
    }
}
