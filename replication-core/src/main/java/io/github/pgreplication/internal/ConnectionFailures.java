package io.github.pgreplication.internal;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PSQLException;

/**
 * Turns the exception of a failed connection attempt (the driver's, or a pool's that wraps it) into a
 * {@link ConnectionFailedException} saying what it is: the pool's "Connection is not available, request timed out"
 * is never the message, the driver's exception behind it is.
 */
final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /**
     * @param node   the node's name
     * @param target where the connection went, e.g. {@code user postgres, database postgres at db1:5432}
     * @param failed what getConnection() threw
     * @return the typed failure, with the driver's exception as its cause
     */
    static ConnectionFailedException of(String node, String target, SQLException failed) {
        List<Throwable> chain = chain(failed);
        Throwable root = driverException(chain, failed);
        String sqlState = serverSqlState(chain);
        Kind kind = kind(chain, sqlState);
        String words = words(root);
        String message = "[" + node + "] cannot connect (" + target + "): " + words
                + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")") + ". " + advice(kind, sqlState);
        return new ConnectionFailedException(node, kind, sqlState, message, root);
    }

    /** @return every throwable reachable through causes and SQLException.getNextException, each once, in order */
    static List<Throwable> chain(Throwable first) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>(List.of(first));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || seen.put(t, true) != null) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException sql) {
                todo.add(sql.getNextException());
            }
        }
        return out;
    }

    /** The driver's exception: the innermost PSQLException, else the first non-pool exception, else the given one. */
    private static Throwable driverException(List<Throwable> chain, SQLException failed) {
        Throwable found = null;
        for (Throwable t : chain) {
            if (t instanceof PSQLException) {
                found = t;
            }
        }
        if (found != null) {
            return found;
        }
        return chain.size() > 1 ? chain.get(1) : failed;
    }

    /** @return the SQLSTATE the server sent (classes 28, 3D, 53, 57), null when it did not answer */
    private static String serverSqlState(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().matches("28...|3D000|53300|57P0.")) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static Kind kind(List<Throwable> chain, String sqlState) {
        if (sqlState != null) {
            if (sqlState.startsWith("28")) {
                return Kind.AUTHENTICATION;
            }
            if (sqlState.equals("3D000")) {
                return Kind.UNKNOWN_DATABASE;
            }
            return Kind.NOT_READY;
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return Kind.UNKNOWN_HOST;
            }
            if (t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return Kind.UNREACHABLE;
            }
            if (t instanceof ConnectException) {
                return Kind.REFUSED;
            }
        }
        return Kind.OTHER;
    }

    private static String words(Throwable root) {
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof PSQLException && root.getCause() != null && root.getCause().getMessage() != null
                && !message.contains(root.getCause().getMessage())) {
            message += ": " + root.getCause().getMessage();
        }
        return message;
    }

    private static String advice(Kind kind, String sqlState) {
        return switch (kind) {
            case AUTHENTICATION -> "28P01".equals(sqlState)
                    ? "Check the admin password given with withAdmin(user, password) (or the DataSource's)."
                    : "Check the admin user name, and that a pg_hba.conf rule of the server admits it from this"
                            + " client's address for this database.";
            case UNKNOWN_DATABASE -> "Name an existing database with withDatabase(...) (the default is postgres);"
                    + " SELECT datname FROM pg_database lists them.";
            case UNKNOWN_HOST -> "Check the host name of the admin endpoint; it does not resolve from this machine.";
            case REFUSED -> "Nothing listens there: start the server, or check the port and its listen_addresses.";
            case UNREACHABLE -> "Check the address, the network and firewalls between this machine and the server.";
            case NOT_READY -> "The server is not accepting connections now; it is starting, stopping, or full"
                    + " (max_connections).";
            case OTHER -> "Check the server's log for this connection attempt.";
        };
    }
}
