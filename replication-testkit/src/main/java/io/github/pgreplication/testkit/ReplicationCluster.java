package io.github.pgreplication.testkit;

import io.github.pgreplication.DataSize;
import java.util.Map;
import java.util.LinkedHashMap;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.Failover;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;

/**
 * A real primary and N real standbys in containers on one Testcontainers {@link Network}, streaming. The cluster
 * is set up by the core library itself ({@code Replication.primary(...).addStandby(...).apply()}), so every
 * cluster started is also a test of the library. Standbys are cloned in parallel.
 *
 * <pre>{@code
 * try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
 *     try (Connection c = cluster.primary().dataSource().getConnection()) { ... write ... }
 *     cluster.awaitReplication();
 *     try (Connection c = cluster.standby(0).dataSource().getConnection()) { ... read ... }
 * }
 * }</pre>
 *
 * <p>Every node runs with {@code wal_log_hints = on}, {@code full_page_writes = on} and {@code wal_keep_size =
 * 64MB}, so that a former primary can be rewound and {@link #rejoin(String) rejoin}. Test clusters are non-durable unless
 * {@link Builder#durable(boolean) durable(true)}: fsync and synchronous_commit off, clones without waiting for the disk, and every node's data directory
 * in memory (a tmpfs, so its size counts against the machine's memory, not its disk).
 */
