package io.github.pgreplication.testkit;
import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import io.github.pgreplication.Lsn;
import java.util.function.Predicate;
import io.github.pgreplication.testkit.ClusterNode.LsnMode;

/**
 * AssertJ entry points for clusters and nodes. Failure messages name the node, show what it (or the primary)
 * reported, and end with the tail of the node's server log.
 *
 * <pre>{@code
 * import static io.github.pgreplication.testkit.ReplicationAssertions.assertThat;
 *
 * assertThat(cluster.standby(0)).isStreaming().isReadOnly().hasReplayedAtLeast(lsn).hasTimeline(1);
 * assertThat(cluster).hasStreamingStandby("standby1").hasLagBelow("standby1", 16 * 1024 * 1024)
 *         .hasActiveSlot("standby1_slot");
 * }</pre>
 */
public final class ReplicationAssertions {
    /** Lines of server log a failure message ends with. */
    static final int LOG_LINES = 15;

    private ReplicationAssertions() {
    }

    /**
     * @param node a node of a cluster
     * @return assertions on what the node reports about itself
     */
    public static NodeAssert assertThat(ClusterNode node) {
        return new NodeAssert(node);
    }

    /**
     * @param cluster a cluster
     * @return assertions on what its primary reports about replication
     */
    public static ClusterAssert assertThat(ReplicationCluster cluster) {
        return new ClusterAssert(cluster);
    }

    static String logTail(ClusterNode node) {
        return "\nTail of " + node.name() + "'s server log (" + node.serverLogPath() + "):\n"
                + node.serverLogTail(LOG_LINES);
    }

    /**
     * Assertions on a cluster, from what its primary reports now ({@code status()}: pg_stat_replication and
     * pg_replication_slots). Made by {@link ReplicationAssertions#assertThat(ReplicationCluster)}.
     */
    public static final class ClusterAssert extends AbstractAssert<ClusterAssert, ReplicationCluster> {

        ClusterAssert(ReplicationCluster actual) {
            super(actual, ClusterAssert.class);
        }

        /**
         * Verifies that the primary lists the standby as streaming.
         *
         * @param standby the standby's name
         * @return this
         */
        public ClusterAssert hasStreamingStandby(String standby) {
            ReplicationStatus status = status();
            StandbyStatus s = standby(status, standby);
            if (!s.streaming()) {
                fail(standby, "Expected the primary to list standby '" + standby + "' as streaming, but it reports "
                        + describe(s), status);
            }
            return this;
        }

        /**
         * Verifies that the primary lists every standby of the cluster as streaming.
         *
         * @return this
         */
        public ClusterAssert hasEveryStandbyStreaming() {
            actual.standbys().forEach(s -> hasStreamingStandby(s.name()));
            return this;
        }

        /**
         * Verifies that the standby's replay is less than {@code bytes} behind the primary's current position.
         *
         * @param standby the standby's name
         * @param bytes   the bound, exclusive
         * @return this
         */
        public ClusterAssert hasLagBelow(String standby, long bytes) {
            ReplicationStatus status = status();
            StandbyStatus s = standby(status, standby);
            if (s.lagBytes() == null || s.lagBytes() >= bytes) {
                fail(standby, "Expected standby '" + standby + "' to lag less than " + bytes + " bytes behind the"
                        + " primary, but the primary reports " + describe(s), status);
            }
            return this;
        }

        /**
         * Verifies that the standby's replay lag ({@code pg_stat_replication.replay_lag}: from a commit on the primary
         * to its replay there; none once it has caught up) is below {@code bound}.
         *
         * @param standby the standby's name
         * @param bound   the bound, exclusive
         * @return this
         */
        public ClusterAssert hasLagBelow(String standby, Duration bound) {
            Objects.requireNonNull(bound, "bound");
            ReplicationStatus status = status();
            StandbyStatus s = standby(status, standby);
            boolean connected = !"disconnected".equals(s.state());
            if (!connected || (s.replayLag() != null && s.replayLag().compareTo(bound) >= 0)) {
                fail(standby, "Expected standby '" + standby + "' to lag less than " + bound.toMillis() + " ms behind"
                        + " the primary, but the primary reports " + describe(s), status);
            }
            return this;
        }

