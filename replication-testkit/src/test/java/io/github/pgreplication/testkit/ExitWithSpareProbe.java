package io.github.pgreplication.testkit;

import org.testcontainers.DockerClientFactory;

/**
 * Run by {@link SpareMachinesAtExitIT} in a child JVM, then exits at once. Without arguments: starts and closes a
 * cluster, so the machines prepared for a next cluster are still starting at the exit. With {@code shared}: starts a
 * shared cluster and leaves it to the exit hook. With {@code unclosed}: starts a cluster and never closes it (a test
 * that forgot to), leaving it to Testcontainers' own clean-up while the next cluster's machines start. Prints the Testcontainers session id (every container and network of
 * this JVM carries it as a label) and when the cluster was closed (or left).
 */
final class ExitWithSpareProbe {
    private ExitWithSpareProbe() {
    }

    /** @param args none, {@code shared} or {@code unclosed} */
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "spare";
        if (mode.equals("shared")) {
            SharedClusters.get(ReplicationCluster.builder().standbys(1));
        } else if (mode.equals("unclosed")) {
            ReplicationCluster.start(1);
        } else {
            ReplicationCluster.start(1).close();
        }
        System.out.println("probe: session " + DockerClientFactory.SESSION_ID);
        System.out.println("probe: closed at " + System.currentTimeMillis());
    }
}
