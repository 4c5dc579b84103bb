package io.github.pgreplication.testkit;

import com.zaxxer.hikari.HikariConfig;
import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Failover;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.Remove;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.Tls;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.internal.Durations;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;
import io.github.pgreplication.testkit.ClusterNode.LsnMode;

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
 * 64MB}, so that a former primary can be rewound and {@link #rejoin(String) rejoin}. Test clusters are non-durable
 * unless {@link Builder#durable(boolean) durable(true)}: fsync and synchronous_commit off, clones without waiting
 * for the disk, and every node's data directory in memory (a tmpfs, so its size counts against the machine's
 * memory, not its disk). They notice a lost peer in seconds: {@code wal_sender_timeout} and
 * {@code wal_receiver_timeout} 5 s ({@link Builder#walSenderTimeout}, {@link Builder#walReceiverTimeout}),
 * {@code wal_retrieve_retry_interval} and {@code wal_receiver_status_interval} 1 s (override any of them with
 * {@link Builder#settings(PrimarySettings)}).
 *
 * <p>Faults are verbs of {@link ClusterNode}; {@link #restore()} undoes them all, and so does {@link #close()}.
 *
 * <p>Once a cluster is up, the machines of the next one (a network and running containers of the same image and
 * names, nothing configured in them) are started in the background, so that the next cluster of the same shape, the
 * next test class's, skips their start. There is at most one such set; a cluster of another shape removes it and
 * starts its own, and the JVM's exit removes the last. Switch it off with {@code -Dpgreplication.prefetch=false} (or
 * {@code PGREPLICATION_PREFETCH=false}); a shared cluster ({@link ReplicationClusterExtension#shared}) prepares none.
 */
public final class ReplicationCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCluster.class);

    private final PostgresMachines machines;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private volatile Replication replication;
    private final List<Replication> replaced = new ArrayList<>();
    private final ApplyResult setup;
    private final PgBackRest pgBackRest;
    private final ClusterClients clients;
    private final ClusterTls tls;
    private volatile Integer serverVersionNum;

    private ReplicationCluster(PostgresMachines machines, ClusterNode primary, List<ClusterNode> standbys,
            Replication replication, ApplyResult setup, PgBackRest pgBackRest, ClusterTls tls) {
        this.tls = tls;
        this.pgBackRest = pgBackRest;
        this.machines = machines;
        nodes.put(primary.name(), primary);
        standbys.forEach(s -> nodes.put(s.name(), s));
        this.replication = replication;
        this.setup = setup;
        this.clients = new ClusterClients(this::nodes, primary.username(), primary.password().reveal().orElseThrow(),
                tls == null ? null : tls.jdbcParameters());
    }

    /**
     * @param standbys how many standbys
     * @return a started cluster with defaults
     */
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
        private Duration walSenderTimeout = Duration.ofSeconds(5);
        private Duration walReceiverTimeout = Duration.ofSeconds(5);
        private UnaryOperator<Replication.Builder> customizer = UnaryOperator.identity();
        private final Map<String, Duration> applyDelays = new java.util.TreeMap<>();
        private final Map<String, String> upstreams = new java.util.TreeMap<>();
        private String pgBackRestStanza;
        private boolean roleGiven;
        private SyncPolicy syncPolicy = SyncPolicy.none();
        private boolean tls;

        private Builder() {
        }

        /**
         * TLS with certificate authentication on every connection: one {@link TestCa} per cluster, a server
         * certificate per node (its network alias, {@code localhost}, 127.0.0.1) installed by the core
         * ({@code Tls.Server.install}), a client certificate for the replication role in every container and one for
         * the admin user on the test's side ({@link ClusterNode#tls()}). Replication is admitted by
         * {@code hostssl replication replicator samenet cert} only: the role has no password (unless
         * {@link #replicationRole} gives one). Every standby connects with {@code sslmode=verify-full}, and so do the
         * library's sessions and {@link #jdbcUrl}'s. Certificates are made in the test JVM with Bouncy Castle before
         * the containers start: nothing in the image, no round trip.
         *
         * @param value whether the cluster has TLS; default false
         * @return this
         */
        public Builder tls(boolean value) {
            this.tls = value;
            return this;
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

        /**
         * @param stanza the pgBackRest stanza name
         * @return this, see {@link #withPgBackRest()}
         */
        public Builder withPgBackRest(String stanza) {
            this.pgBackRestStanza = Objects.requireNonNull(stanza, "stanza");
            return this;
        }

        /**
         * @param major PostgreSQL major version; default 17
         * @return this
         */
        public Builder postgresMajor(int major) {
            this.postgresMajor = major;
            return this;
        }

        /**
         * @param name image to run instead of {@link PostgresImage#resolve(int)}; null resolves it
         * @return this
         * @throws IllegalArgumentException when it is not a valid Docker image name
         */
        public Builder image(String name) {
            this.image = name == null ? null : PostgresImage.checked(name, "ReplicationCluster.Builder.image");
            return this;
        }

        /**
         * @param count how many standbys, named standby1, standby2, ...
         * @return this
         */
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

        /**
         * @param names standby names (letters, digits, underscores), also their network aliases
         * @return this
         * @throws IllegalArgumentException for a name against that rule, one given twice, or {@code primary}
         */
        public Builder standbyNames(String... names) {
            List<String> list = List.of(names);
            if (list.contains("primary")) {
                throw Values.refused("standby name 'primary'", "is the name of the cluster's primary",
                        "Use another name, e.g. \"standby1\"");
            }
            PostgresMachines.checkNames("standby name", list);
            this.standbyNames = list;
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

        /**
         * @param value the replication role; default {@code replicator} with a random password
         * @return this
         */
        public Builder replicationRole(ReplicationRole value) {
            this.role = Objects.requireNonNull(value, "role");
            this.roleGiven = true;
            return this;
        }

        /**
         * How long the primary keeps a replication connection whose standby sends nothing
         * ({@code wal_sender_timeout}): how fast a partitioned or frozen standby leaves pg_stat_replication.
         *
         * @param value the timeout, millisecond precision; default 5 s (PostgreSQL's: 60 s); zero disables it
         * @return this
         */
        public Builder walSenderTimeout(Duration value) {
            this.walSenderTimeout = timeout("walSenderTimeout", value);
            return this;
        }

        /**
         * How long a standby keeps a replication connection whose primary sends nothing
         * ({@code wal_receiver_timeout}): how fast a standby cut off from its primary gives up and retries.
         *
         * @param value the timeout, millisecond precision; default 5 s (PostgreSQL's: 60 s); zero disables it
         * @return this
         */
        public Builder walReceiverTimeout(Duration value) {
            this.walReceiverTimeout = timeout("walReceiverTimeout", value);
            return this;
        }

        private static Duration timeout(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative()) {
                throw new IllegalArgumentException(what + "(" + value + "): a timeout must be zero (disabled) or"
                        + " more, e.g. Duration.ofSeconds(5)");
            }
            return value;
        }

        /**
         * Which standbys must confirm each commit ({@link Replication.Builder#syncPolicy(SyncPolicy)}): written once
         * every standby streams, kept by every operation of the cluster. A non-durable cluster then keeps
         * {@code synchronous_commit} at the policy's level instead of off (fsync stays off); for tests about what
         * survives a crash, use {@link #durable(boolean) durable(true)} too.
         *
         * <pre>{@code
         * ReplicationCluster.builder().standbys(2).durable(true).syncPolicy(SyncPolicy.any(1)).start();
         * }</pre>
         *
         * @param value the policy; default {@link SyncPolicy#none()}
         * @return this
         */
        public Builder syncPolicy(SyncPolicy value) {
            this.syncPolicy = Objects.requireNonNull(value, "syncPolicy: give e.g. SyncPolicy.any(1)");
            return this;
        }

        /** @return the settings every node starts with: durability, the test timeouts, then the caller's */
        PrimarySettings effectiveSettings() {
            PrimarySettings fast = syncPolicy.synchronous()
                    // the policy sets synchronous_commit itself: off would wait for no standby
                    ? PrimarySettings.empty().withFsync(false) : PrimarySettings.nonDurable();
            return (durable ? PrimarySettings.empty() : fast
                            // pg_rewind needs full-page writes: a former primary can then rejoin.
                            .withFullPageWrites(true))
                    // and its WAL back to the last common checkpoint: keep some on every node
                    .withWalKeepSize(DataSize.parse("64MB"))
                    .withParameter("wal_sender_timeout", walSenderTimeout.toMillis() + "ms")
                    .withParameter("wal_receiver_timeout", walReceiverTimeout.toMillis() + "ms")
                    .withParameter("wal_retrieve_retry_interval", "1s")
                    .withParameter("wal_receiver_status_interval", "1s")
                    .withAll(settings);
        }

        /**
         * @return what makes two builders start the same cluster, for {@link ReplicationClusterExtension#shared}:
         *         every option; a default (random) role password counts as equal, a customizer by identity
         */
        Object configurationKey() {
            return List.of(postgresMajor, Optional.ofNullable(image), standbyNames, durable,
                    roleGiven ? role : role.name(), effectiveSettings(), streamingTimeout, customizer,
                    Optional.ofNullable(pgBackRestStanza), syncPolicy, Map.copyOf(applyDelays), tls,
                    Map.copyOf(upstreams));
        }

        /**
         * @param value extra primary settings, applied on top of the non-durable ones
         * @return this
         */
        public Builder settings(PrimarySettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /**
         * @param value how long to wait for each standby to stream, positive; default 60 s
         * @return this
         * @throws IllegalArgumentException when it is zero or negative
         */
        public Builder streamingTimeout(Duration value) {
            this.streamingTimeout = Durations.positive("streamingTimeout", value,
                    ".streamingTimeout(Duration.ofMinutes(1))");
            return this;
        }

        /**
         * Makes one standby a delayed standby ({@link Standby#withApplyDelay}): it replays each transaction
         * {@code delay} after its commit. {@link ReplicationCluster#awaitReplication()} does not wait for it;
         * operations never promote it. Unlike the fault {@link ClusterNode#applyDelay(Duration)}, the library knows
         * it is delayed.
         *
         * @param standby the name of one of this cluster's standbys ({@link #standbyNames}, by default
         *                {@code standby1}, {@code standby2}, ...)
         * @param delay   how late it replays; {@link Duration#ZERO} for none
         * @return this
         */
        public Builder applyDelay(String standby, Duration delay) {
            Objects.requireNonNull(standby, "standby name must not be null: give e.g. \"standby2\"");
            Standby.named(standby).withApplyDelay(delay); // checks the delay now, with the message
            if (delay.isZero()) {
                applyDelays.remove(standby);
            } else {
                applyDelays.put(standby, delay);
            }
            return this;
        }

        /**
         * Makes one standby a cascading standby ({@link Standby#streamingFrom}): it is cloned from, and streams
         * from, another standby of the cluster instead of the primary; its slot lives there.
         *
         * @param standby  the name of one of this cluster's standbys (by default {@code standby1}, ...)
         * @param upstream the standby it streams from; the primary's name ({@code primary}) for none
         * @return this
         */
        public Builder streamingFrom(String standby, String upstream) {
            Objects.requireNonNull(standby, "standby name must not be null: give e.g. \"standby2\"");
            Objects.requireNonNull(upstream, "upstream must not be null: give e.g. \"standby1\", or \"primary\"");
            if (upstream.equals("primary")) {
                upstreams.remove(standby);
            } else {
                upstreams.put(standby, upstream);
            }
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
            return start(true);
        }

        /**
         * @param prefetchNext whether the next cluster's machines are prepared once this one is up: not for a cluster
         *                     kept until the JVM exits ({@link SharedClusters}), which no next cluster follows
         * @return the streaming cluster
         */
        ReplicationCluster start(boolean prefetchNext) {
            for (String delayed : applyDelays.keySet()) {
                if (!standbyNames.contains(delayed)) {
                    throw new IllegalArgumentException("applyDelay(\"" + delayed + "\", ...) names no standby of"
                            + " this cluster: its standbys are " + standbyNames + ". Give one of them, or name the"
                            + " standbys first with standbyNames(...).");
                }
            }
            upstreams.forEach((standby, upstream) -> {
                if (!standbyNames.contains(standby) || !standbyNames.contains(upstream)) {
                    throw new IllegalArgumentException("streamingFrom(\"" + standby + "\", \"" + upstream + "\")"
                            + " names no standby of this cluster: its standbys are " + standbyNames + ". Give two of"
                            + " them, or name the standbys first with standbyNames(...).");
                }
            });
            boolean prefetching = SpareMachines.enabled();
            WarmUp.startOnce(); // the first cluster of a JVM: what it will load while Docker starts the containers
            long t0 = System.nanoTime();
            String imageName = image != null ? image : PostgresImage.resolve(postgresMajor);
            long tImage = System.nanoTime();
            List<String> names = new ArrayList<>();
            names.add("primary");
            names.addAll(standbyNames);
            boolean withPgBackRest = pgBackRestStanza != null;
            // The primary's container copies the image's template as it starts: initDatabase below then only starts it.
            SpareMachines.Shape shape = new SpareMachines.Shape(imageName, names,
                    withPgBackRest ? Set.copyOf(standbyNames) : Set.of(), !durable, Set.of("primary"));
            Optional<PostgresMachines> spare = prefetching ? SpareMachines.take(shape) : Optional.empty();
            PostgresMachines nodes = spare.orElseGet(shape::create);
            Replication replication = null;
            ClusterTls material = null;
            try {
                // Made while Docker starts the containers: EC keys take a few milliseconds each.
                material = tls ? new ClusterTls(names, "postgres", effectiveRole().name()) : null;
                // The primary is initialised while the standbys' containers are still starting.
                CompletableFuture<Void> standbysUp = spare.isPresent() ? CompletableFuture.completedFuture(null)
                        : nodes.startAsync(standbyNames);
                if (spare.isEmpty()) {
                    nodes.startAsync(List.of("primary")).join();
                }
                long tContainers = System.nanoTime();
                // wal_log_hints, so that a former primary can be rewound and rejoin (it needs a restart: set before
                // the first start).
                ClusterNode p = nodes.initDatabase("primary", Map.of("wal_log_hints", "on"));
                PgBackRest pgBackRest = withPgBackRest ? PgBackRestSetup.repository(p, pgBackRestStanza) : null;
                standbysUp.join();
                long tPrimary = System.nanoTime();
                List<ClusterNode> standbyNodes = nodes.machines().subList(1, names.size());
                if (material != null) {
                    ClusterTls m = material;
                    nodes.machines().parallelStream().forEach(n -> {
                        m.installClientFiles(n);
                        n.tls(m.material(n.name()), m.jdbcParameters());
                    });
                }
                replication = customizer.apply(description(p, standbyNodes, pgBackRest, material)).load();
                ApplyResult result = replication.apply();
                long tEnd = System.nanoTime();
                LOG.info("Replication cluster up in {} ms (image {} ms, primary container {} ms, primary database and"
                        + " standby containers {} ms, replication set-up {} ms): primary + {} standby(s), image {}{}",
                        ms(tEnd - t0),
                        ms(tImage - t0), ms(tContainers - tImage), ms(tPrimary - tContainers), ms(tEnd - tPrimary),
                        standbyNodes.size(), imageName, spare.isPresent() ? ", on machines prepared in advance" : "");
                ReplicationCluster cluster = new ReplicationCluster(nodes, p, standbyNodes, replication, result,
                        pgBackRest, material);
                if (prefetching && prefetchNext) {
                    SpareMachines.prepare(shape);
                }
                return cluster;
            } catch (RuntimeException e) {
                if (replication != null) {
                    replication.close();
                }
                nodes.close();
                if (material != null) {
                    material.close();
                }
                throw e;
            }
        }

        /** @return the replication role: with TLS and none given, {@code replicator} without a password (cert) */
        private ReplicationRole effectiveRole() {
            return tls && !roleGiven ? ReplicationRole.named(role.name()) : role;
        }

        /** @return the core description of this cluster's primary and standbys, before {@link #customize} */
        private Replication.Builder description(ClusterNode p, List<ClusterNode> standbyNodes, PgBackRest pgBackRest,
                ClusterTls material) {
            ReplicationRole role = effectiveRole();
            HbaRule rule = material != null
                    ? new HbaRule("hostssl", "replication", role.name(), "samenet", "cert")
                    : HbaRule.replication(role.name(), "samenet", role.hasPassword() ? "scram-sha-256" : "trust");
            Replication.Builder builder = Replication.primary(Primary.at(p.internalEndpoint())
                            .withName(p.name())
                            .withAdminEndpoint(p.endpoint())
                            .withAdmin(p.username(), p.password())
                            .withHost(p.host())
                            .withDataDirectory(p.dataDirectory())
                            .withService(ServiceControl.pgCtl())
                            .withTls(material == null ? Tls.off() : material.nodeTls(p.name())))
                    .settings(withArchiving(effectiveSettings(), pgBackRest))
                    .replicationRole(role)
                    .allow(rule)
                    .streamingTimeout(streamingTimeout)
                    .syncPolicy(syncPolicy);
            for (ClusterNode s : standbyNodes) {
                // Test clusters are non-durable unless asked: the clone need not wait for the disk either.
                Standby standby = Standby.named(s.name()).withHost(s.host()).withDataDirectory(s.dataDirectory())
                        .withEndpoint(s.internalEndpoint())
                        .withCloneMethods(BaseBackup.defaults().withSync(durable))
                        .withApplyDelay(applyDelays.getOrDefault(s.name(), Duration.ZERO))
                        .withTls(material == null ? Tls.off() : material.nodeTls(s.name()));
                if (upstreams.containsKey(s.name())) { // else it follows whichever node is the primary
                    standby = standby.streamingFrom(upstreams.get(s.name()));
                }
                builder.addStandby(pgBackRestStanza != null
                        ? PgBackRestSetup.restoredStandby(standby, p, pgBackRest)
                        : standby.withAdminEndpoint(s.endpoint(), s.username(), s.password()));
            }
            return builder;
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

    /**
     * @param index 0-based index in {@link #standbys()}
     * @return that standby
     */
    public ClusterNode standby(int index) {
        return standbys().get(index);
    }

    /**
     * @param name a node's name
     * @return that node, whatever its place
     */
    public ClusterNode node(String name) {
        ClusterNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + Text.printable(name) + "'; nodes are "
                    + nodes.keySet());
        }
        return n;
    }

    /**
     * @param name a standby's name
     * @return that standby
     */
    public ClusterNode standby(String name) {
        if (!replication.topology().standbys().contains(name)) {
            throw new IllegalArgumentException("no standby named '" + Text.printable(name) + "'; standbys are "
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

    /**
     * @param switchover what to do
     * @return what the core did, see {@link #switchover(String)}
     */
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

    /**
     * @param rejoin what to do
     * @return what the core did ({@link Replication#rejoin(Rejoin)})
     */
    public OperationResult rejoin(Rejoin rejoin) {
        OperationResult result = adopt(replication.rejoin(rejoin));
        ClusterNode node = nodes.get(rejoin.node());
        if (node != null) {
            node.startedByTheCore();
        }
        return result;
    }

    /**
     * @param node the node to bring back as a standby
     * @return what the core did
     */
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

    /**
     * Retires a standby as {@link Replication#remove(Remove)} does, e.g. an upstream with its cascading standbys
     * re-pointed; afterwards {@link #replication()} describes the set-up without it.
     *
     * @param remove the standby to retire, and how
     * @return what the core did
     */
    public OperationResult remove(Remove remove) {
        return adopt(replication.remove(remove));
    }

    /**
     * Changes which standbys must confirm commits ({@link Replication#setSyncPolicy(SyncPolicy)}); afterwards
     * {@link #replication()} has the new policy.
     *
     * @param policy the new policy, e.g. {@code SyncPolicy.none()} to release commits waiting for a dead standby
     * @return what the core did
     */
    public OperationResult setSyncPolicy(SyncPolicy policy) {
        return adopt(replication.setSyncPolicy(policy));
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

    /**
     * Waits until a standby's position in {@code mode}, as the primary reports it in {@code pg_stat_replication},
     * is at or past {@code target}: {@code Cluster.pm}'s {@code wait_for_catchup}. The standby reports its
     * positions every {@code wal_receiver_status_interval} (1 s in test clusters) and whenever WAL arrives.
     *
     * <pre>{@code
     * Lsn target = cluster.primary().lsn(LsnMode.INSERT);
     * cluster.awaitCatchup(cluster.standby(0), CatchupMode.REPLAY, target);
     * }</pre>
     *
     * @param standby a standby of this cluster
     * @param mode    which position: sent, write, flush or replay
     * @param target  the LSN to reach
     * @param timeout how long to wait
     * @throws IllegalStateException naming the standby, mode and target, with what the primary reported last and
     *                               the tail of the standby's server log
     */
    public void awaitCatchup(ClusterNode standby, CatchupMode mode, Lsn target, Duration timeout) {
        Catchup.await(primary(), standby, mode, target, timeout);
    }

    /**
     * {@link #awaitCatchup(ClusterNode, CatchupMode, Lsn, Duration)} with a 30 s timeout.
     *
     * @param standby a standby of this cluster
     * @param mode    which position
     * @param target  the LSN to reach
     */
    public void awaitCatchup(ClusterNode standby, CatchupMode mode, Lsn target) {
        awaitCatchup(standby, mode, target, Duration.ofSeconds(30));
    }

    /**
     * Puts the cluster back as it started: undoes every fault on every node (unpause, heal, start what was stopped or
     * killed, resume replay, remove apply delays); a node a failover detached is not started as it was, which would
     * make a second primary, but stopped if it runs and rejoined as a standby ({@link #rejoin(Rejoin)}: rewound if its
     * WAL diverged, cloned again if it cannot be rewound: a test cluster's data is the primary's); when the primary
     * moved (a failover or a switchover), a switchover back to the node that started as the primary. Then it waits up
     * to 30 s until every standby streams: how a test that broke something hands the cluster on to the next one.
     *
     * @throws io.github.pgreplication.StandbyNotStreamingException when a standby does not stream within those 30 s
     *         (it names the standby); a rejoin or the switchover back that fails is only logged as a warning (the
     *         node then stays detached, or the primary where it is)
     */
    public void restore() {
        Set<String> detached = Set.copyOf(replication.topology().detached());
        nodes().parallelStream().forEach(n -> n.restore(!detached.contains(n.name())));
        for (String name : detached) {
            ClusterNode node = nodes.get(name);
            try {
                if (node.serverRunning()) {
                    node.stop(StopMode.FAST);
                }
                rejoin(Rejoin.node(name).withRecloneAllowed(true));
            } catch (RuntimeException e) {
                LOG.warn("[{}] could not rejoin while restoring the cluster: it stays detached", name, e);
            }
        }
        String first = nodes.keySet().iterator().next();
        if (!replication.topology().primary().equals(first) && replication.topology().standbys().contains(first)) {
            try {
                replication.awaitStreaming(Duration.ofSeconds(30));
                switchover(first);
            } catch (RuntimeException e) {
                LOG.warn("[{}] could not switch back to the node that started as the primary while restoring the"
                        + " cluster: {} stays the primary", first, replication.topology().primary(), e);
            }
        }
        replication.awaitStreaming(Duration.ofSeconds(30));
    }

    /**
     * A PgJDBC multi-host URL to the {@code postgres} database over every node's published endpoint, primary first.
     * Credentials are not in it: {@link ClusterNode#username()} and {@link ClusterNode#password()}.
     *
     * <pre>{@code
     * String url = cluster.jdbcUrl(TargetServerType.PRIMARY, false);
     * // jdbc:postgresql://localhost:24012,localhost:28811,localhost:21405/postgres?targetServerType=primary&...
     * }</pre>
     *
     * @param type        which server PgJDBC keeps ({@code targetServerType})
     * @param loadBalance whether PgJDBC shuffles the hosts ({@code loadBalanceHosts})
     * @return the URL
     */
    public String jdbcUrl(TargetServerType type, boolean loadBalance) {
        return jdbcUrl("postgres", type, loadBalance);
    }

    /**
     * @param database    the database, e.g. {@link TestDatabase#name()}
     * @param type        which server PgJDBC keeps
     * @param loadBalance whether PgJDBC shuffles the hosts
     * @return a multi-host URL to that database, as {@link #jdbcUrl(TargetServerType, boolean)}
     */
    public String jdbcUrl(String database, TargetServerType type, boolean loadBalance) {
        return clients.jdbcUrl(database, type, loadBalance);
    }

    /**
     * @return a HikariCP pool over {@link #jdbcUrl(TargetServerType, boolean) jdbcUrl(PRIMARY, false)}: it reaches
     *         whichever node is primary, also after a switchover or failover (PgJDBC re-checks hosts every
     *         {@code hostRecheckSeconds}=1; connect timeout 2 s, pool connection timeout 5 s, at most 4
     *         connections); closed with the cluster
     */
    public DataSource primaryDataSource() {
        return clients.primary();
    }

    /**
     * @return a HikariCP pool preferring standbys ({@code targetServerType=preferSecondary},
     *         {@code loadBalanceHosts=true}), falling back to the primary; tuned as {@link #primaryDataSource()}
     */
    public DataSource readDataSource() {
        return clients.read();
    }

    /**
     * A new HikariCP pool over a multi-host URL, with the test settings of {@link #primaryDataSource()} changed by
     * {@code tuning}; closed with the cluster.
     *
     * <pre>{@code
     * DataSource reads = cluster.dataSource("postgres", TargetServerType.SECONDARY, true,
     *         c -> c.addDataSourceProperty("hostRecheckSeconds", "5"));
     * }</pre>
     *
     * @param database    the database
     * @param type        which server to reach
     * @param loadBalance whether PgJDBC shuffles the hosts
     * @param tuning      changes to the pool's configuration (HikariCP's {@link HikariConfig})
     * @return the pool
     */
    public DataSource dataSource(String database, TargetServerType type, boolean loadBalance,
            Consumer<HikariConfig> tuning) {
        return clients.dataSource(database, type, loadBalance, tuning);
    }

    /**
     * @return a new connection to the {@code postgres} database of whichever node is the primary now (not pooled)
     * @throws SQLException when no primary answers
     */
    Connection openPrimaryConnection() throws SQLException {
        return clients.connection("postgres", TargetServerType.PRIMARY);
    }

    void closePool(DataSource pool) {
        clients.close(pool);
    }

    /**
     * A database of the test's own, created on the primary from {@code template1} and already replayed by every
     * standby when this returns: isolation without a new cluster. Close it to drop it.
     *
     * <pre>{@code
     * try (TestDatabase db = cluster.freshDatabase()) {
     *     try (Connection c = db.dataSource().getConnection()) { ... }
     * }
     * }</pre>
     *
     * @return the database
     */
    public TestDatabase freshDatabase() {
        return freshDatabase("template1");
    }

    /**
     * @param template the database to copy, e.g. one holding the application's schema; nobody may be connected
     *                 to it (PostgreSQL copies no database in use)
     * @return a new database copied from {@code template}, replayed by every standby (waits up to 30 s)
     */
    public TestDatabase freshDatabase(String template) {
        return TestDatabase.create(this, template, Duration.ofSeconds(30));
    }

    /** @return the primary's {@code server_version_num}, e.g. 170004 */
    int serverVersionNum() {
        if (serverVersionNum == null) {
            serverVersionNum = Integer.parseInt(primary().query("SHOW server_version_num"));
        }
        return serverVersionNum;
    }

    /** Undoes the container faults, stops every container and closes pools and the network. */
    @Override
    public void close() {
        replaced.forEach(Replication::close);
        clients.close();
        replication.close();
        machines.close();
        if (tls != null) {
            tls.close();
        }
    }

    /**
     * Which position of a standby, as its upstream reports it in {@code pg_stat_replication}, a catch-up wait compares
     * with its target ({@code Cluster.pm}'s {@code wait_for_catchup} modes).
     */
    public enum CatchupMode {
        /** WAL sent to the standby ({@code sent_lsn}). */
        SENT("sent_lsn"),
        /** WAL written by the standby ({@code write_lsn}). */
        WRITE("write_lsn"),
        /** WAL flushed by the standby ({@code flush_lsn}). */
        FLUSH("flush_lsn"),
        /** WAL replayed by the standby, visible to its queries ({@code replay_lsn}). */
        REPLAY("replay_lsn");

        private final String column;

        CatchupMode(String column) {
            this.column = column;
        }

        /** @return the column of pg_stat_replication */
        String column() {
            return column;
        }
    }
}
