package io.github.pgreplication;

import io.github.pgreplication.internal.ApplyContext;
import io.github.pgreplication.internal.Applier;
import io.github.pgreplication.internal.Db;
import io.github.pgreplication.internal.Operations;
import io.github.pgreplication.internal.FailoverSteps;
import io.github.pgreplication.internal.RejoinSteps;
import io.github.pgreplication.internal.ResyncSteps;
import io.github.pgreplication.internal.RemoveSteps;
import io.github.pgreplication.internal.ReplayControl;
import io.github.pgreplication.internal.Planner;
import io.github.pgreplication.internal.ReplicationConfig;
import io.github.pgreplication.internal.Sql;
import io.github.pgreplication.internal.SqlSession;
import io.github.pgreplication.internal.StandbyProbe;
import io.github.pgreplication.internal.StatusRows;
import io.github.pgreplication.internal.SwitchoverSteps;
import io.github.pgreplication.internal.SyncNames;
import io.github.pgreplication.internal.SyncPolicyChange;
import io.github.pgreplication.internal.SyncReplication;
import io.github.pgreplication.internal.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.internal.SlotName;

/**
 * PostgreSQL physical streaming replication from one primary to its standbys: describe, validate, plan, apply,
 * observe.
 *
 * <pre>{@code
 * try (Replication replication = Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432)))
 *         .settings(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA).withMaxWalSize("1GB"))
 *         .replicationRole(ReplicationRole.named("replicator"))
 *         .allow(HbaRule.parse("host replication replicator 10.0.0.0/24 trust"))
 *         .addStandby(Standby.named("eshub").withDataDirectory("/var/postgresql/data"))
 *         .load()) {                                  // validates everything at once
 *     System.out.println(replication.plan().toRunbook()); // what will happen, touching nothing
 *     replication.apply();                                // returns when every standby streams
 *     System.out.println(replication.status().toTable());
 * }
 * }</pre>
 *
 * <p>Thread-safe once loaded. Holds small connection pools: close it when done.
 */
public final class Replication implements AutoCloseable {
    private final ReplicationConfig config;
    private final Db primaryDb;
    private final Map<String, StandbyProbe> probes = new LinkedHashMap<>();

    private volatile Lsn lastPrimaryLsn;

    private Replication(ReplicationConfig config) {
        this.config = config;
        Primary p = config.primary();
        this.primaryDb = p.dataSource() != null ? Db.of(p.name(), p.dataSource())
                : p.node().tls().serves() ? Db.bootstrappingTls(p.name(), p.adminEndpoint(), p.database(),
                        p.adminUser(), p.adminPassword(), 3_000, p.node().tls().admin(), () -> sslOn(p.node()))
                : Db.pool(p.name(), p.adminEndpoint(), p.database(), p.adminUser(), p.adminPassword(), 3_000,
                        p.node().tls().admin());
        for (Standby s : config.standbys()) {
            probes.put(s.name(), new StandbyProbe(s));
        }
    }

    /**
     * @param node the primary
     * @return its own {@code SHOW ssl}, by psql over its Unix socket on its host (no network in between); empty when
     *         it has no host or psql cannot tell
     */
    private static java.util.Optional<Boolean> sslOn(Node node) {
        if (node.host() == null) {
            return java.util.Optional.empty();
        }
        try {
            return io.github.pgreplication.internal.NodeClient.overPsql(node).value("SHOW ssl")
                    .filter(v -> v.equals("on") || v.equals("off")).map(v -> v.equals("on"));
        } catch (ReplicationException e) {
            return java.util.Optional.empty(); // psql could not tell
        }
    }

    /**
     * Starts describing a replication set-up.
     *
     * @param primary the primary server
     * @return a mutable builder; call {@link Builder#load()} to validate and freeze it
     */
    public static Builder primary(Primary primary) {
        return new Builder(primary);
    }

    /**
     * Starts describing standbys joined from their own side, knowing only the primary's address and the
     * replication role: nothing runs on the primary (see {@link StandbyJoin}).
     *
     * @param primary where the standbys connect (host and port)
     * @param role    the replication role they connect as, with its password when it has one
     * @return a mutable builder; call {@link StandbyJoin.Builder#load()} to validate it
     */
    public static StandbyJoin.Builder standbyOf(Endpoint primary, ReplicationRole role) {
        return new StandbyJoin.Builder(primary, role);
    }