        /**
         * Verifies that a physical replication slot on the primary is active (a standby is connected to it).
         *
         * @param slot the slot's name, e.g. {@code standby1_slot}
         * @return this
         */
        public ClusterAssert hasActiveSlot(String slot) {
            ReplicationStatus status = status();
            Optional<SlotStatus> s = status.slot(slot);
            if (s.isEmpty() || !s.get().active()) {
                String what = s.isEmpty() ? "no slot of that name" : "it inactive, restart_lsn " + s.get().restartLsn()
                        + ", wal_status " + s.get().walStatus() + ", retaining " + s.get().retainedBytes() + " bytes";
                failWithMessage("%s", "Expected slot '" + slot + "' to be active on the primary, but the primary reports "
                        + what + "\nStatus:\n" + status.toTable());
            }
            return this;
        }

        private ReplicationStatus status() {
            isNotNull();
            return actual.replication().status();
        }

        private StandbyStatus standby(ReplicationStatus status, String name) {
            Objects.requireNonNull(name, "standby");
            return status.standby(name).orElseGet(() -> {
                failWithMessage("%s", "Expected a standby named '" + Problem.shown(name) + "', but the cluster's"
                        + " standbys are "
                        + actual.standbys().stream().map(ClusterNode::name).toList() + "\nStatus:\n" + status.toTable());
                return null;
            });
        }

        private static String describe(StandbyStatus s) {
            return "state " + s.state() + ", sent " + s.sentLsn() + ", write " + s.writeLsn() + ", flush " + s.flushLsn()
                    + ", replay " + s.replayLsn() + ", lag_bytes " + s.lagBytes() + ", replay_lag "
                    + (s.replayLag() == null ? "none" : s.replayLag().toMillis() + " ms");
        }

        private void fail(String standby, String message, ReplicationStatus status) {
            String tail = actual.standbys().stream().filter(n -> n.name().equals(standby)).findFirst()
                    .map(ReplicationAssertions::logTail).orElse("");
            failWithMessage("%s", message + "\nStatus:\n" + status.toTable() + tail);
        }
    }

    /**
     * Assertions on one node, from what it reports about itself now (one query per assertion). Made by
     * {@link ReplicationAssertions#assertThat(ClusterNode)}.
     */
    public static final class NodeAssert extends AbstractAssert<NodeAssert, ClusterNode> {

        NodeAssert(ClusterNode actual) {
            super(actual, NodeAssert.class);
        }

        /**
         * Verifies that the node is a standby whose WAL receiver streams ({@code pg_stat_wal_receiver.status}).
         *
         * @return this
         */
        public NodeAssert isStreaming() {
            return check("to be a standby streaming from its upstream", NodeReport::streaming);
        }

        /**
         * Verifies that the node accepts no writes ({@code transaction_read_only} on, as on every standby).
         *
         * @return this
         */
        public NodeAssert isReadOnly() {
            return check("to be read-only", r -> r.reachable() && r.readOnly());
        }

        /**
         * Verifies that the node is a primary (not in recovery).
         *
         * @return this
         */
        public NodeAssert isPrimary() {
            return check("to be a primary (not in recovery)", r -> r.reachable() && !r.inRecovery());
        }

        /**
         * Verifies that the node is a standby (in recovery), streaming or not.
         *
         * @return this
         */
        public NodeAssert isStandby() {
            return check("to be a standby (in recovery)", r -> r.reachable() && r.inRecovery());
        }

        /**
         * Verifies that the node has replayed WAL up to at least {@code lsn} ({@code pg_last_wal_replay_lsn()}).
         *
         * @param lsn a position, e.g. the primary's {@code lsn(LsnMode.INSERT)} after a write
         * @return this
         */
        public NodeAssert hasReplayedAtLeast(Lsn lsn) {
            Objects.requireNonNull(lsn, "lsn");
            return check("to have replayed at least " + lsn,
                    r -> r.reachable() && r.replayLsn() != null && r.replayLsn().isAtOrAfter(lsn));
        }

        /**
         * Verifies the node's timeline: the one a primary writes, the one a standby receives.
         *
         * @param timeline expected timeline, 1 before any promotion
         * @return this
         */
        public NodeAssert hasTimeline(int timeline) {
            return check("to be on timeline " + timeline, r -> r.reachable() && r.timeline() == timeline);
        }

        private NodeAssert check(String expectation, Predicate<NodeReport> condition) {
            isNotNull();
            NodeReport report = NodeReport.of(actual);
            if (!condition.test(report)) {
                failWithMessage("%s", "Expected node '" + actual.name() + "' " + expectation + ", but it reported: "
                        + report + ReplicationAssertions.logTail(actual));
            }
            return this;
        }
    }
}
