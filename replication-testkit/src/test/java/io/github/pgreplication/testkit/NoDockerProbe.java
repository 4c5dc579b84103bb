package io.github.pgreplication.testkit;

import org.opentest4j.TestAbortedException;

/**
 * Run by {@link DockerUnavailableIT} in a child JVM that cannot reach any Docker engine: starts the JUnit extension
 * as JUnit would before a test class, and prints on one line what happened (started, aborted or failed, with the
 * message).
 */
final class NoDockerProbe {
    private NoDockerProbe() {
    }

    /** @param args {@code skip} for an extension with skipWhenDockerUnavailable(), {@code fail} for one without */
    public static void main(String[] args) {
        ReplicationClusterExtension extension = ReplicationClusterExtension.withStandbys(1);
        if (args[0].equals("skip")) {
            extension = extension.skipWhenDockerUnavailable();
        }
        try {
            extension.beforeAll(null);
            System.out.println("probe: started");
            extension.afterAll(null);
        } catch (TestAbortedException e) {
            System.out.println("probe: aborted: " + e.getMessage());
        } catch (RuntimeException e) {
            System.out.println("probe: failed: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