    /** Mutable description; {@link #load()} validates it and returns an immutable {@link Replication}. */
    public static final class Builder {
        private final Primary primary;
        private ReplicationRole role = ReplicationRole.named("replicator");
        private PrimarySettings settings = PrimarySettings.empty();
        private final List<HbaRule> hbaRules = new ArrayList<>();
        private final List<Standby> standbys = new ArrayList<>();
        private Duration streamingTimeout = Duration.ofSeconds(60);
        private boolean parallel = true;
        private SyncPolicy syncPolicy = SyncPolicy.none();

        private Builder(Primary primary) {
            this.primary = Objects.requireNonNull(primary, "primary must not be null: give"
                    + " Primary.at(Endpoint.of(\"db.example.com\", 5432))");
        }

        /**
         * @param value settings applied to the primary; they replace earlier ones
         * @return this builder
         */
        public Builder settings(PrimarySettings value) {
            this.settings = Objects.requireNonNull(value, "settings must not be null: give e.g."
                    + " PrimarySettings.empty()");
            return this;
        }

        /**
         * @param value the role standbys connect as; default {@code replicator} without password
         * @return this
         */
        public Builder replicationRole(ReplicationRole value) {
            this.role = Objects.requireNonNull(value, "replication role must not be null: give e.g."
                    + " ReplicationRole.named(\"replicator\")");
            return this;
        }

        /**
         * @param rules pg_hba rules to own on the primary
         * @return this builder
         */
        public Builder allow(HbaRule... rules) {
            Objects.requireNonNull(rules, "pg_hba rules must not be null: give e.g. HbaRule.parse(\"host replication"
                    + " replicator 10.0.0.0/24 scram-sha-256\")");
            for (HbaRule rule : rules) {
                hbaRules.add(Objects.requireNonNull(rule, "a pg_hba rule must not be null: give e.g."
                        + " HbaRule.parse(\"host replication replicator 10.0.0.0/24 scram-sha-256\")"));
            }
            return this;
        }

        /**
         * @param standby a standby to clone, start and verify
         * @return this builder
         */
        public Builder addStandby(Standby standby) {
            standbys.add(Objects.requireNonNull(standby, "standby must not be null: give e.g."
                    + " Standby.named(\"eshub\").withDataDirectory(\"/var/lib/postgresql/17/main\")"));
            return this;
        }

        /**
         * @param value how long apply() waits for each standby to stream; default 60 s
         * @return this builder
         */
        public Builder streamingTimeout(Duration value) {
            this.streamingTimeout = Objects.requireNonNull(value, "streaming timeout must not be null: give e.g."
                    + " Duration.ofMinutes(1)");
            return this;
        }

        /**
         * Which standbys must confirm a commit: written once every standby streams (no write waits during the
         * clones), verified in {@code pg_stat_replication}, and kept by every operation. Checked at {@link #load()}:
         * a count from 1 to the number of names, names that are standbys of this set-up, no raw
         * {@code synchronous_standby_names} in the settings.
         *
         * @param value the policy; default {@link SyncPolicy#none()} (asynchronous)
         * @return this builder
         */
        public Builder syncPolicy(SyncPolicy value) {
            this.syncPolicy = Objects.requireNonNull(value, "sync policy must not be null: give e.g."
                    + " SyncPolicy.any(1) or SyncPolicy.none()");
            return this;
        }

        /**
         * @param value whether standbys are cloned and started in parallel; default true
         * @return this builder
         */
        public Builder parallelStandbys(boolean value) {
            this.parallel = value;
            return this;
        }

        /**
         * Validates the whole description and freezes it.
         *
         * @return the replication set-up, ready to plan, apply and observe
         * @throws InvalidReplicationConfigException listing every problem, numbered, with value, rule and fix
         */
        public Replication load() {
            ReplicationConfig config = new ReplicationConfig(primary, role, settings, hbaRules, standbys,
                    streamingTimeout, parallel, List.of(), Map.of(), syncPolicy);
            List<Problem> problems = Validator.validate(config);
            if (!problems.isEmpty()) {
                throw new InvalidReplicationConfigException(problems);
            }
            return new Replication(config);
        }
    }

    /** @return the primary */
    public Primary primaryServer() {
        return config.primary();
    }

