package io.github.pgreplication.testkit;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension that starts a {@link ReplicationCluster}. Registered on a {@code static} field, one cluster
 * serves the whole class; on an instance field, each test gets a fresh one. Test and lifecycle methods may take a
 * {@link ReplicationCluster} parameter.
 *
 * <pre>{@code
 * class MyIT {
 *     @RegisterExtension
 *     static ReplicationClusterExtension cluster = ReplicationClusterExtension.withStandbys(2)
 *             .skipWhenDockerUnavailable();
 *
 *     @Test
 *     void readsFromAStandby(ReplicationCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class ReplicationClusterExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Supplier<ReplicationCluster> factory;
    private final boolean skipWithoutDocker;
    private ReplicationCluster cluster;
    private boolean perClass;

    private ReplicationClusterExtension(Supplier<ReplicationCluster> factory, boolean skipWithoutDocker) {
        this.factory = factory;
        this.skipWithoutDocker = skipWithoutDocker;
    }

    /** @param standbys how many standbys @return an extension starting a default cluster */
    public static ReplicationClusterExtension withStandbys(int standbys) {
        return of(ReplicationCluster.builder().standbys(standbys));
    }

    /** @param builder a configured cluster builder @return an extension starting that cluster */
    public static ReplicationClusterExtension of(ReplicationCluster.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new ReplicationClusterExtension(builder::start, false);
    }

    /**
     * @return a copy that skips (aborts) the tests instead of failing them when no Docker engine is reachable
     */
    public ReplicationClusterExtension skipWhenDockerUnavailable() {
        return new ReplicationClusterExtension(factory, true);
    }

    /** @return the running cluster */
    public ReplicationCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster is not started: register the extension with"
                    + " @RegisterExtension and use it from a test or lifecycle method");
        }
        return cluster;
    }

    private void startCluster() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String why = "No Docker engine is reachable, so no replication cluster can start.";
            if (skipWithoutDocker) {
                Assumptions.abort(why + " Skipping, as asked with skipWhenDockerUnavailable(); start an engine to run"
                        + " these tests.");
            }
            throw new IllegalStateException(why + " Start one (on a Debian machine as root: scripts/ensure-docker.sh"
                    + " from this project; elsewhere Docker or a compatible engine, with DOCKER_HOST if its socket is"
                    + " not the default), or register the extension with .skipWhenDockerUnavailable() to skip these"
                    + " tests instead of failing them.");
        }
        cluster = factory.get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        startCluster();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopCluster();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            startCluster();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopCluster();
        }
    }

    private void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ReplicationCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster();
    }
}
