package io.github.pgreplication.testkit;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.Problem;
import io.github.pgreplication.internal.Limits;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.internal.Validator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database of its own for one test, made by {@link ReplicationCluster#freshDatabase()}: created on the primary
 * from a template and already replayed by every standby. {@link #close()} drops it.
 *
 * <pre>{@code
 * try (TestDatabase db = cluster.freshDatabase()) {
 *     try (Connection c = db.dataSource().getConnection()) { ... }          // the primary, this database
 *     String readUrl = db.jdbcUrl(TargetServerType.SECONDARY, true);        // the standbys, this database
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ReplicationCluster cluster;
    private final String name;
    private final Lsn createdAt;
    private volatile DataSource dataSource;
    private volatile boolean dropped;

    private TestDatabase(ReplicationCluster cluster, String name, Lsn createdAt) {
        this.cluster = cluster;
        this.name = name;
        this.createdAt = createdAt;
    }

    /**
     * Creates the database on the primary ({@code CREATE DATABASE ... TEMPLATE ...}, with {@code STRATEGY
     * FILE_COPY} from PostgreSQL 15 on: a few kilobytes of WAL instead of the whole template) and waits until every
     * standby has replayed past it.
     */
    static TestDatabase create(ReplicationCluster cluster, String template, Duration timeout) {
        Objects.requireNonNull(template, "template");
        if (Text.hasControl(template)) {
            // It is quoted in SQL, but shown in this class's messages and log lines.
            throw Values.refused("template database '" + Problem.shown(template) + "'", Validator.CONTROL_RULE,
                    "Give the template's name on one line, e.g. freshDatabase(\"template1\")");
        }
        if (Limits.nameProblem(template) != null) {
            // PostgreSQL would cut the quoted name short and copy another database, or none.
            throw Values.refused("template database '" + Problem.shown(template) + "'", Limits.nameProblem(template),
                    "Give the template's name, e.g. freshDatabase(\"template1\")");
        }
        String name = "test_" + SEQUENCE.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        ClusterNode primary = cluster.primary();
        String sql = "CREATE DATABASE " + quote(name) + " TEMPLATE " + quote(template)
                + (cluster.serverVersionNum() >= 150000 ? " STRATEGY FILE_COPY" : "");
        try (Connection c = primary.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " from template '"
                    + Problem.shown(template) + "' on node '" + primary.name() + "': " + e.getMessage()
                    + (e.getMessage() != null
                    && e.getMessage().contains("is being accessed by other users")
                    ? " (close every connection to the template first: PostgreSQL copies no database in use)" : ""),
                    e);
        }
        Lsn lsn = cluster.replication().currentLsn();
        cluster.replication().awaitReplay(lsn, timeout);
        LOG.debug("database {} created from {} and replayed by every standby at {} ({} ms)", name, template, lsn,
                (System.nanoTime() - started) / 1_000_000);
        return new TestDatabase(cluster, name, lsn);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** @return the database's name, e.g. {@code test_3_1f0c2a9e} */
    public String name() {
        return name;
    }

    /** @return the primary's WAL position right after the database was created, replayed by every standby */
    public Lsn createdAt() {
        return createdAt;
    }

    /**
     * @return a HikariCP pool to this database on whichever node is primary (multi-host URL,
     *         {@code targetServerType=primary}), created on first use, closed by {@link #close()}
     */
    public DataSource dataSource() {
        if (dataSource == null) {
            synchronized (this) {
                if (dataSource == null) {
                    dataSource = cluster.dataSource(name, TargetServerType.PRIMARY, false, c -> { });
                }
            }
        }
        return dataSource;
    }

    /**
     * @param type        which server to reach
     * @param loadBalance whether PgJDBC shuffles the hosts ({@code loadBalanceHosts})
     * @return a multi-host URL to this database over every published node
     */
    public String jdbcUrl(TargetServerType type, boolean loadBalance) {
        return cluster.jdbcUrl(name, type, loadBalance);
    }

    /** Closes the pool and drops the database ({@code DROP DATABASE ... WITH (FORCE)}). Idempotent. */
    @Override
    public void close() {
        if (dropped) {
            return;
        }
        dropped = true;
        if (dataSource != null) {
            cluster.closePool(dataSource);
        }
        try (Connection c = cluster.primary().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
        } catch (SQLException e) {
            LOG.warn("could not drop database {}", name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
