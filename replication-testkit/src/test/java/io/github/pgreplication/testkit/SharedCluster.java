package io.github.pgreplication.testkit;

/** The one configuration the fault, client and assertion ITs share: one cluster for all three classes. */
final class SharedCluster {
    private SharedCluster() {
    }

    static ReplicationCluster.Builder primaryAndTwoStandbys() {
        return ReplicationCluster.builder().standbys(2);
    }
}
