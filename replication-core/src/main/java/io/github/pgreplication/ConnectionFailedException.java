package io.github.pgreplication;

/**
 * The library could not open an administrative connection to a node. The message names the node, where it
 * connected (host, port, database, user; never the password), the driver's own words (e.g. {@code FATAL: password
 * authentication failed for user "postgres"}) and what to check; {@link #kind()} says which failure it was, and
 * {@link #getCause()} is the driver's exception.
 *
 * <pre>{@code
 * try {
 *     replication.apply();
 * } catch (StepFailedException e) {
 *     if (e.getCause() instanceof ConnectionFailedException c
 *             && c.kind() == ConnectionFailedException.Kind.AUTHENTICATION) {
 *         // fix the admin password
 *     }
 * }
 * }</pre>
 */
public class ConnectionFailedException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and whether waiting can help. */
    public enum Kind {
        /** The server refused the login: wrong password, no pg_hba.conf entry, unknown role (SQLSTATE 28P01, 28000). */
        AUTHENTICATION(true),
        /** The database does not exist (SQLSTATE 3D000). */
        UNKNOWN_DATABASE(true),
        /** The host name does not resolve. */
        UNKNOWN_HOST(true),
        /** Nothing listens at the address and port: the server is down, or listens elsewhere. */
        REFUSED(false),
        /** No answer in time, or no route to the host. */
        UNREACHABLE(false),
        /** The server is starting up, shutting down, or out of connection slots (SQLSTATE 57P03, 53300). */
        NOT_READY(false),
        /** Any other failure; the message carries the driver's words. */
        OTHER(false);

        private final boolean permanent;

        Kind(boolean permanent) {
            this.permanent = permanent;
        }

        /** @return whether waiting cannot help (the description or the server's configuration must change) */
        public boolean permanent() {
            return permanent;
        }
    }

    private final String node;
    private final Kind kind;
    private final String sqlState;

    /**
     * @param node     the node's name
     * @param kind     what went wrong
     * @param sqlState the server's SQLSTATE, null when the failure happened before the server answered
     * @param message  what failed, where, the driver's words, and what to check
     * @param cause    the driver's exception
     */
    public ConnectionFailedException(String node, Kind kind, String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
        this.kind = kind;
        this.sqlState = sqlState;
    }

    /** @return the node's name */
    public String node() {
        return node;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the server's SQLSTATE, null when the server did not answer (unknown host, refused, timeout) */
    public String sqlState() {
        return sqlState;
    }
}
