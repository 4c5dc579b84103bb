package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.Secret;
import io.github.pgreplication.StepFailedException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * A primary administered with a wrong password, an unknown database, an unknown host or a port nothing listens on:
 * apply() and status() say which, within a few seconds, with the driver's words and its exception as the cause.
 */
class AdminConnectionIT {
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "guarded");
        machines.initDatabase("guarded");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    private static Replication describe(UnaryOperator<Primary> change) {
        ClusterNode guarded = machines.machine("guarded");
        return Replication.primary(change.apply(Primary.at(guarded.internalEndpoint()).withName("guarded")
                .withAdminEndpoint(guarded.endpoint()).withAdmin("postgres", guarded.password())
                .withHost(guarded.host()))).load();
    }

    /** Runs apply(), asserting it fails within {@code within} as a step failure caused by the given kind. */
    private static AbstractThrowableAssert<?, ? extends Throwable> applyFailsWithin(Replication replication,
            Duration within, Kind kind) {
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            replication.apply();
        } catch (RuntimeException e) {
            thrown = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("time until apply() reported the failure").isLessThan(within);
        return assertThat(thrown).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step failed on guarded: primary is reachable")
                .hasMessageContaining("Already done on guarded: nothing")
                .hasMessageNotContaining("Connection is not available")
                .cause().isInstanceOfSatisfying(ConnectionFailedException.class, c -> {
                    assertThat(c.kind()).isEqualTo(kind);
                    assertThat(c.node()).isEqualTo("guarded");
                });
    }

    @Test
    void aWrongAdminPasswordIsReportedAtOnceAsAnAuthenticationFailure() {
        try (Replication replication = describe(p -> p.withAdmin("postgres", Secret.of("not-the-password")))) {
            applyFailsWithin(replication, Duration.ofSeconds(3), Kind.AUTHENTICATION)
                    .hasMessageContaining("password authentication failed for user \"postgres\"")
                    .hasMessageContaining("SQLSTATE 28P01")
                    .hasMessageContaining("Check the admin password given with withAdmin(user, password)")
                    .hasMessageNotContaining("not-the-password")
                    .hasRootCauseInstanceOf(PSQLException.class);
            long start = System.nanoTime();
            assertThatThrownBy(replication::status).isInstanceOf(ConnectionFailedException.class)
                    .hasMessageContaining("password authentication failed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("status() through the pool")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anUnknownAdminUserIsReportedAtOnceAsAnAuthenticationFailure() {
        try (Replication replication = describe(p -> p.withAdmin("nobody", Secret.of("x")))) {
            applyFailsWithin(replication, Duration.ofSeconds(3), Kind.AUTHENTICATION)
                    .hasMessageContaining("user nobody")
                    .hasMessageContaining("\"nobody\"");
        }
    }

    @Test
    void anUnknownDatabaseIsReportedAtOnceNamingIt() {
        try (Replication replication = describe(p -> p.withDatabase("no_such_db"))) {
            applyFailsWithin(replication, Duration.ofSeconds(3), Kind.UNKNOWN_DATABASE)
                    .hasMessageContaining("database \"no_such_db\" does not exist")
                    .hasMessageContaining("SQLSTATE 3D000")
                    .hasMessageContaining("withDatabase(...)");
        }
    }

    @Test
    void anUnknownHostIsReportedAtOnceNamingIt() {
        try (Replication replication = describe(p -> p.withAdminEndpoint(Endpoint.of("no-such-host.invalid", 5432)))) {
            applyFailsWithin(replication, Duration.ofSeconds(3), Kind.UNKNOWN_HOST)
                    .hasMessageContaining("no-such-host.invalid")
                    .hasMessageContaining("does not resolve");
        }
    }

    @Test
    void aPortNothingListensOnIsReportedAsRefusedAfterAShortWait() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closed = port;
        try (Replication replication = describe(p -> p.withAdminEndpoint(Endpoint.of("127.0.0.1", closed)))) {
            applyFailsWithin(replication, Duration.ofSeconds(10), Kind.REFUSED)
                    .hasMessageContaining("127.0.0.1:" + closed)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("(still so after 5 s)")
                    .hasMessageContaining("start the server, or check the port");
        }
    }
}