    /** @return which node is the primary, which stream from it, and which are detached (waiting to rejoin) */
    public Topology topology() {
        return new Topology(config.primary().name(), config.standbys().stream().map(Standby::name).toList(),
                config.detached().stream().map(Node::name).toList());
    }

    /** @return every node: the primary, the standbys, then the detached ones */
    public List<Node> nodes() {
        return config.nodes();
    }

    /** @return the standbys, in the order added */
    public List<Standby> standbys() {
        return config.standbys();
    }

    /** @return the primary settings this set-up applies */
    public PrimarySettings settings() {
        return config.settings();
    }

    /** @return the pg_hba rules this set-up owns on the primary */
    public List<HbaRule> hbaRules() {
        return config.hbaRules();
    }

    /** @return the replication role */
    public ReplicationRole role() {
        return config.role();
    }

    /**
     * @return which standbys confirm commits; after an operation, with its names as the operation left them (a
     *         promoted standby's place given to the old primary, a removed standby gone)
     */
    public SyncPolicy syncPolicy() {
        return config.syncPolicy();
    }

    /**
     * The primary's {@code synchronous_standby_names} for this topology, as the library writes it.
     *
     * @return e.g. {@code ANY 1 ("eshub", "eshuc")}; empty when asynchronous
     */
    public String synchronousStandbyNames() {
        return SyncNames.value(config);
    }

    /**
     * @param policy the policy to change to
     * @return the steps of {@link #setSyncPolicy(SyncPolicy)}, computed without changing anything
     * @throws InvalidReplicationConfigException when the policy does not fit this set-up
     */
    public Plan plan(SyncPolicy policy) {
        try (Operations ops = new Operations(config)) {
            return asPlan(SyncPolicyChange.plan(ops, policy));
        }
    }

    /**
     * Changes which standbys must confirm commits, on the running primary: checked as {@link Builder#load()} checks
     * it, refused when the listed standbys that stream now cannot meet it (every commit would wait), written with
     * ALTER SYSTEM and a reload, and verified in {@code pg_stat_replication}. Relaxing the policy is how an operator
     * releases commits that wait for a dead synchronous standby; the library never relaxes it by itself.
     *
     * <pre>{@code
     * replication = replication.setSyncPolicy(SyncPolicy.any(1, "eshuc")).replication();  // eshub is down
     * }</pre>
     *
     * @param policy the new policy
     * @return the steps done and the set-up with the new policy (close it too)
     * @throws InvalidReplicationConfigException when the policy does not fit this set-up
     * @throws OperationRefusedException         when the listed standbys that stream cannot meet it now
     */
    public OperationResult setSyncPolicy(SyncPolicy policy) {
        Objects.requireNonNull(policy, "sync policy must not be null: give e.g. SyncPolicy.none()");
        return run(ops -> SyncPolicyChange.plan(ops, policy), "replication.setSyncPolicy(" + policy.toCode() + ")");
    }

    /** @return the steps apply() takes, computed without touching any server */
    public Plan plan() {
        Primary p = config.primary();
        return Planner.plan(config).toPlan("Streaming replication from primary " + p.name() + " (" + p.endpoint()
                + ") to " + config.standbys().size() + " standby(s), role " + config.role().name()
                + (config.role().hasPassword() ? " with password ****" : " without password"), config.parallel());
    }

    /**
     * Configures the primary, clones and starts every standby, and returns when each streams. Steps already done
     * are skipped, so it is safe to run again after a failure, and a second run on a healthy set-up changes
     * nothing.
     *
     * @return what each step did
     * @throws StepFailedException naming the step, what was done before it, the cause, and what to do next
     */
    public ApplyResult apply() {
        return Applier.apply(new ApplyContext(config, primaryDb, probes), Planner.plan(config));
    }

    /**
     * The steps of a switchover, computed without changing anything (it reads the primary's data directory when
     * the description does not give it).
     *
     * @param switchover what to do
     * @return the plan, renderable as a runbook
     * @throws OperationRefusedException when the description cannot support it (unknown name, no endpoint, ...)
     */
    public Plan plan(Switchover switchover) {
        try (Operations ops = new Operations(config)) {
            return asPlan(SwitchoverSteps.plan(ops, switchover));
        }
    }

