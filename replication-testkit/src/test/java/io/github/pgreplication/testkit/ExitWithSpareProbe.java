package io.github.pgreplication.testkit;

import org.testcontainers.DockerClientFactory;

/**
 * Run by {@link SpareMachinesAtExitIT} in a child JVM: starts and closes a cluster, then exits at once, while the
 * machines prepared for a next cluster are still starting. Prints the Testcontainers session id (every container and
 * network of this JVM carries it as a label) and when the cluster was closed.
 */
final class ExitWithSpareProbe {
    private ExitWithSpareProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        ReplicationCluster.start(1).close();
        System.out.println("probe: session " + DockerClientFactory.SESSION_ID);
        System.out.println("probe: closed at " + System.currentTimeMillis());
    }
}
