package io.github.pgreplication.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connections to one node: a small named HikariCP pool, or a caller-supplied DataSource (never closed here).
 * The pool tolerates a server that is not up yet, so it can be used to wait for one.
 */
public final class Db implements AutoCloseable {
    /** Work done with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** @param c a connection @return a result @throws SQLException on database errors */
        T apply(Connection c) throws SQLException;
    }

    private final String node;
    private final DataSource dataSource;
    private final HikariDataSource owned;

    private Db(String node, DataSource dataSource, HikariDataSource owned) {
        this.node = node;
        this.dataSource = dataSource;
        this.owned = owned;
    }

    /** @param node node name @param dataSource caller's source @return connections through it */
    public static Db of(String node, DataSource dataSource) {
        return new Db(node, dataSource, null);
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
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgreplication-" + node);
        config.setJdbcUrl(endpoint.jdbcUrl(database));
        config.setUsername(user);
        password.reveal().ifPresent(config::setPassword);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectTimeoutMs);
        config.setValidationTimeout(Math.min(1_000, connectTimeoutMs));
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", "pgreplication");
        config.addDataSourceProperty("connectTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "60");
        HikariDataSource ds = new HikariDataSource(config);
        return new Db(node, ds, ds);
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.apply(c);
        } catch (SQLException e) {
            throw new ReplicationException("[" + node + "] " + e.getMessage(), e);
        }
    }

    /** @param sql a query returning one value @param params bound parameters @return the first column, first row */
    public Optional<String> queryValue(String sql, Object... params) {
        return with(c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /** @param sql a query @param params bound parameters @return every row, columns as strings */
    public List<List<String>> queryRows(String sql, Object... params) {
        return with(c -> rows(c, sql, params));
    }

    /** @param c connection @param sql query @param params parameters @return rows, columns as text */
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

    /** @param sql a statement without result @param params bound parameters */
    public void execute(String sql, Object... params) {
        with(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                ps.execute();
                return null;
            }
        });
    }

    /** @return whether a connection can be had right now */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
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
