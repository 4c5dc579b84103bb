package io.github.pgreplication.testkit;

import io.github.pgreplication.Lsn;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one node, from what it reports about itself now (one query per assertion). Made by
 * {@link ReplicationAssertions#assertThat(ClusterNode)}.
 */
public final class NodeAssert extends AbstractAssert<NodeAssert, ClusterNode> {

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
