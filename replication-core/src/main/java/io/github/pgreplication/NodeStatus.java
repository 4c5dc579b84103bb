package io.github.pgreplication;

/**
 * One node as it reports itself now.
 *
 * @param name     the node
 * @param role     primary, standby, down (does not answer) or unknown
 * @param upstream for a standby, the host its WAL receiver streams from (empty when it does not stream)
 * @param timeline a primary's current timeline, a standby's received timeline; 0 when down
 * @param received a primary's WAL write position, a standby's last received position; may be null
 * @param replayed a standby's last replayed position; null on a primary
 * @param detail   the WAL receiver's status, or why the node does not answer
 * @param depth    its place in the described tree: 0 for the primary and for a node that replicates from nobody, 1
 *                 for a standby of the primary, 2 for a standby of such a standby ({@link Standby#streamingFrom}),
 *                 and so on
 */
public record NodeStatus(String name, Role role, String upstream, long timeline, Lsn received, Lsn replayed,
        String detail, int depth) {
    /**
     * A node whose place in the tree is not given (depth 0).
     *
     * @param name     the node
     * @param role     primary, standby, down (does not answer) or unknown
     * @param upstream for a standby, the host its WAL receiver streams from (empty when it does not stream)
     * @param timeline a primary's current timeline, a standby's received timeline; 0 when down
     * @param received a primary's WAL write position, a standby's last received position; may be null
     * @param replayed a standby's last replayed position; null on a primary
     * @param detail   the WAL receiver's status, or why the node does not answer
     */
    public NodeStatus(String name, Role role, String upstream, long timeline, Lsn received, Lsn replayed,
            String detail) {
        this(name, role, upstream, timeline, received, replayed, detail, 0);
    }

    /** Where a node stands. */
    public enum Role {
        /** Accepts writes. */
        PRIMARY,
        /** In recovery. */
        STANDBY,
        /** Does not answer. */
        DOWN,
        /** Answers, but not as the topology expects (for example a second primary). */
        UNKNOWN
    }

    @Override
    public String toString() {
        return switch (role) {
            case PRIMARY -> name + ": primary, timeline " + timeline + ", WAL at " + received;
            case STANDBY -> name + ": standby of " + (upstream.isEmpty() ? "(none: " + detail + ")" : upstream)
                    + (depth > 1 ? " (depth " + depth + ")" : "") + ", timeline " + timeline + ", received "
                    + received + ", replayed " + replayed;
            case DOWN -> name + ": down (" + detail + ")";
            case UNKNOWN -> name + ": unknown (" + detail + ")";
        };
    }
}
