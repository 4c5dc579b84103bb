package io.github.pgreplication.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.internal.Text;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PgJDBC multi-host URLs over every node's published endpoint and the HikariCP pools built on them; the pools
 * close with the cluster.
 */
final class ClusterClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClients.class);
    /** How long PgJDBC trusts what it learnt about a host (primary or not, up or down); its default is 10 s. */
    static final int HOST_RECHECK_SECONDS = 1;
    /** PgJDBC's TCP connect timeout per host, in seconds; its default is 10 s. */
    static final int CONNECT_TIMEOUT_SECONDS = 2;
    /** How long the pool waits for a connection, in milliseconds; HikariCP's default is 30 s. */
    static final long POOL_CONNECTION_TIMEOUT_MILLIS = 5_000;

    private final Supplier<List<ClusterNode>> nodes;
    private final String username;
    private final String password;
    private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
    private volatile DataSource primary;
    private volatile DataSource read;
    /** PgJDBC's TLS parameters of a TLS cluster ({@code sslmode=verify-full&...}); null without TLS. */
    private final String tlsParameters;

    ClusterClients(Supplier<List<ClusterNode>> nodes, String username, String password) {
        this(nodes, username, password, null);
    }

    ClusterClients(Supplier<List<ClusterNode>> nodes, String username, String password, String tlsParameters) {
        this.tlsParameters = tlsParameters;
        this.nodes = nodes;
        this.username = username;
        this.password = password;
    }

    String jdbcUrl(String database, TargetServerType type, boolean loadBalance) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(type, "type");
        String hosts = nodes.get().stream().filter(ClusterNode::published)
                .map(n -> n.endpoint().host() + ":" + n.endpoint().port()).collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hosts + "/" + java.net.URLEncoder.encode(database,
                java.nio.charset.StandardCharsets.UTF_8) + "?targetServerType=" + type.value() + "&loadBalanceHosts="
                + loadBalance + (tlsParameters == null ? "" : "&" + tlsParameters);
    }

    DataSource primary() {
        if (primary == null) {
            synchronized (this) {
                if (primary == null) {
                    primary = dataSource("postgres", TargetServerType.PRIMARY, false, c -> { });
                }
            }
        }
        return primary;
    }

    DataSource read() {
        if (read == null) {
            synchronized (this) {
                if (read == null) {
                    read = dataSource("postgres", TargetServerType.PREFER_SECONDARY, true, c -> { });
                }
            }
        }
        return read;
    }

    DataSource dataSource(String database, TargetServerType type, boolean loadBalance, Consumer<HikariConfig> tuning) {
        Objects.requireNonNull(tuning, "tuning");
        HikariConfig config = new HikariConfig();
        // HikariCP writes the pool's name into its log lines: the database escaped (the URL encodes it).
        config.setPoolName("testkit-" + Text.printable(database) + "-" + type.value() + "-" + (pools.size() + 1));
        config.setJdbcUrl(jdbcUrl(database, type, loadBalance));
        config.setUsername(username);
        config.setPassword(password);
        config.addDataSourceProperty("hostRecheckSeconds", Integer.toString(HOST_RECHECK_SECONDS));
        config.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        config.setConnectionTimeout(POOL_CONNECTION_TIMEOUT_MILLIS);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        tuning.accept(config);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /**
     * @param database the database
     * @param type     which server to reach
     * @return a new connection, not pooled, over the multi-host URL: the test settings' connect timeout and host
     *         re-check, no socket timeout (a commit waiting for a synchronous standby waits)
     * @throws SQLException when no server of that type answers
     */
    Connection connection(String database, TargetServerType type) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("hostRecheckSeconds", Integer.toString(HOST_RECHECK_SECONDS));
        return DriverManager.getConnection(jdbcUrl(database, type, false), p);
    }

    /** Closes one pool made here (a fresh database's, before it is dropped). */
    void close(DataSource pool) {
        if (pool instanceof HikariDataSource h && pools.remove(h)) {
            h.close();
        }
    }

    @Override
    public void close() {
        for (HikariDataSource pool : pools) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.debug("closing pool {}", pool.getPoolName(), e);
            }
        }
        pools.clear();
    }
}
