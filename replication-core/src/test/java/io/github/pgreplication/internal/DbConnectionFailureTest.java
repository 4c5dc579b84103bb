package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Connection failures that need no server (nothing listening on a loopback port, a name that cannot resolve) are
 * reported at once as what they are, through the pool and without it; the driver's exception stays the cause.
 */
class DbConnectionFailureTest {

    /** @return a loopback port nothing listens on (bound, then released) */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionThroughThePoolNamesTheRefusalNotThePoolTimeout() throws IOException {
        int port = freePort();
        try (Db db = Db.pool("p1", Endpoint.of("127.0.0.1", port), "postgres", "postgres", Secret.none(), 500)) {
            assertThatThrownBy(() -> db.queryValue("SELECT 1"))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
                        assertThat(e.node()).isEqualTo("p1");
                        assertThat(e.sqlState()).as("the server never answered").isNull();
                        assertThat(e.getCause()).isInstanceOf(PSQLException.class);
                    })
                    .hasMessageContaining("[p1] cannot connect (user postgres, database postgres at 127.0.0.1:" + port)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("start the server, or check the port")
                    .hasMessageNotContaining("Connection is not available");
        }
    }

    /**
     * What a man in the middle does to a client that asks for TLS: answers 'N' to every SSLRequest, then closes
     * whatever comes after it (a plain startup message, which would carry a password in clear).
     *
     * @return the listening socket; the caller closes it
     */
    private static ServerSocket sayingNoTls(java.util.concurrent.atomic.AtomicInteger plainStartups)
            throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket c = server.accept()) {
                    java.io.DataInputStream in = new java.io.DataInputStream(c.getInputStream());
                    int length = in.readInt();
                    int code = in.readInt();
                    in.skipNBytes(length - 8);
                    if (code == 80877103) { // SSLRequest
                        c.getOutputStream().write('N');
                        c.getOutputStream().flush();
                        int next = in.readInt();
                        if (next > 0) {
                            plainStartups.incrementAndGet();
                        }
                    } else {
                        plainStartups.incrementAndGet();
                    }
                } catch (IOException e) {
                    // the client went away, or the server socket closed
                }
            }
        }, "says-no-tls");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void aServerTheNetworkSaysHasNoTlsIsNotDowngradedToUnlessItsOwnHostSaysSslIsOff() throws IOException {
        java.util.concurrent.atomic.AtomicInteger plain = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket mitm = sayingNoTls(plain)) {
            Endpoint at = Endpoint.of("127.0.0.1", mitm.getLocalPort());
            io.github.pgreplication.Tls.Client tls = io.github.pgreplication.Tls.Client
                    .verifyFull("/nonexistent/root.crt");
            for (java.util.Optional<Boolean> says : java.util.List.of(java.util.Optional.of(true),
                    java.util.Optional.<Boolean>empty())) {
                java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
                try (Db db = Db.bootstrappingTls("p", at, "postgres", "postgres", Secret.of("pw"), 1_000, tls,
                        () -> {
                            asked.incrementAndGet();
                            return says;
                        })) {
                    assertThatThrownBy(() -> db.queryValue("SELECT 1"))
                            .as("server says %s", says)
                            .isInstanceOfSatisfying(ConnectionFailedException.class, e -> assertThat(e.kind())
                                    .isEqualTo(Kind.TLS_UNAVAILABLE));
                    assertThat(asked.get()).as("the server's own host was asked").isPositive();
                }
            }
            assertThat(plain.get()).as("no session went on without TLS").isZero();

            try (Db db = Db.bootstrappingTls("p", at, "postgres", "postgres", Secret.of("pw"), 1_000, tls,
                    () -> java.util.Optional.of(false))) {
                assertThatThrownBy(() -> db.queryValue("SELECT 1")).isInstanceOf(ConnectionFailedException.class);
            }
            assertThat(plain.get()).as("ssl = off on its own host: the bootstrap's sslmode=prefer goes on in clear")
                    .isPositive();
        }
    }

    @Test
    void waitingForARefusingServerGivesUpAfterTheTimeoutWithTheCause() throws IOException {
        int port = freePort();
        try (Db db = Db.pool("p2", Endpoint.of("127.0.0.1", port), "postgres", "postgres", Secret.none())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.awaitReachable(Duration.ofMillis(600)))
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED))
                    .hasMessageContaining("refused")
                    .hasMessageContaining("(still so after 0 s)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited about the timeout")
                    .isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
        }
    }

    @Test
    void anUnknownHostFailsAtOnceWithoutWaitingForTheTimeout() {
        try (Db db = Db.pool("p3", Endpoint.of("no-such-host.invalid", 5432), "postgres", "postgres",
                Secret.none())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.awaitReachable(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_HOST);
                        assertThat(e.kind().permanent()).isTrue();
                    })
                    .hasMessageContaining("no-such-host.invalid")
                    .hasMessageContaining("does not resolve");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no waiting for a name that does not resolve")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aPoolTimeoutIsReportedByTheDriverExceptionBehindIt() {
        PSQLException driver = new PSQLException("FATAL: password authentication failed for user \"postgres\"",
                PSQLState.INVALID_PASSWORD);
        SQLTransientConnectionException pool = new SQLTransientConnectionException(
                "pgreplication-x - Connection is not available, request timed out after 3000ms.", driver);
        ConnectionFailedException e = ConnectionFailures.of("x", "user postgres, database postgres at h:5432", pool);
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.kind().permanent()).isTrue();
        assertThat(e.sqlState()).isEqualTo("28P01");
        assertThat(e.getCause()).as("the driver's exception stays reachable").isSameAs(driver);
        assertThat(e).hasMessageContaining("password authentication failed for user \"postgres\" (SQLSTATE 28P01)")
                .hasMessageContaining("Check the admin password given with withAdmin(user, password)")
                .hasMessageNotContaining("Connection is not available");
    }

    @Test
    void eachServerSqlStateHasItsKind() {
        assertThat(kindOf("28000", "FATAL: no pg_hba.conf entry for host \"10.0.0.9\"")).isEqualTo(Kind.AUTHENTICATION);
        assertThat(kindOf("3D000", "FATAL: database \"nope\" does not exist")).isEqualTo(Kind.UNKNOWN_DATABASE);
        assertThat(kindOf("57P03", "FATAL: the database system is starting up")).isEqualTo(Kind.NOT_READY);
        assertThat(kindOf("53300", "FATAL: sorry, too many clients already")).isEqualTo(Kind.NOT_READY);
        assertThat(kindOf("08006", "An I/O error occurred")).isEqualTo(Kind.OTHER);
        assertThat(Kind.NOT_READY.permanent()).as("a starting server is worth waiting for").isFalse();
        assertThat(Kind.REFUSED.permanent()).as("a server about to listen is worth waiting for").isFalse();
        assertThat(Kind.UNKNOWN_DATABASE.permanent()).isTrue();
    }

    @Test
    void unknownDatabaseAdviceNamesTheSetting() {
        ConnectionFailedException e = ConnectionFailures.of("x", "t", new SQLException(
                "FATAL: database \"nope\" does not exist", "3D000"));
        assertThat(e).hasMessageContaining("database \"nope\" does not exist (SQLSTATE 3D000)")
                .hasMessageContaining("withDatabase(...)");
    }

    @Test
    void aRefusalWrappedByAnotherPoolIsStillARefusal() {
        SQLException wrapped = new SQLException("pool exhausted", new PSQLException("Connection to h:1 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused")));
        ConnectionFailedException e = ConnectionFailures.of("x", "t", wrapped);
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e).hasMessageContaining("Connection to h:1 refused.: Connection refused");
    }

    @Test
    void aCallersPoolThatTimesOutIsReportedByItsCause() throws IOException {
        int port = freePort();
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        HikariConfig config = new HikariConfig();
        config.setDataSource(driver);
        config.setConnectionTimeout(300);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource callers = new HikariDataSource(config); Db db = Db.of("p4", callers)) {
            assertThatThrownBy(() -> db.queryValue("SELECT 1"))
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED))
                    .hasMessageContaining("[p4] cannot connect (through the DataSource given to withDataSource(...))")
                    .hasMessageContaining("refused");
        }
    }

    @Test
    void thePoolsDriverSourceCarriesEveryPropertyAsAPropertyAndBracketsIpv6() {
        PGSimpleDataSource ds = Db.driverSource(Endpoint.of("::1", 5433), "postgres?socketFactory=x", "u",
                Secret.of("pw"));
        assertThat(ds.getUrl()).startsWith("jdbc:postgresql://[::1]:5433/")
                .as("the database name is encoded, not a parameter").doesNotContain("?socketFactory");
        assertThat(ds.getOptions()).as("session values are SET, so reset_val keeps the server's").isNull();
        assertThat(Db.SESSION_INIT).isEqualTo("SET synchronous_commit = local");
        assertThat(ds.getDatabaseName()).isEqualTo("postgres?socketFactory=x");
        assertThat(ds.getSocketTimeout()).isEqualTo(60);
        assertThat(ds.getApplicationName()).isEqualTo("pgreplication");
    }

    private static Kind kindOf(String sqlState, String message) {
        return ConnectionFailures.of("x", "t", new SQLException(message, sqlState)).kind();
    }
}