    /**
     * A planned switchover: the named standby becomes the primary, the old primary its standby, nothing
     * acknowledged is lost. Preflight (the target streams, its replay lag is under the bound and not paused, same
     * system and timeline, PostgreSQL 13+); CHECKPOINT and a fast stop of the old primary; the target waits for the
     * shutdown checkpoint (else the old primary is started again as it was and the switchover refused); pg_promote;
     * CHECKPOINT; role, pg_hba block and slots on the new primary; the other standbys re-pointed by ALTER SYSTEM and
     * reload; the old primary started as a standby (no rewind after a clean switchover); everything verified
     * streaming on the new timeline. Running it again after a failure resumes where it stopped; a switchover to the
     * primary changes nothing and says so.
     *
     * <pre>{@code
     * try (Replication next = replication.switchover(Switchover.to("eshub")).replication()) {
     *     System.out.println(next.status().toTable());
     * }
     * }</pre>
     *
     * @param switchover what to do
     * @return the steps done and the set-up in its new topology (close it too)
     * @throws OperationRefusedException refused before anything changed (or after putting back what it changed)
     * @throws StepFailedException       a step failed; the message says where every server stands and what to run
     */
    public OperationResult switchover(Switchover switchover) {
        return run(ops -> SwitchoverSteps.plan(ops, switchover), "replication.switchover(Switchover.to(\""
                + switchover.target() + "\"))");
    }

    /**
     * @param standby the standby to promote
     * @return see {@link #switchover(Switchover)}
     */
    public OperationResult switchover(String standby) {
        return switchover(Switchover.to(standby));
    }

    /**
     * @param failover what to do
     * @return the plan, renderable as a runbook
     */
    public Plan plan(Failover failover) {
        try (Operations ops = new Operations(config)) {
            return asPlan(FailoverSteps.failover(ops, failover, lastPrimaryLsn));
        }
    }

    /**
     * A failover: the primary is gone; promotes the named standby, or the one that received the most WAL, and
     * points the others at it (they follow the new timeline). Refused while the old primary still accepts
     * connections, unless {@link Failover#withPrimaryFenced(boolean)}. The old primary becomes a detached node:
     * bring it back with {@link #rejoin(Rejoin)}. The result's notes compare the old primary's last known position
     * (the last this object saw, or its control data) with what the promoted standby had received.
     *
     * @param failover what to do
     * @return the steps done and the set-up in its new topology (close it too)
     */
    public OperationResult failover(Failover failover) {
        return run(ops -> FailoverSteps.failover(ops, failover, lastPrimaryLsn), "replication.failover(...)");
    }

    /**
     * @param rejoin what to do
     * @return the plan, renderable as a runbook
     */
    public Plan plan(Rejoin rejoin) {
        try (Operations ops = new Operations(config)) {
            return asPlan(RejoinSteps.rejoin(ops, rejoin));
        }
    }

    /**
     * Brings a former primary, or a standby left on a dead timeline, back as a standby of the current primary.
     * Its timeline history decides whether its WAL diverged; if so {@code pg_rewind --source-server} discards what
     * diverged (the result names the range), after its prerequisites are checked (wal_log_hints or checksums,
     * full_page_writes, same system). A full re-clone only with {@link Rejoin#withRecloneAllowed(boolean)}.
     *
     * @param rejoin what to do
     * @return the steps done and the set-up with the node as a standby (close it too)
     */
    public OperationResult rejoin(Rejoin rejoin) {
        return run(ops -> RejoinSteps.rejoin(ops, rejoin), "replication.rejoin(Rejoin.node(\"" + rejoin.node()
                + "\"))");
    }

    /**
     * @param node the node to bring back
     * @return see {@link #rejoin(Rejoin)}
     */
    public OperationResult rejoin(String node) {
        return rejoin(Rejoin.node(node));
    }

    /**
     * The steps of a re-sync, computed without changing anything: it reads the standby's slot and state (and its
     * control data when it needs a re-sync), and its title says which way was chosen and why.
     *
     * @param resync what to do
     * @return the plan, renderable as a runbook
     * @throws OperationRefusedException when it is not a standby, or needs a re-sync that would overwrite its data
     *                                   directory without the permission to (nothing was changed)
     */
    public Plan plan(Resync resync) {
        try (Operations ops = new Operations(config)) {
            return asPlan(ResyncSteps.resync(ops, resync));
        }
    }

