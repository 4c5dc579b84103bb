package io.github.pgreplication;

/**
 * The library refused to go on: an operation on a running set-up (switchover, failover, rejoin, removal, a policy
 * change) before it changed anything that it did not put back, or a step of {@code apply()} that will not do
 * without the caller (a data directory it was not allowed to empty, a restart it has no way to run). The message says
 * why and what to do; {@link #kind()} says which rule refused it, {@link #node()} the node concerned.
 */
public class OperationRefusedException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Kind {
        /** No node of the set-up has that name. */
        UNKNOWN_NODE,
        /** The node is not in a place the operation needs (e.g. the target of a switchover is not a standby). */
        WRONG_ROLE,
        /** The target does not stream from the primary. */
        NOT_STREAMING,
        /** The target's replay is behind by more than the bound, or paused. */
        LAGGING,
        /** The node belongs to another cluster (another system identifier). */
        OTHER_SYSTEM,
        /** The node is on another timeline than the operation allows, or its timeline is not an ancestor. */
        TIMELINE,
        /** The server is too old for the operation (PostgreSQL 13 or later is needed). */
        VERSION,
        /** Something the operation needs is missing from the description (service control, endpoint, ...). */
        MISSING_CAPABILITY,
        /** The primary still accepts connections: a failover now would make two primaries. */
        PRIMARY_STILL_RUNNING,
        /** The node is still running and must be stopped first. */
        STILL_RUNNING,
        /** pg_rewind cannot work on this data directory (no wal_log_hints and no checksums, ...). */
        REWIND_PREREQUISITE,
        /** No standby can take over. */
        NO_CANDIDATE,
        /**
         * The target is a delayed standby ({@code Standby...withApplyDelay(...)}): it holds its replay back on
         * purpose, to keep the recent past readable; operations never promote it.
         */
        DELAYED,
        /** The target did not receive everything the old primary wrote in time; the old primary runs again. */
        CATCH_UP_TIMEOUT,
        /** The standby's slot is in use by a running standby. */
        SLOT_ACTIVE,
        /**
         * A standby's data directory holds files and is not already a standby of this primary, and emptying it was
         * not allowed ({@code Standby...withEmptyDataDirectoryAllowed(true)}); nothing in it was changed.
         */
        DATA_DIRECTORY_NOT_EMPTY,
        /**
         * Settings were written with ALTER SYSTEM but need a restart to take effect, and the node has no
         * {@link io.github.pgreplication.host.ServiceControl} to restart it with: restart it, then run apply() again.
         */
        RESTART_REQUIRED,
        /**
         * The synchronous policy could not be met afterwards (too few listed standbys streaming), so every commit would
         * wait: make a standby stream first, or relax the policy.
         */
        SYNC_UNSATISFIABLE,
        /**
         * Too few of the standbys the synchronous policy lists answered to prove that any of them holds every
         * acknowledged commit; accept possible loss explicitly to go ahead.
         */
        UNPROVEN_COMPLETE,
        /**
         * The node is the upstream of cascading standbys ({@link io.github.pgreplication.Standby#streamingFrom}):
         * removing it would leave them streaming from nobody. Point them elsewhere first.
         */
        HAS_STANDBYS
    }

    /** The rule that refused it. */
    private final Kind kind;
    /** The node concerned. */
    private final String node;

    /**
     * @param kind    the rule that refused it
     * @param node    the node concerned
     * @param message why, and what to do
     */
    public OperationRefusedException(Kind kind, String node, String message) {
        super(message);
        this.kind = kind;
        this.node = node;
    }

    /** @return the rule that refused it */
    public Kind kind() {
        return kind;
    }

    /** @return the node concerned */
    public String node() {
        return node;
    }
}
