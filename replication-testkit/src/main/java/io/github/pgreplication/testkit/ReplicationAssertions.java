package io.github.pgreplication.testkit;

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
}
