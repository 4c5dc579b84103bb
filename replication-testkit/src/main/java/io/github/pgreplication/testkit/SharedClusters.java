package io.github.pgreplication.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters shared by every test class of a JVM that asks for the same configuration (the singleton-container
 * pattern): started on first use, closed by a shutdown hook when the JVM exits.
 */
final class SharedClusters {
    private static final Logger LOG = LoggerFactory.getLogger(SharedClusters.class);
    private static final Map<Object, ReplicationCluster> CLUSTERS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedClusters::closeAll, "pgreplication-shared-clusters"));
    }

    private SharedClusters() {
    }

    /**
     * @param builder a configuration
     * @return the JVM's cluster for it, started now if it is the first ask
     */
    static ReplicationCluster get(ReplicationCluster.Builder builder) {
        return CLUSTERS.computeIfAbsent(builder.configurationKey(), key -> {
            LOG.info("starting a shared cluster, kept until the JVM exits");
            return builder.start(false);
        });
    }

    /** Closes every shared cluster, wholly before or after Testcontainers' own exit clean-up ({@link ExitCleanup}). */
    private static void closeAll() {
        if (CLUSTERS.isEmpty()) {
            return; // Docker may never have been reached: nothing to coordinate with
        }
        ExitCleanup.exclusive(() -> CLUSTERS.values().parallelStream().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a shared cluster", e);
            }
        }));
        CLUSTERS.clear();
    }
}