    /**
     * Re-syncs a standby that cannot stream any more: its slot lost the WAL it needs ({@code wal_status = lost}, see
     * {@link ReplicationStatus#warnings()}), the primary removed that WAL, or its WAL diverged on a timeline. Chooses,
     * in order: {@code pg_rewind} when its WAL diverged on a timeline (as {@link #rejoin(Rejoin)} decides); a re-sync
     * in place when its first clone method keeps the data directory (a pgBackRest restore with {@code
     * withDelta(true)} copies only the files that changed); a full clone with its clone methods. The last two
     * overwrite its data directory and need {@link Standby#withEmptyDataDirectoryAllowed(boolean)}: without it the
     * re-sync is refused before anything changed. A lost slot is dropped and created again before the clone. The
     * standby is stopped, re-synced, configured, started and verified streaming. A standby that streams through its
     * slot is left alone (the result's note says so) unless {@link Resync#withForced(boolean)}.
     *
     * <pre>{@code
     * replication.resync(Resync.node("eshub")).notes().forEach(System.out::println);
     * }</pre>
     *
     * @param resync what to do
     * @return the steps done, and the set-up (the same topology)
     * @throws OperationRefusedException refused before anything changed
     * @throws StepFailedException       a step failed; the message says where every server stands and what to run
     */
    public OperationResult resync(Resync resync) {
        return run(ops -> ResyncSteps.resync(ops, resync), ResyncSteps.code(resync));
    }

    /**
     * @param standby the standby to retire
     * @param stop    whether to stop it first
     * @return the plan, renderable as a runbook
     */
    public Plan planRemoval(String standby, boolean stop) {
        return plan(Remove.standby(standby).withStop(stop));
    }

    /**
     * @param remove the standby to retire, and how
     * @return the plan, renderable as a runbook
     * @throws OperationRefusedException refused before anything changed (e.g. kind {@code HAS_STANDBYS})
     */
    public Plan plan(Remove remove) {
        try (Operations ops = new Operations(config)) {
            return asPlan(RemoveSteps.remove(ops, remove));
        }
    }

    /**
     * Retires a standby: stops it when asked, drops its slot on the primary, and drops the pg_hba rules of this
     * set-up that served its address alone. The same as {@code remove(Remove.standby(standby).withStop(stop))}.
     *
     * @param standby the standby to retire
     * @param stop    whether to stop it first (without, a standby still streaming is refused: its slot is in use)
     * @return the steps done and the set-up without it (close it too)
     */
    public OperationResult removeStandby(String standby, boolean stop) {
        return remove(Remove.standby(standby).withStop(stop));
    }

    /**
     * Retires a standby ({@link Remove}): its cascading standbys first pointed at its upstream when asked, then it is
     * stopped when asked, its slot dropped where it lives, and the pg_hba rules that served its address alone.
     *
     * @param remove the standby to retire, and how
     * @return the steps done and the set-up without it (close it too)
     * @throws OperationRefusedException refused before anything changed
     * @throws StepFailedException       a step failed; the message says where every server stands and what to run
     */
    public OperationResult remove(Remove remove) {
        return run(ops -> RemoveSteps.remove(ops, remove), "replication.remove(Remove.standby(\"" + remove.standby()
                + "\").withStop(" + remove.stop() + ").withStandbysRepointed(" + remove.standbysRepointed() + "))");
    }

    private static Plan asPlan(Operations.Planned planned) {
        return new Plan(planned.title(), new ArrayList<>(planned.steps()));
    }

    private OperationResult run(java.util.function.Function<Operations, Operations.Planned> plan, String rerun) {
        try (Operations ops = new Operations(config)) {
            Operations.Planned planned = plan.apply(ops);
            Operations.Done done = ops.run(planned, rerun);
            Replication next = done.config().equals(config) ? this : new Replication(done.config());
            return new OperationResult(next, done.steps(), done.notes(), done.discarded(), done.loss());
        }
    }

    /**
     * Asks every node about itself, each in one query: its role (primary, standby of a host, down), timeline, and
     * received and replayed positions. A node that answers as a primary where the topology has a standby, or the
     * other way round, is reported {@link NodeStatus.Role#UNKNOWN}.
     *
     * @return one line per node: the primary, the standbys, then detached nodes
     */
    public List<NodeStatus> nodeStatus() {
        try (Operations ops = new Operations(config)) {
            List<NodeStatus> out = new ArrayList<>();
            for (Node n : config.nodes()) {
                out.add(ops.nodeStatus(n, n.name().equals(config.primary().name())));
            }
            return out;
        }
    }