public final class ReplicationCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCluster.class);

    private final PostgresMachines machines;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private volatile Replication replication;
    private final List<Replication> replaced = new ArrayList<>();
    private final ApplyResult setup;
    private final PgBackRest pgBackRest;

    private ReplicationCluster(PostgresMachines machines, ClusterNode primary, List<ClusterNode> standbys,
            Replication replication, ApplyResult setup, PgBackRest pgBackRest) {
        this.pgBackRest = pgBackRest;
        this.machines = machines;
        nodes.put(primary.name(), primary);
        standbys.forEach(s -> nodes.put(s.name(), s));
        this.replication = replication;
        this.setup = setup;
    }

    /** @param standbys how many standbys @return a started cluster with defaults */
    public static ReplicationCluster start(int standbys) {
        return builder().standbys(standbys).start();
    }

    /** @return a builder with defaults: PostgreSQL 17, one standby, non-durable, replication role with password */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a cluster; {@link #start()} starts it. */
    public static final class Builder {
        private int postgresMajor = 17;
        private String image;
        private List<String> standbyNames = List.of("standby1");
        private boolean durable;
        private ReplicationRole role = ReplicationRole.named("replicator")
                .withPassword(Secret.of("repl-" + UUID.randomUUID()));
        private PrimarySettings settings = PrimarySettings.empty();
        private Duration streamingTimeout = Duration.ofSeconds(60);
        private UnaryOperator<Replication.Builder> customizer = UnaryOperator.identity();
        private String pgBackRestStanza;

        private Builder() {
        }

        /**
         * Runs the cluster as the second runbook does: the primary holds a pgBackRest repository (stanza
         * {@code main}), runs sshd and archives WAL with archive-push; each standby publishes no port, trusts the
         * primary over SSH (its key generated, authorized and the host key pinned by the library), is restored from
         * the repository, streams, and falls back to archive-get. pg_basebackup remains as a fallback clone method.
         *
         * @return this
         */
        public Builder withPgBackRest() {
            return withPgBackRest("main");
        }

        /** @param stanza the pgBackRest stanza name @return this, see {@link #withPgBackRest()} */
        public Builder withPgBackRest(String stanza) {
            this.pgBackRestStanza = Objects.requireNonNull(stanza, "stanza");
            return this;
        }

        /** @param major PostgreSQL major version; default 17 @return this */
        public Builder postgresMajor(int major) {
            this.postgresMajor = major;
            return this;
        }

        /** @param name image to run instead of {@link PostgresImage#resolve(int)} @return this */
        public Builder image(String name) {
            this.image = name;
            return this;
        }

        /** @param count how many standbys, named standby1, standby2, ... @return this */
        public Builder standbys(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("standby count must be 0 or more, got " + count);
            }
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                names.add("standby" + i);
            }
            this.standbyNames = names;
            return this;
        }

        /** @param names standby names (letters, digits, underscores), also their network aliases @return this */
        public Builder standbyNames(String... names) {
            this.standbyNames = List.of(names);
            return this;
        }

        /**
         * @param value true for PostgreSQL's durable defaults and data directories on disk; default false (fsync,
         *              synchronous_commit off, data directories in memory; full_page_writes stays on for pg_rewind)
         * @return this
         */
        public Builder durable(boolean value) {
            this.durable = value;
            return this;
        }

        /** @param value the replication role; default {@code replicator} with a random password @return this */
        public Builder replicationRole(ReplicationRole value) {
            this.role = Objects.requireNonNull(value, "role");
            return this;
        }

        /** @param value extra primary settings, applied on top of the non-durable ones @return this */
        public Builder settings(PrimarySettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** @param value how long to wait for each standby to stream; default 60 s @return this */
        public Builder streamingTimeout(Duration value) {
            this.streamingTimeout = value;
            return this;
        }

        /**
         * @param value changes the core description before it is loaded (e.g. clone methods, extra rules)
         * @return this
         */
        public Builder customize(UnaryOperator<Replication.Builder> value) {
            this.customizer = Objects.requireNonNull(value, "customizer");
            return this;
        }

        /**
         * Starts the containers (in parallel), initialises the primary, and lets the core configure replication.
         *
         * @return the streaming cluster
         */
        public ReplicationCluster start() {
            long t0 = System.nanoTime();
            String imageName = image != null ? image : PostgresImage.resolve(postgresMajor);
            long tImage = System.nanoTime();
            List<String> names = new ArrayList<>();
            names.add("primary");
            names.addAll(standbyNames);
            boolean withPgBackRest = pgBackRestStanza != null;
            PostgresMachines nodes = PostgresMachines.create(imageName, Network.newNetwork(), true, names,
                    withPgBackRest ? Set.copyOf(standbyNames) : Set.of(), !durable);
            Replication replication = null;
            try {
                // The primary is initialised while the standbys' containers are still starting.
                CompletableFuture<Void> standbysUp = nodes.startAsync(standbyNames);
                nodes.startAsync(List.of("primary")).join();
                long tContainers = System.nanoTime();
                // wal_log_hints, so that a former primary can be rewound and rejoin (it needs a restart: set before
                // the first start).
                ClusterNode p = nodes.initDatabase("primary", Map.of("wal_log_hints", "on"));
                PgBackRest pgBackRest = withPgBackRest ? PgBackRestSetup.repository(p, pgBackRestStanza) : null;
                standbysUp.join();
                long tPrimary = System.nanoTime();
                List<ClusterNode> standbyNodes = nodes.machines().subList(1, names.size());
                Replication.Builder builder = Replication.primary(Primary.at(p.internalEndpoint())
                                .withName(p.name())
                                .withAdminEndpoint(p.endpoint())
                                .withAdmin(p.username(), p.password())
                                .withHost(p.host())
                                .withDataDirectory(p.dataDirectory())
                                .withService(ServiceControl.pgCtl()))
                        .settings(withArchiving((durable ? PrimarySettings.empty() : PrimarySettings.nonDurable()
                                        // pg_rewind needs full-page writes: a former primary can then rejoin.
                                        .withFullPageWrites(true))
                                // and its WAL back to the last common checkpoint: keep some on every node
                                .withWalKeepSize(DataSize.parse("64MB"))
                                .withAll(settings), pgBackRest))
                        .replicationRole(role)
                        .allow(HbaRule.replication(role.name(), "samenet", role.hasPassword() ? "scram-sha-256" : "trust"))
                        .streamingTimeout(streamingTimeout);
                for (ClusterNode s : standbyNodes) {
                    // Test clusters are non-durable unless asked: the clone need not wait for the disk either.
                    Standby standby = Standby.named(s.name()).withHost(s.host()).withDataDirectory(s.dataDirectory())
                            .withEndpoint(s.internalEndpoint())
                            .withCloneMethods(BaseBackup.defaults().withSync(durable));
                    builder.addStandby(withPgBackRest
                            ? PgBackRestSetup.restoredStandby(standby, p, pgBackRest)
                            : standby.withAdminEndpoint(s.endpoint(), s.username(), s.password()));
                }
                replication = customizer.apply(builder).load();
                ApplyResult result = replication.apply();
                long tEnd = System.nanoTime();
                LOG.info("Replication cluster up in {} ms (image {} ms, primary container {} ms, primary database and"
                        + " standby containers {} ms, replication set-up {} ms): primary + {} standby(s), image {}",
                        ms(tEnd - t0),
                        ms(tImage - t0), ms(tContainers - tImage), ms(tPrimary - tContainers), ms(tEnd - tPrimary),
                        standbyNodes.size(), imageName);
                return new ReplicationCluster(nodes, p, standbyNodes, replication, result, pgBackRest);
            } catch (RuntimeException e) {
                if (replication != null) {
                    replication.close();
                }
                nodes.close();
                throw e;
            }
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** @return the node that is the primary now (it changes with a switchover or a failover) */
    public ClusterNode primary() {
        return nodes.get(replication.topology().primary());
    }

    /** @return the nodes that are standbys now, in the topology's order */
    public List<ClusterNode> standbys() {
        return replication.topology().standbys().stream().map(nodes::get).toList();
    }

    /** @return every node, whatever its place: primary, standbys, detached */
    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** @param index 0-based index in {@link #standbys()} @return that standby */
    public ClusterNode standby(int index) {
        return standbys().get(index);
    }

    /** @param name a node's name @return that node, whatever its place */
    public ClusterNode node(String name) {
        ClusterNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + name + "'; nodes are " + nodes.keySet());
        }
        return n;
    }

    /** @param name a standby's name @return that standby */
    public ClusterNode standby(String name) {
        if (!replication.topology().standbys().contains(name)) {
            throw new IllegalArgumentException("no standby named '" + name + "'; standbys are "
                    + replication.topology().standbys());
        }
        return nodes.get(name);
    }

    /**
     * A planned switchover through the core ({@link Replication#switchover(Switchover)}); afterwards
     * {@link #primary()} is that node and {@link #replication()} the set-up of the new topology.
     *
     * @param standby the standby to promote
     * @return what the core did
     */
    public OperationResult switchover(String standby) {
        return switchover(Switchover.to(standby));
    }

    /** @param switchover what to do @return what the core did, see {@link #switchover(String)} */
    public OperationResult switchover(Switchover switchover) {
        return adopt(replication.switchover(switchover));
    }

    /**
     * A failover through the core ({@link Replication#failover(Failover)}): stop the primary first (for example
     * {@code primary().host().run(...pg_ctl stop -m immediate)}), or it is refused.
     *
     * @param failover what to do
     * @return what the core did; the old primary is then detached until {@link #rejoin(String)}
     */
    public OperationResult failover(Failover failover) {
        return adopt(replication.failover(failover));
    }

    /** @param rejoin what to do @return what the core did ({@link Replication#rejoin(Rejoin)}) */
    public OperationResult rejoin(Rejoin rejoin) {
        return adopt(replication.rejoin(rejoin));
    }

    /** @param node the node to bring back as a standby @return what the core did */
    public OperationResult rejoin(String node) {
        return rejoin(Rejoin.node(node));
    }

    /**
     * @param standby the standby to retire (its container keeps running, without replication)
     * @param stop    whether to stop its server
     * @return what the core did ({@link Replication#removeStandby(String, boolean)})
     */
    public OperationResult removeStandby(String standby, boolean stop) {
        return adopt(replication.removeStandby(standby, stop));
    }

    private synchronized OperationResult adopt(OperationResult result) {
        if (result.replication() != replication) {
            replaced.add(replication);
            replication = result.replication();
        }
        return result;
    }

    /** @return the core object that set the cluster up: plan, status, waits */
    public Replication replication() {
        return replication;
    }

    /**
     * @return pgBackRest on the primary (the repository host), when the cluster runs with
     *         {@link Builder#withPgBackRest()}
     */
    public Optional<PgBackRest> pgBackRest() {
        return Optional.ofNullable(pgBackRest);
    }

    private static PrimarySettings withArchiving(PrimarySettings settings, PgBackRest pgBackRest) {
        return pgBackRest == null ? settings : PgBackRestPrimary.withArchiving(settings, pgBackRest);
    }

    /** @return what the set-up did, step by step */
    public ApplyResult setupResult() {
        return setup;
    }

    /** @return the network the nodes share */
    public Network network() {
        return machines.network();
    }

    /** Waits (up to 30 s) until every standby has replayed the primary's current WAL position. */
    public void awaitReplication() {
        awaitReplication(Duration.ofSeconds(30));
    }

    /** @param timeout how long to wait for every standby to replay the primary's current position */
    public void awaitReplication(Duration timeout) {
        replication.awaitReplay(replication.currentLsn(), timeout);
    }

    /** Stops every container and closes pools and the network. */
    @Override
    public void close() {
        replaced.forEach(Replication::close);
        replication.close();
        machines.close();
    }
}
