package io.github.pgreplication.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Tls;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to one node: a small named HikariCP pool, or a caller-supplied DataSource (never closed here).
 *
 * <p>Every session the library administers with runs with {@code synchronous_commit = local}: its own writes (roles,
 * slots) never wait for a synchronous standby, which may be the very standby the library is about to start. The
 * pool's sessions {@code SET} it when they open; a caller's connection gets it for the duration of {@link #with}
 * and its previous value back afterwards. Either way it is a session value, not a startup option, so
 * {@code pg_settings.reset_val} still shows the server's own value (which the settings step compares).
 *
 * <p>A failed connection is reported as what it is ({@link ConnectionFailedException} with the driver's words), and
 * {@link #awaitReachable} waits for a server that is not up yet without waiting for one that refuses the login.
 */
public final class Db implements AutoCloseable, SqlSession {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);
    /** Run by every session of the library's own pools when it opens. */
    static final String SESSION_INIT = "SET synchronous_commit = local";
    /** How long a statement may wait for the server's answer, in seconds (PgJDBC socketTimeout). */
    static final int SOCKET_TIMEOUT_S = 60;

    /** Work done with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param c a connection
         * @return a result
         * @throws SQLException on database errors
         */
        T apply(Connection c) throws SQLException;
    }

    private final String node;
    private final String target;
    private final DataSource dataSource;
    private final DataSource direct;
    private final HikariDataSource owned;
    /** Whether its sessions were told not to use TLS (sslmode=disable): a refusal for "no encryption" is TLS's. */
    private volatile boolean withoutTls;
    /** The client certificate the sessions present ({@code sslcert}), for a failure to name when it expired. */
    private volatile String clientCertificate;
    /** The sslmode its sessions require, when the library turns TLS on itself (see {@link #requireTls()}). */
    private volatile String bootstrapMode;
    /** Whether its sessions connect with sslmode=prefer until TLS is on: the server had none at the first try. */
    private volatile boolean bootstrapping;
    /**
     * Asks the server itself, not through the network, whether it has TLS on ({@code SHOW ssl} by psql on its host):
     * true, false, or empty when it cannot tell. The fallback to prefer happens only when it says off.
     */
    private volatile java.util.function.Supplier<Optional<Boolean>> sslOnOnServer;

    private Db(String node, String target, DataSource dataSource, DataSource direct, HikariDataSource owned) {
        this.node = node;
        this.target = target;
        this.dataSource = dataSource;
        this.direct = direct;
        this.owned = owned;
    }

    /**
     * @param node node name
     * @param dataSource caller's source
     * @return connections through it
     */
    public static Db of(String node, DataSource dataSource) {
        return new Db(node, "through the DataSource given to withDataSource(...)", dataSource, dataSource, null);
    }

    /**
     * @param node     node name, used for the pool name and messages
     * @param endpoint where to connect
     * @param database database name
     * @param user     user
     * @param password password or none
     * @return a pool of at most 2 connections
     */
    public static Db pool(String node, Endpoint endpoint, String database, String user, Secret password) {
        return pool(node, endpoint, database, user, password, 3_000);
    }

    /**
     * @param node              node name, used for the pool name and messages
     * @param endpoint          where to connect
     * @param database          database name
     * @param user              user
     * @param password          password or none
     * @param connectTimeoutMs  how long getting a connection may wait, at least 250 ms
     * @return a pool of at most 2 connections
     */
    public static Db pool(String node, Endpoint endpoint, String database, String user, Secret password,
            long connectTimeoutMs) {
        return pool(node, endpoint, database, user, password, connectTimeoutMs, null);
    }

    /**
     * @param node              node name, used for the pool name and messages
     * @param endpoint          where to connect
     * @param database          database name
     * @param user              user
     * @param password          password or none
     * @param connectTimeoutMs  how long getting a connection may wait, at least 250 ms
     * @param tls               what the sessions present ({@code sslmode}, CA, certificate); null for the driver's
     *                          defaults
     * @return a pool of at most 2 connections
     */
    public static Db pool(String node, Endpoint endpoint, String database, String user, Secret password,
            long connectTimeoutMs, Tls.Client tls) {
        PGSimpleDataSource direct = driverSource(endpoint, database, user, password);
        TlsJdbc.configure(direct, tls);
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgreplication-" + node);
        config.setDataSource(direct);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectTimeoutMs);
        config.setValidationTimeout(Math.min(1_000, connectTimeoutMs));
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql(SESSION_INIT);
        HikariDataSource ds = new HikariDataSource(config);
        Db db = new Db(node, "user " + user + ", database " + database + " at " + endpoint, ds, direct, ds);
        db.withoutTls = tls != null && tls.mode() == Tls.Mode.DISABLE;
        db.clientCertificate = tls == null ? null : tls.certificateFile();
        return db;
    }

    /**
     * A pool to a node whose TLS the library turns on: when the server has none yet ("The server does not support
     * SSL"), its sessions connect with {@code sslmode=prefer} (as they would without TLS described) until
     * {@link #requireTls()}, which the step that turned TLS on calls. Only when the server itself says so: a session
     * told "no TLS" by whatever answers on the network (a man in the middle would) falls back only after
     * {@code sslOnOnServer} read {@code ssl = off} on the server's own host; else the failure is reported.
     *
     * @param node              node name, used for the pool name and messages
     * @param endpoint          where to connect
     * @param database          database name
     * @param user              user
     * @param password          password or none
     * @param connectTimeoutMs  how long getting a connection may wait, at least 250 ms
     * @param tls               what the sessions present once TLS is on
     * @param sslOnOnServer     the server's own answer to {@code SHOW ssl}, read on its host; empty when unknown
     * @return a pool of at most 2 connections
     */
    public static Db bootstrappingTls(String node, Endpoint endpoint, String database, String user, Secret password,
            long connectTimeoutMs, Tls.Client tls, java.util.function.Supplier<Optional<Boolean>> sslOnOnServer) {
        Db db = pool(node, endpoint, database, user, password, connectTimeoutMs, tls);
        if (tls != null && tls.mode() != Tls.Mode.DISABLE && tls.mode() != Tls.Mode.PREFER) {
            db.bootstrapMode = tls.mode().keyword();
            db.sslOnOnServer = java.util.Objects.requireNonNull(sslOnOnServer, "sslOnOnServer");
        }
        return db;
    }

    /**
     * @param failure a failed connection attempt
     * @return whether it was the server having no TLS yet while the library turns it on, and the sessions now
     *         connect with sslmode=prefer (once: a second such failure is reported)
     */
    private synchronized boolean fellBackToPrefer(ConnectionFailedException failure) {
        if (failure.kind() != ConnectionFailedException.Kind.TLS_UNAVAILABLE || bootstrapMode == null
                || bootstrapping || !(direct instanceof PGSimpleDataSource ds)) {
            return false;
        }
        Optional<Boolean> on = sslOnOnServer.get();
        if (on.isEmpty() || on.get()) {
            // What answered on the network said "no TLS", and the server itself does not say so: never downgrade.
            LOG.warn("[{}] a session was told the server has no TLS, but {}: not falling back to sslmode=prefer",
                    node, on.isEmpty() ? "its own host could not confirm that ssl is off" : "the server has ssl = on"
                    + " (SHOW ssl on its host): something between answers for it");
            return false;
        }
        LOG.info("[{}] the server has no TLS yet (ssl = off on its host): sslmode=prefer until the library turned it"
                + " on", node);
        bootstrapping = true;
        ds.setSslMode("prefer");
        return true;
    }

    /**
     * From now on every new session requires TLS as described (after TLS was turned on), for good; sessions opened
     * before are dropped.
     */
    public synchronized void requireTls() {
        if (bootstrapping && direct instanceof PGSimpleDataSource ds) {
            ds.setSslMode(bootstrapMode);
            bootstrapping = false;
            evict();
        }
        bootstrapMode = null; // no fallback any more: a server without TLS from now on is a failure
    }

    /**
     * The driver's own source, with every connection property set as a property (nothing spliced into a URL).
     *
     * @return an unpooled source; also what the pool draws its connections from
     */
    static PGSimpleDataSource driverSource(Endpoint endpoint, String database, String user, Secret password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        String host = endpoint.host();
        // The driver builds a URL from these properties: an IPv6 address needs its brackets there.
        ds.setServerNames(new String[] {host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host});
        ds.setPortNumbers(new int[] {endpoint.port()});
        ds.setDatabaseName(database);
        ds.setUser(user);
        password.reveal().ifPresent(ds::setPassword);
        ds.setApplicationName("pgreplication");
        ds.setConnectTimeout(3);
        ds.setSocketTimeout(SOCKET_TIMEOUT_S);
        return ds;
    }

    /** @return the node's name */
    public String node() {
        return node;
    }

    /** @return the underlying source */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * @param work what to do
     * @param <T>  result type
     * @return its result
     * @throws ReplicationException wrapping database errors, with the node's name
     */
    public <T> T with(Work<T> work) {
        Connection connection;
        try {
            failFastWhenDown();
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            ConnectionFailedException failure = ConnectionFailures.of(node, target, e, withoutTls, clientCertificate);
            if (!fellBackToPrefer(failure)) {
                throw failure;
            }
            try {
                connection = dataSource.getConnection();
            } catch (SQLException again) {
                throw ConnectionFailures.of(node, target, again, withoutTls, clientCertificate);
            }
        }
        try (Connection c = RoundTrips.counted(connection)) {
            c.setAutoCommit(true);
            if (owned != null) {
                return work.apply(c);
            }
            String previous = setSynchronousCommit(c, "local");
            T result;
            try {
                result = work.apply(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    setSynchronousCommit(c, previous);
                } catch (SQLException restore) {
                    e.addSuppressed(restore); // the work's failure is the one to report
                }
                throw e;
            }
            setSynchronousCommit(c, previous); // the caller's session gets its own value back
            return result;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * When the pool has no idle connection it would open one, and for a server that refuses or is unknown it
     * retries until its connection timeout (seconds) before saying so. The driver's own connection says it in
     * milliseconds: try it first, so that asking a stopped node about itself (as every operation does) costs
     * nothing. A server that answers costs one extra connection, only when the pool is empty.
     */
    private void failFastWhenDown() throws SQLException {
        if (owned == null || owned.getHikariPoolMXBean() == null
                || owned.getHikariPoolMXBean().getIdleConnections() > 0) {
            return;
        }
        direct.getConnection().close();
        RoundTrips.query(); // a connection made and closed: at least one round trip
    }

    /** @return the value synchronous_commit had in the session before */
    private static String setSynchronousCommit(Connection c, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('synchronous_commit'),"
                + " set_config('synchronous_commit', ?, false)")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private ReplicationException failed(SQLException e) {
        if (ConnectionFailures.chain(e).stream().anyMatch(SocketTimeoutException.class::isInstance)) {
            return new ReplicationException("[" + node + "] the server did not answer within " + SOCKET_TIMEOUT_S
                    + " s (" + e.getMessage() + "). A statement blocked on the server: a lock held by another"
                    + " session, or a commit waiting for a synchronous standby (synchronous_standby_names) that is"
                    + " not connected; pg_stat_activity.wait_event shows which (SyncRep for the latter).", e);
        }
        return new ReplicationException("[" + node + "] " + e.getMessage(), e);
    }

    /**
     * @param sql a query returning one value
     * @param params bound parameters
     * @return the first column, first row
     */
    @Override
    public Optional<String> queryValue(String sql, Object... params) {
        return with(c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /**
     * @param sql a query
     * @param params bound parameters
     * @return every row, columns as strings
     */
    @Override
    public List<List<String>> queryRows(String sql, Object... params) {
        return with(c -> rows(c, sql, params));
    }

    /**
     * @param c connection
     * @param sql query
     * @param params parameters
     * @return rows, columns as text
     * @throws SQLException when the query fails
     */
    public static List<List<String>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    /**
     * @param sql a statement without result
     * @param params bound parameters
     */
    public void execute(String sql, Object... params) {
        with(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                ps.execute();
                return null;
            }
        });
    }

    /**
     * Waits until the server accepts a connection, trying without the pool (whose timeout would hide the cause).
     * A failure waiting cannot cure (authentication, unknown database, unknown host) is thrown at once.
     *
     * @param timeout how long to keep trying while the server is down, starting or not answering
     * @throws ConnectionFailedException at once when permanent, else after the timeout, with the last cause
     */
    public void awaitReachable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 20;
        boolean first = true;
        while (true) {
            ConnectionFailedException last;
            RoundTrips.attempt(first);
            first = false;
            try (Connection c = direct.getConnection()) {
                if (c.isValid(2)) {
                    return;
                }
                last = ConnectionFailures.of(node, target, new SQLException("the connection was not valid"),
                        withoutTls, clientCertificate);
            } catch (SQLException e) {
                last = ConnectionFailures.of(node, target, e, withoutTls, clientCertificate);
                if (fellBackToPrefer(last)) {
                    continue; // at once, with sslmode=prefer
                }
            }
            if (last.kind().permanent() || System.nanoTime() > deadline) {
                throw last.kind().permanent() ? last : new ConnectionFailedException(node, last.kind(),
                        last.sqlState(), last.getMessage() + " (still so after " + timeout.toSeconds() + " s)",
                        last.getCause());
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw last;
            }
            sleep = Math.min(sleep * 2, 250);
        }
    }

    /** Drops pooled connections, e.g. after a restart. */
    public void evict() {
        if (owned != null) {
            owned.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