    /**
     * Live status read from the primary in one statement, so the figures agree with one another: each standby's
     * {@code lagBytes} is exactly {@code primaryLsn - replayLsn}, each slot's {@code retainedBytes} exactly
     * {@code primaryLsn - restartLsn}, and no position is ahead of {@code primaryLsn}. With cascading standbys
     * ({@link Standby#streamingFrom}), each upstream is read too, in one statement, before the primary: their rows and
     * slots come from it, placed in the tree ({@code StandbyStatus.upstream()}, {@code depth()}); an upstream that does
     * not answer leaves its standbys disconnected.
     *
     * @return standbys (configured ones first, each after its upstream; others connected after them, by name) and
     *         physical slots
     */
    public ReplicationStatus status() {
        // The upstreams of cascading standbys first, the primary last: no position read is ahead of its own.
        List<List<String>> rows = new ArrayList<>();
        for (Standby s : config.standbys()) {
            if (!config.childrenOf(s.name()).isEmpty()) {
                rows.addAll(upstreamRows(s));
            }
        }
        rows.addAll(primaryDb.queryRows(Sql.STATUS));
        ReplicationStatus status = StatusRows.parse(rows, config);
        lastPrimaryLsn = status.primaryLsn();
        return status;
    }

    /**
     * @return what an upstream standby lists in pg_stat_replication and pg_replication_slots; nothing when it does
     *         not answer (its standbys then show as disconnected)
     */
    private List<List<String>> upstreamRows(Standby upstream) {
        try {
            SqlSession session = probes.get(upstream.name()).session();
            boolean psql = !session.multiLineValues(); // psql writes SQL NULL as empty text
            return session.queryRows(Sql.UPSTREAM_STATUS).stream().map(r -> psql ? r.stream()
                    .map(v -> v == null || v.isEmpty() ? null : v).toList() : r).toList();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Replication.class).warn("[{}] upstream of {} does not answer for status(): {}", upstream.name(),
                    config.childrenOf(upstream.name()).stream().map(Standby::name).toList(), e.getMessage());
            return List.of();
        }
    }

    /**
     * The position a standby must replay to have everything committed on the primary so far, including
     * asynchronous commits not yet written out: the end of the last inserted WAL record.
     *
     * @return the primary's WAL insert position
     */
    public Lsn currentLsn() {
        List<String> row = primaryDb.queryRows(Sql.INSERT_LSN).get(0);
        Lsn insert = Lsn.parse(row.get(0));
        lastPrimaryLsn = insert;
        long segment = Long.parseLong(row.get(1));
        // Right after a page boundary the insert position points past the page header (24 bytes, 40 at a segment
        // start), where no record ends: the last record ended at the boundary itself.
        long v = insert.value();
        if (v % segment == 40) {
            return new Lsn(v - 40);
        }
        if (v % 8192 == 24) {
            return new Lsn(v - 24);
        }
        return insert;
    }

    /**
     * Waits until every standby is in recovery with a streaming WAL receiver.
     *
     * @param timeout how long to wait
     * @throws StandbyNotStreamingException naming the first standby that is not, and what it reports
     */
    public void awaitStreaming(Duration timeout) {
        for (Standby s : config.standbys()) {
            StandbyProbe probe = probes.get(s.name());
            if (!ApplyContext.waitFor(timeout, () -> probe.probe().streaming())) {
                throw new StandbyNotStreamingException(s.name(), "Standby '" + s.name() + "' is not streaming after "
                        + timeout.toSeconds() + " s: " + probe.probe() + "." + SyncReplication.note(primaryDb, s.name()));
            }
        }
    }

    /**
     * Waits until every standby but the delayed ones ({@link Standby#withApplyDelay}) has replayed WAL up to
     * {@code lsn}, by comparing LSNs (no log scraping).
     *
     * <pre>{@code
     * Lsn lsn = replication.currentLsn();           // after writing on the primary
     * replication.awaitReplay(lsn, Duration.ofSeconds(10));
     * }</pre>
     *
     * @param lsn     a position, typically {@link #currentLsn()} after a write
     * @param timeout how long to wait
     * @throws StandbyNotStreamingException naming the first standby behind, with its replay position
     */
    public void awaitReplay(Lsn lsn, Duration timeout) {
        for (Standby s : config.standbys()) {
            if (s.delayed()) {
                continue; // behind on purpose: it replays lsn only after its delay
            }
            StandbyProbe probe = probes.get(s.name());
            if (!ApplyContext.waitFor(timeout, () -> {
                StandbyProbe.State st = probe.probe();
                return st.reachable() && st.replayLsn() != null && st.replayLsn().isAtOrAfter(lsn);
            })) {
                throw new StandbyNotStreamingException(s.name(), "Standby '" + s.name() + "' has not replayed " + lsn
                        + " after " + timeout.toSeconds() + " s: " + probe.probe() + "."
                        + SyncReplication.note(primaryDb, s.name()));
            }
        }
    }

    /**
     * Pauses replay on a standby ({@code pg_wal_replay_pause()}): it goes on receiving WAL but applies none, so what
     * it shows stays as it is. With a delayed standby ({@link Standby#withApplyDelay}) this keeps a table dropped on
     * the primary readable there: pause it before the drop's delay ran out, then read the table from it.
     *
     * <pre>{@code
     * replication.pauseReplay("eshud");         // the DROP TABLE of a minute ago is not replayed there yet
     * // ... copy the rows out of eshud, then:
     * replication.resumeReplay("eshud");
     * }</pre>
     *
     * @param standby a standby's name
     * @return the position replay stopped at
     * @throws OperationRefusedException when no standby has that name
     */
    public Lsn pauseReplay(String standby) {
        try (Operations ops = new Operations(config)) {
            return ReplayControl.pause(ops, standby, config.streamingTimeout());
        }
    }

    /**
     * Lets a standby replay again, after {@link #pauseReplay} or {@link #replayUpTo}. After a replay up to a moment it
     * removes the recovery target and restarts the standby, with its apply delay back: resuming at a target with
     * {@code pg_wal_replay_resume()} would end recovery and promote it.
     *
     * @param standby a standby's name
     * @throws OperationRefusedException when no standby has that name
     */
    public void resumeReplay(String standby) {
        try (Operations ops = new Operations(config)) {
            ReplayControl.resume(ops, standby, config.streamingTimeout());
        }
    }

    /**
     * Replays a standby up to a moment and pauses it there: everything committed on the primary up to
     * {@code moment} is visible on it, nothing committed after. For a delayed standby that has not replayed a mistake
     * yet: the moment just before the mistake. PostgreSQL reads a recovery target only at start, so the standby
     * restarts (through its ServiceControl) with {@code recovery_target_time}, {@code recovery_target_action = pause}
     * and no apply delay; {@link #resumeReplay} undoes all three. A moment it has already replayed past cannot be
     * gone back to: it pauses at once, later than asked (pause first, then choose the moment).
     *
     * @param standby a standby's name
     * @param moment  the last moment whose commits it replays
     * @return the position replay stopped at
     * @throws OperationRefusedException when no standby has that name, or it has no ServiceControl
     * @throws ReplicationException      when it did not stop at the target within the streaming timeout, e.g. because
     *                                   no transaction committed after {@code moment} has reached it yet
     */
    public Lsn replayUpTo(String standby, java.time.Instant moment) {
        java.util.Objects.requireNonNull(moment, "moment must not be null: give e.g. Instant.now().minusSeconds(60)");
        try (Operations ops = new Operations(config)) {
            return ReplayControl.replayUpTo(ops, standby, moment, config.streamingTimeout());
        }
    }

    /**
     * Drops a replication slot on the primary, e.g. after retiring a standby (a forgotten slot keeps WAL forever).
     *
     * @param slot slot name
     * @return whether a slot was dropped (false when none had that name)
     */
    public boolean dropSlot(String slot) {
        String problem = SlotName.problem(slot);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (primaryDb.queryValue(Sql.SLOT_TYPE, slot).isEmpty()) {
            return false;
        }
        primaryDb.queryValue(Sql.DROP_SLOT, slot);
        return true;
    }

    /** Closes the connection pools this object opened (never a caller-supplied DataSource). */
    @Override
    public void close() {
        probes.values().forEach(StandbyProbe::close);
        primaryDb.close();
    }
}
