package io.github.pgreplication.internal;

import io.github.pgreplication.Node;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Administers one node: through JDBC when it has an admin endpoint or a data source, else through {@code psql} on
 * its host over the local socket. Statements sent through psql carry no parameters, so callers pass only SQL that
 * the library wrote itself, with literals quoted by {@link SqlText}.
 */
public final class NodeClient implements AutoCloseable {
    private final Node node;
    private final Db db;

    private NodeClient(Node node, Db db) {
        this.node = node;
        this.db = db;
    }

    /**
     * @param node             the node
     * @param connectTimeoutMs how long a JDBC connection may take
     * @return a client; close it to close its pool (never a caller's data source)
     */
    public static NodeClient of(Node node, long connectTimeoutMs) {
        Db db = null;
        if (node.dataSource() != null) {
            db = Db.of(node.name(), node.dataSource());
        } else if (node.adminEndpoint() != null) {
            db = Db.pool(node.name(), node.adminEndpoint(), node.database(), node.adminUser(), node.adminPassword(),
                    connectTimeoutMs, node.tls().admin());
        }
        return new NodeClient(node, db);
    }

    /**
     * @param node a node with a host
     * @return a client that asks it through psql on its host only (its Unix socket: no network in between), even
     *         when it has an admin endpoint
     */
    public static NodeClient overPsql(Node node) {
        return new NodeClient(node, null);
    }

    /** @return the node */
    public Node node() {
        return node;
    }

    /** @return the JDBC connections, or empty when the node is administered through psql */
    public Optional<Db> db() {
        return Optional.ofNullable(db);
    }

    /**
     * @param sql a query without parameters
     * @return its rows, columns as text (null for SQL NULL over JDBC, empty over psql)
     * @throws ReplicationException when the node does not answer or the query fails, naming the node
     */
    public List<List<String>> rows(String sql) {
        if (db != null) {
            return db.queryRows(sql);
        }
        CommandResult result = node.host().execute(Command.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-F", "|", "-p", Integer.toString(node.port()), "-d", node.database(), "-c", sql)
                .withTimeout(Duration.ofSeconds(30)));
        if (!result.succeeded()) {
            throw new ReplicationException("[" + node.name() + "] psql on " + node.host().name() + " failed: "
                    + result.tail(3));
        }
        List<List<String>> out = new ArrayList<>();
        for (String line : result.stdout().split("\\R")) {
            if (!line.isEmpty()) {
                out.add(List.of(line.split("\\|", -1)));
            }
        }
        return out;
    }

    /**
     * @param sql a query without parameters
     * @return the first column of the first row
     */
    public Optional<String> value(String sql) {
        List<List<String>> rows = rows(sql);
        if (rows.isEmpty() || rows.get(0).isEmpty()) {
            return Optional.empty();
        }
        String v = rows.get(0).get(0);
        return v == null || (db == null && v.isEmpty()) ? Optional.empty() : Optional.of(v);
    }

    /**
     * @return statements to this node: its JDBC connections, else psql on its host with the parameters written in as
     *         literals ({@link SqlText#inline}; a row's SQL NULL then reads as empty text)
     */
    public SqlSession session() {
        if (db != null) {
            return db;
        }
        return new SqlSession() {
            @Override
            public Optional<String> queryValue(String sql, Object... params) {
                List<List<String>> r = rows(SqlText.inline(sql, params));
                return r.isEmpty() || r.get(0).isEmpty() ? Optional.empty() : Optional.of(r.get(0).get(0));
            }

            @Override
            public List<List<String>> queryRows(String sql, Object... params) {
                return rows(SqlText.inline(sql, params));
            }

            @Override
            public boolean multiLineValues() {
                return false;
            }
        };
    }

    /** @param sql a statement without parameters and without result set, or with one ignored */
    public void execute(String sql) {
        if (db != null) {
            db.execute(sql);
        } else {
            rows(sql);
        }
    }

    /** @return the node's state now; never throws: an unreachable node is reported as such */
    public NodeState state() {
        try {
            List<List<String>> rows = rows(Sql.NODE_STATE);
            lastFailure = null;
            return NodeState.parse(node.name(), rows.get(0));
        } catch (RuntimeException e) {
            lastFailure = e;
            return NodeState.unreachable(node.name(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * @return when the last {@link #state()} did not get an answer to its query but the server sent an error of its
     *         own (too many clients, authentication failed, starting up: SQLSTATE 53300, 28P01, 57P03...): that
     *         error. Such a server runs, only refusing this session; empty when nothing answered or over psql
     */
    public java.util.Optional<String> answeredWithError() {
        RuntimeException f = lastFailure;
        if (f instanceof io.github.pgreplication.ConnectionFailedException c && c.sqlState() != null) {
            String m = String.valueOf(c.getMessage());
            int nl = m.indexOf('\n');
            return java.util.Optional.of("SQLSTATE " + c.sqlState() + ": " + (nl < 0 ? m : m.substring(0, nl)));
        }
        return java.util.Optional.empty();
    }

    private volatile RuntimeException lastFailure;

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
