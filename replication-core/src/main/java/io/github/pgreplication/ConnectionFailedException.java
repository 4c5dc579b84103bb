package io.github.pgreplication;

import java.util.Optional;

/**
 * The library could not open a connection: an administrative one to a node, or a standby's replication connection
 * to its primary (pg_basebackup, or the library's own check over a replication connection). The message names the
 * node, where it connected (host, port, database, user; never the password), the program's or driver's own words
 * (e.g. {@code FATAL: password authentication failed for user "postgres"}) and what to check; {@link #kind()} says
 * which failure it was, and {@link #getCause()} is the driver's exception or the failed command's. For a
 * replication connection, {@link #reason()} says why in more detail and, when the primary's side must change,
 * {@link #primaryFix()} is the line to add or the statement to run there:
 *
 * <pre>{@code
 * try {
 *     join.apply();
 * } catch (StepFailedException e) {
 *     if (e.getCause() instanceof ConnectionFailedException c
 *             && c.reason().map(ConnectionFailedException.Reason::fixedOnPrimary).orElse(false)) {
 *         System.err.println("Ask the primary's administrator for: " + c.primaryFix().orElseThrow());
 *     }
 * }
 * }</pre>
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
        /** The server's certificate is not signed by the CA the client trusts (or the client trusts none). */
        TLS_UNTRUSTED(true),
        /** The server's certificate does not name the host the client connected to ({@code sslmode=verify-full}). */
        TLS_NAME_MISMATCH(true),
        /** A certificate expired (or is not yet valid). */
        TLS_EXPIRED(true),
        /** The client asked for TLS and the server has none ({@code ssl = off}). */
        TLS_UNAVAILABLE(true),
        /** The server admits this client over TLS only ({@code hostssl}) and it came without. */
        TLS_REQUIRED(true),
        /** The server wants a client certificate and got none, or refused it (CA, CN); an expired one: TLS_EXPIRED. */
        CLIENT_CERTIFICATE(true),
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

    /** Why the replication connection failed. */
    public enum Reason {
        /** pg_hba.conf on the primary has no replication rule for this address and role. */
        NO_HBA_ENTRY(true, Kind.AUTHENTICATION),
        /** The primary refused the password (wrong password, or no such role with a password). */
        WRONG_PASSWORD(false, Kind.AUTHENTICATION),
        /** The primary asks for a password and the role was given none. */
        PASSWORD_REQUIRED(false, Kind.AUTHENTICATION),
        /** The role does not exist on the primary. */
        ROLE_MISSING(true, Kind.AUTHENTICATION),
        /** The role exists but lacks the REPLICATION attribute. */
        NOT_REPLICATION_ROLE(true, Kind.AUTHENTICATION),
        /** Every WAL sender slot is taken (max_wal_senders reached). */
        WAL_SENDERS_EXHAUSTED(true, Kind.NOT_READY),
        /** Nothing listens at the primary's address and port. */
        REFUSED(false, Kind.REFUSED),
        /** The primary's host name does not resolve. */
        UNKNOWN_HOST(false, Kind.UNKNOWN_HOST),
        /** No answer in time, or no route. */
        UNREACHABLE(false, Kind.UNREACHABLE),
        /** The primary's certificate is not signed by the CA the standby trusts ({@code sslrootcert}). */
        TLS_UNTRUSTED(false, Kind.TLS_UNTRUSTED),
        /** The primary's certificate does not name the host the standby connects to. */
        TLS_NAME_MISMATCH(false, Kind.TLS_NAME_MISMATCH),
        /** The primary's certificate expired (or is not yet valid). */
        TLS_EXPIRED(true, Kind.TLS_EXPIRED),
        /** The primary has no TLS and the standby's sslmode requires it. */
        TLS_UNAVAILABLE(true, Kind.TLS_UNAVAILABLE),
        /** The primary admits the standby over TLS only ({@code hostssl}) and it came without. */
        TLS_REQUIRED(false, Kind.TLS_REQUIRED),
        /** The primary wants a client certificate and got none, or refused the standby's (CA, CN = role). */
        CLIENT_CERTIFICATE(false, Kind.CLIENT_CERTIFICATE),
        /** The primary refused the standby's client certificate as expired (or not yet valid). */
        CLIENT_CERTIFICATE_EXPIRED(false, Kind.TLS_EXPIRED),
        /** Anything else; the message carries the program's own words. */
        OTHER(false, Kind.OTHER);

        private final boolean fixedOnPrimary;
        private final Kind kind;

        Reason(boolean fixedOnPrimary, Kind kind) {
            this.fixedOnPrimary = fixedOnPrimary;
            this.kind = kind;
        }

        /** @return whether the primary's configuration must change (pg_hba.conf, the role, max_wal_senders) */
        public boolean fixedOnPrimary() {
            return fixedOnPrimary;
        }

        /** @return the connection failure kind it belongs to */
        public Kind kind() {
            return kind;
        }
    }

    /** The node's name. */
    private final String node;
    /** What went wrong. */
    private final Kind kind;
    /** The server's SQLSTATE; null when the server did not answer (unknown host, refused, timeout). */
    private final String sqlState;
    /** Why a replication connection failed; null for an administrative connection. */
    private final Reason reason;
    /** The line to add or statement to run on the primary; null when the fix is not on the primary. */
    private final String primaryFix;

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
        this.reason = null;
        this.primaryFix = null;
    }

    /**
     * A standby's replication connection to its primary failed.
     *
     * @param node       the standby's name
     * @param reason     why
     * @param primaryFix the line to add or statement to run on the primary; null when the fix is on this side
     * @param message    the whole account: what failed, the program's words, what to do
     * @param cause      the failed command's exception, may be null
     */
    public ConnectionFailedException(String node, Reason reason, String primaryFix, String message,
            Throwable cause) {
        super(message, cause);
        this.node = node;
        this.kind = reason.kind();
        this.sqlState = null;
        this.reason = reason;
        this.primaryFix = primaryFix;
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

    /** @return why a replication connection failed; empty for an administrative connection */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * @return the line to add to pg_hba.conf, or the SQL to run, on the primary, when a replication connection
     *         failed and the fix is there; empty otherwise
     */
    public Optional<String> primaryFix() {
        return Optional.ofNullable(primaryFix);
    }
}
