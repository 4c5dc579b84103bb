package io.github.pgreplication;

import io.github.pgreplication.internal.ApplyContext;
import io.github.pgreplication.internal.Applier;
import io.github.pgreplication.internal.JoinPlanner;
import io.github.pgreplication.internal.ReplicationConfig;
import io.github.pgreplication.internal.StandbyProbe;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.internal.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Standbys joined to a primary from their own side, knowing only the primary's address and the replication role
 * (with or without password): no admin connection to the primary, no step on it. This is the first runbook's
 * {@code pg_basebackup -U replicator} on a mail server, and the second runbook's container restoring itself from
 * the primary's pgBackRest repository.
 *
 * <pre>{@code
 * try (StandbyJoin join = Replication.standbyOf(Endpoint.of("eshua.ghelew.ch", 5432),
 *                 ReplicationRole.named("replicator").withPassword(Secret.of(password)))
 *         .addStandby(Standby.named("eshub")
 *                 .withSlot("eshub_slot")                  // created by the role itself unless it exists
 *                 .withDataDirectory("/var/postgresql/data"))
 *         .load()) {
 *     System.out.println(join.plan().toRunbook());
 *     join.apply();                                       // returns when the standby streams
 * }
 * }</pre>
 *
 * <p>Same contract as {@link Replication#apply()}: the plan first, every step skipped when already done, the
 * standby's clone methods in order with fallback, typed errors. What the primary's side must fix (no pg_hba rule
 * for this address, the role without REPLICATION, max_wal_senders reached) is a {@link ConnectionFailedException}
 * whose message says so with the line to add there. Verification asks the standby only: in recovery, WAL receiver
 * streaming, replay reaching what was received. A slot is used only when the standby names one
 * ({@link Standby#withSlot(String)}); the role creates it over a replication connection when it does not exist.
 * Steps that clone methods contribute for the primary or the repository host (e.g. a pgBackRest stanza-create) are
 * not run: the primary's administrator runs them.
 */
public final class StandbyJoin implements AutoCloseable {
    private final ReplicationConfig config;
    private final boolean start;
    private final Map<String, StandbyProbe> probes = new LinkedHashMap<>();

    private StandbyJoin(ReplicationConfig config, boolean start) {
        this.config = config;
        this.start = start;
        for (Standby s : config.standbys()) {
            probes.put(s.name(), new StandbyProbe(s));
        }
    }

    /** Mutable description; {@link #load()} validates it. Start it with {@link Replication#standbyOf}. */
    public static final class Builder {
        private final Endpoint primary;
        private final ReplicationRole role;
        private final List<Standby> standbys = new ArrayList<>();
        private Duration streamingTimeout = Duration.ofSeconds(60);
        private boolean start = true;
        private boolean parallel = true;

        Builder(Endpoint primary, ReplicationRole role) {
            this.primary = Objects.requireNonNull(primary, "primary endpoint must not be null: give"
                    + " Endpoint.of(\"db.example.com\", 5432)");
            this.role = Objects.requireNonNull(role, "replication role must not be null: give e.g."
                    + " ReplicationRole.named(\"replicator\").withPassword(Secret.of(password))");
        }

        /**
         * @param more standbys to join, each with its host, data directory and clone methods
         * @return this builder
         */
        public Builder addStandby(Standby... more) {
            Objects.requireNonNull(more, "standbys must not be null: give e.g. Standby.named(\"eshub\")");
            for (Standby s : more) {
                standbys.add(Objects.requireNonNull(s, "standby must not be null: give e.g."
                        + " Standby.named(\"eshub\").withDataDirectory(\"/var/lib/postgresql/17/main\")"));
            }
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
         * @param value whether apply() starts each standby and waits for it to stream (default true); false stops
         *              after postgresql.auto.conf, for callers that start PostgreSQL themselves (in a container's
         *              foreground, for example)
         * @return this builder
         */
        public Builder startStandbys(boolean value) {
            this.start = value;
            return this;
        }

        /**
         * @param value whether standbys are joined in parallel; default true
         * @return this builder
         */
        public Builder parallelStandbys(boolean value) {
            this.parallel = value;
            return this;
        }

        /**
         * Validates the whole description.
         *
         * @return the join, ready to plan and apply
         * @throws InvalidReplicationConfigException listing every problem, numbered, with value, rule and fix
         */
        public StandbyJoin load() {
            ReplicationConfig config = new ReplicationConfig(Primary.at(primary), role, PrimarySettings.empty(),
                    List.of(), standbys, streamingTimeout, parallel);
            List<Problem> problems = new ArrayList<>(Validator.validate(config));
            if (standbys.isEmpty()) {
                problems.add(new Problem("standbys (none)", "a join needs at least one standby",
                        "Add one: .addStandby(Standby.named(\"eshub\").withDataDirectory(\"/var/lib/postgresql/data\"))"));
            }
            for (Standby s : standbys) {
                if (s.upstream() != null) {
                    problems.add(new Problem("standby '" + Text.printable(s.name()) + "' upstream '"
                            + Text.printable(s.upstream()) + "'", "a"
                            + " standby-side join streams each standby from the primary it was given: it creates no"
                            + " slot on a standby and reads no standby's pg_hba.conf", "Remove streamingFrom(...),"
                            + " or describe the cascade on the primary's side: Replication.primary(...)"
                            + ".addStandby(...streamingFrom(\"" + Text.printable(s.upstream())
                            + "\")).load().apply()"));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidReplicationConfigException(problems);
            }
            return new StandbyJoin(config, start);
        }
    }

    /** @return the primary's address, as the standbys connect to it */
    public Endpoint primary() {
        return config.primary().endpoint();
    }

    /** @return the replication role */
    public ReplicationRole role() {
        return config.role();
    }

    /** @return the standbys, in the order added */
    public List<Standby> standbys() {
        return config.standbys();
    }

    /** @return the steps apply() takes, all on the standbys, computed without touching anything */
    public Plan plan() {
        return JoinPlanner.plan(config, start).toPlan("Standby-side join of " + config.standbys().size()
                + " standby(s) to primary " + primary() + ", role " + role().name()
                + (role().hasPassword() ? " with password ****" : " without password")
                + " (nothing runs on the primary)", config.parallel());
    }

    /**
     * Joins every standby: steps already done are skipped, so it is safe to run again after a failure, and after a
     * restart with the standby in place it clones nothing again.
     *
     * @return what each step did
     * @throws StepFailedException naming the step, what was done before it, the typed cause (a
     *                             {@link ConnectionFailedException} when the primary refused), and what to do
     */
    public ApplyResult apply() {
        return Applier.apply(ApplyContext.standbySide(config, probes), JoinPlanner.plan(config, start));
    }

    /** Closes the standbys' probe connections. */
    @Override
    public void close() {
        probes.values().forEach(StandbyProbe::close);
    }
}
