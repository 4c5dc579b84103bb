package io.github.pgreplication;

import io.github.pgreplication.internal.ApplyContext;
import io.github.pgreplication.internal.Applier;
import io.github.pgreplication.internal.Db;
import io.github.pgreplication.internal.Planner;
import io.github.pgreplication.internal.ReplicationConfig;
import io.github.pgreplication.internal.Sql;
import io.github.pgreplication.internal.StandbyProbe;
import io.github.pgreplication.internal.Step;
import io.github.pgreplication.internal.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private Replication(ReplicationConfig config) {
        this.config = config;
        Primary p = config.primary();
        this.primaryDb = p.dataSource() != null ? Db.of(p.name(), p.dataSource())
                : Db.pool(p.name(), p.adminEndpoint(), p.database(), p.adminUser(), p.adminPassword());
        for (Standby s : config.standbys()) {
            probes.put(s.name(), new StandbyProbe(s));
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

    /** Mutable description; {@link #load()} validates it and returns an immutable {@link Replication}. */
    public static final class Builder {
        private final Primary primary;
        private ReplicationRole role = ReplicationRole.named("replicator");
        private PrimarySettings settings = PrimarySettings.empty();
        private final List<HbaRule> hbaRules = new ArrayList<>();
        private final List<Standby> standbys = new ArrayList<>();
        private Duration streamingTimeout = Duration.ofSeconds(60);
        private boolean parallel = true;

        private Builder(Primary primary) {
            this.primary = Objects.requireNonNull(primary, "primary must not be null: give"
                    + " Primary.at(Endpoint.of(\"db.example.com\", 5432))");
        }

        /** @param value settings applied to the primary; they replace earlier ones @return this builder */
        public Builder settings(PrimarySettings value) {
            this.settings = Objects.requireNonNull(value, "settings must not be null: give e.g."
                    + " PrimarySettings.empty()");
            return this;
        }

        /** @param value the role standbys connect as; default {@code replicator} without password @return this */
        public Builder replicationRole(ReplicationRole value) {
            this.role = Objects.requireNonNull(value, "replication role must not be null: give e.g."
                    + " ReplicationRole.named(\"replicator\")");
            return this;
        }

        /** @param rules pg_hba rules to own on the primary @return this builder */
        public Builder allow(HbaRule... rules) {
            Objects.requireNonNull(rules, "pg_hba rules must not be null: give e.g. HbaRule.parse(\"host replication"
                    + " replicator 10.0.0.0/24 scram-sha-256\")");
            for (HbaRule rule : rules) {
                hbaRules.add(Objects.requireNonNull(rule, "a pg_hba rule must not be null: give e.g."
                        + " HbaRule.parse(\"host replication replicator 10.0.0.0/24 scram-sha-256\")"));
            }
            return this;
        }

        /** @param standby a standby to clone, start and verify @return this builder */
        public Builder addStandby(Standby standby) {
            standbys.add(Objects.requireNonNull(standby, "standby must not be null: give e.g."
                    + " Standby.named(\"eshub\").withDataDirectory(\"/var/lib/postgresql/17/main\")"));
            return this;
        }

        /** @param value how long apply() waits for each standby to stream; default 60 s @return this builder */
        public Builder streamingTimeout(Duration value) {
            this.streamingTimeout = Objects.requireNonNull(value, "streaming timeout must not be null: give e.g."
                    + " Duration.ofMinutes(1)");
            return this;
        }

        /** @param value whether standbys are cloned and started in parallel; default true @return this builder */
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
                    streamingTimeout, parallel);
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

    /** @return the steps apply() takes, computed without touching any server */
    public Plan plan() {
        List<PlanStep> steps = new ArrayList<>(Planner.primarySteps(config));
        Planner.standbySteps(config).values().forEach(steps::addAll);
        Primary p = config.primary();
        return new Plan("Streaming replication from primary " + p.name() + " (" + p.endpoint() + ") to "
                + config.standbys().size() + " standby(s), role " + config.role().name()
                + (config.role().hasPassword() ? " with password ****" : " without password"), steps);
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
        ApplyContext ctx = new ApplyContext(config, primaryDb, probes);
        List<Step> primarySteps = Planner.primarySteps(config);
        Map<String, List<Step>> standbySteps = Planner.standbySteps(config);
        return Applier.apply(ctx, primarySteps, standbySteps);
    }

    /** @return live status read from the primary: standbys (configured ones first) and physical slots */
    public ReplicationStatus status() {
        Lsn current = Lsn.parse(primaryDb.queryValue(Sql.CURRENT_LSN).orElseThrow());
        Map<String, StandbyStatus> seen = new LinkedHashMap<>();
        for (List<String> r : primaryDb.queryRows(Sql.REPLICATION)) {
            StandbyStatus s = new StandbyStatus(r.get(0), r.get(1), r.get(2), Lsn.parseNullable(r.get(3)),
                    Lsn.parseNullable(r.get(4)), Lsn.parseNullable(r.get(5)), Lsn.parseNullable(r.get(6)),
                    r.get(7) == null ? null : Long.parseLong(r.get(7)),
                    r.get(8) == null ? null : Duration.ofMillis(Long.parseLong(r.get(8))));
            seen.putIfAbsent(s.name(), s);
        }
        List<StandbyStatus> standbys = new ArrayList<>();
        for (Standby s : config.standbys()) {
            StandbyStatus st = seen.remove(s.name());
            standbys.add(st != null ? st
                    : new StandbyStatus(s.name(), "disconnected", null, null, null, null, null, null, null));
        }
        standbys.addAll(seen.values());
        List<SlotStatus> slots = new ArrayList<>();
        for (List<String> r : primaryDb.queryRows(Sql.SLOTS)) {
            slots.add(new SlotStatus(r.get(0), "t".equals(r.get(1)), Lsn.parseNullable(r.get(2)), r.get(3),
                    r.get(4) == null ? null : Long.parseLong(r.get(4))));
        }
        return new ReplicationStatus(current, standbys, slots);
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
                        + timeout.toSeconds() + " s: " + probe.probe());
            }
        }
    }

    /**
     * Waits until every standby has replayed WAL up to {@code lsn}, by comparing LSNs (no log scraping).
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
            StandbyProbe probe = probes.get(s.name());
            if (!ApplyContext.waitFor(timeout, () -> {
                StandbyProbe.State st = probe.probe();
                return st.reachable() && st.replayLsn() != null && st.replayLsn().isAtOrAfter(lsn);
            })) {
                throw new StandbyNotStreamingException(s.name(), "Standby '" + s.name() + "' has not replayed " + lsn
                        + " after " + timeout.toSeconds() + " s: " + probe.probe());
            }
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
