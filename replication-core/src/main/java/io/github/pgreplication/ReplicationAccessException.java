package io.github.pgreplication;

import java.util.Optional;

/**
 * A standby could not open a replication connection to its primary (pg_basebackup, or the library's own check over
 * a replication connection). {@link #reason()} says why; when the primary's side must change, the message says so
 * and {@link #primaryFix()} is the line to add or the statement to run there.
 *
 * <pre>{@code
 * try {
 *     join.apply();
 * } catch (StepFailedException e) {
 *     if (e.getCause() instanceof ReplicationAccessException r && r.reason().fixedOnPrimary()) {
 *         System.err.println("Ask the primary's administrator for: " + r.primaryFix().orElseThrow());
 *     }
 * }
 * }</pre>
 */
public class ReplicationAccessException extends ConnectionFailedException {
    private static final long serialVersionUID = 1L;

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

    private final Reason reason;
    private final String primaryFix;

    /**
     * @param node       the standby's name
     * @param reason     why
     * @param primaryFix the line to add or statement to run on the primary; null when the fix is on this side
     * @param message    the whole account: what failed, the program's words, what to do
     * @param cause      the failed command's exception, may be null
     */
    public ReplicationAccessException(String node, Reason reason, String primaryFix, String message,
            Throwable cause) {
        super(node, reason.kind(), null, message, cause);
        this.reason = reason;
        this.primaryFix = primaryFix;
    }

    /** @return why the connection failed */
    public Reason reason() {
        return reason;
    }

    /** @return the line to add to pg_hba.conf, or the SQL to run, on the primary; empty when the fix is here */
    public Optional<String> primaryFix() {
        return Optional.ofNullable(primaryFix);
    }
}
