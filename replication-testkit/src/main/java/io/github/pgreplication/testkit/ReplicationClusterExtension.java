package io.github.pgreplication.testkit;

import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension that starts a {@link ReplicationCluster}. Registered on a {@code static} field, one cluster
 * serves the whole class; on an instance field, each test gets a fresh one; with {@link #shared(ReplicationCluster.Builder)}
 * every class of the JVM run asking for the same configuration gets the same cluster, closed when the JVM exits
 * (and {@link ReplicationCluster#restore() restored} after each class). Test and lifecycle methods may take a
 * {@link ReplicationCluster} parameter; with {@link #freshDatabasePerTest()} also a {@link TestDatabase} or a
 * {@link DataSource} to a database of the test's own. When a test fails, the tail of every node's server log is
 * printed to the test's standard error.
 *
 * <pre>{@code
 * class MyIT {
 *     @RegisterExtension
 *     static ReplicationClusterExtension cluster = ReplicationClusterExtension.withStandbys(2)
 *             .freshDatabasePerTest()
 *             .skipWhenDockerUnavailable();
 *
 *     @Test
 *     void readsFromAStandby(ReplicationCluster cluster, DataSource db) { ... }
 * }
 * }</pre>
 */
public final class ReplicationClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterTestExecutionCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ReplicationClusterExtension.class);
    private static final int LOG_LINES = 40;

    private final Supplier<ReplicationCluster> factory;
    private final boolean skipWithoutDocker;
    private final boolean shared;
    private final boolean freshDatabase;
    private ReplicationCluster cluster;
    private boolean perClass;

    private ReplicationClusterExtension(Supplier<ReplicationCluster> factory, boolean skipWithoutDocker,
            boolean shared, boolean freshDatabase) {
        this.factory = factory;
        this.skipWithoutDocker = skipWithoutDocker;
        this.shared = shared;
        this.freshDatabase = freshDatabase;
    }

    /**
     * @param standbys how many standbys
     * @return an extension starting a default cluster
     */
    public static ReplicationClusterExtension withStandbys(int standbys) {
        return of(ReplicationCluster.builder().standbys(standbys));
    }

    /**
     * @param builder a configured cluster builder
     * @return an extension starting that cluster
     */
    public static ReplicationClusterExtension of(ReplicationCluster.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new ReplicationClusterExtension(builder::start, false, false, false);
    }

    /**
     * One cluster for every test class of the JVM run that asks for the same configuration (every option of the
     * builder; a customizer counts by identity, so share one in a constant): started by the first, closed when the
     * JVM exits, {@link ReplicationCluster#restore() restored} (faults undone) after each class. Tests of different
     * classes then see each other's data: give each test its own with {@link #freshDatabasePerTest()}.
     *
     * @param builder a configured cluster builder
     * @return an extension handing out the shared cluster
     */
    public static ReplicationClusterExtension shared(ReplicationCluster.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new ReplicationClusterExtension(() -> SharedClusters.get(builder), false, true, false);
    }

    /**
     * @return a copy that skips (aborts) the tests instead of failing them when no Docker engine is reachable
     */
    public ReplicationClusterExtension skipWhenDockerUnavailable() {
        return new ReplicationClusterExtension(factory, true, shared, freshDatabase);
    }

    /**
     * @return a copy that gives every test a database of its own ({@link ReplicationCluster#freshDatabase()}),
     *         injected as a {@link TestDatabase} or a {@link DataSource} (to the primary, that database) parameter,
     *         and dropped after the test
     */
    public ReplicationClusterExtension freshDatabasePerTest() {
        return new ReplicationClusterExtension(factory, skipWithoutDocker, shared, true);
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
        if (freshDatabase) {
            context.getStore(NAMESPACE).put(TestDatabase.class, cluster().freshDatabase());
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || cluster == null) {
            return;
        }
        StringBuilder out = new StringBuilder("\n[pgreplication] " + context.getDisplayName() + " failed ("
                + context.getExecutionException().get() + "); the tail of every node's server log:\n");
        for (ClusterNode node : cluster.nodes()) {
            out.append("---- ").append(node.name()).append(" (").append(node.serverLogPath()).append(") ----\n")
                    .append(node.serverLogTail(LOG_LINES)).append('\n');
        }
        System.err.print(out);
        System.err.flush();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase db = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
        if (db != null) {
            db.close();
        }
        if (!perClass) {
            stopCluster();
        }
    }

    private void stopCluster() {
        if (cluster != null) {
            ReplicationCluster c = cluster;
            cluster = null;
            if (shared) {
                c.restore();
            } else {
                c.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ReplicationCluster.class
                || (freshDatabase && (type == TestDatabase.class || type == DataSource.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ReplicationCluster.class) {
            return cluster();
        }
        TestDatabase db = context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
        if (db == null) {
            throw new IllegalStateException("no fresh database for this method: a TestDatabase or DataSource"
                    + " parameter is injected into test methods only (each test gets its own), not into lifecycle"
                    + " methods such as @BeforeAll");
        }
        return type == TestDatabase.class ? db : db.dataSource();
    }
}
