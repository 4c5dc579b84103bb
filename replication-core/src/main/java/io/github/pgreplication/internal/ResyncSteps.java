package io.github.pgreplication.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Resync;
import io.github.pgreplication.Standby;
import io.github.pgreplication.WalRange;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.ContributedStep;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Re-syncs a standby that cannot stream any more (its slot lost the WAL it needs, the primary removed that WAL, or it
 * diverged on a timeline). What it reads first decides how, in order: {@code pg_rewind} when its WAL diverged on a
 * timeline (the rejoin's decision; that includes a standby promoted on its own by mistake, rewound from where its
 * timeline branched off the primary's), a re-sync in place when its first clone method keeps the data directory (a
 * pgBackRest delta restore), then a full clone; the last two only with the standby's permission to overwrite its data
 * directory, refused before anything changed otherwise. A lost slot is dropped and created again before the clone,
 * so that its restart position is the clone's. A standby that streams through its slot is left alone unless forced.
 */
public final class ResyncSteps {
    private ResyncSteps() {
    }

    /** How the standby is brought back. */
    enum Method { NOTHING, REWIND, IN_PLACE, CLONE }

    /**
     * Reads the standby's and its slot's state (and its control data when it needs a re-sync); changes nothing.
     *
     * @param ops     the current set-up
     * @param options what to do
     * @return the plan
     * @throws OperationRefusedException when it is not a standby, or needs a re-sync that would overwrite its data
     *                                   directory without the permission to
     */
    public static Operations.Planned resync(Operations ops, Resync options) {
        return new Run(ops, options).plan();
    }

    /**
     * @param options a re-sync
     * @return the call that runs it, for messages
     */
    public static String code(Resync options) {
        return "replication.resync(Resync.node(\"" + Text.printable(options.node()) + "\")"
                + (options.forced() ? ".withForced(true)" : "") + ")";
    }

    /** One re-sync being planned, and what its steps learn as they run. */
    private static final class Run {
        private final Operations ops;
        private final Resync options;
        private final ReplicationConfig config;
        private final String name;
        private final Primary primary;
        private final Standby standby;
        private final String dir;
        private final String slot;
        private final NodeClient p;
        private final NodeClient c;
        private final List<String> reasons = new ArrayList<>();
        private final List<String> ruledOut = new ArrayList<>();
        private final AtomicReference<Method> method = new AtomicReference<>(Method.NOTHING);
        private final AtomicReference<WalRange> discarded = new AtomicReference<>();
        private final AtomicReference<String> cloned = new AtomicReference<>();
        private final AtomicReference<String> slotDone = new AtomicReference<>();
        private Method overwrite;
        private String chosen;

        Run(Operations ops, Resync options) {
            this.ops = ops;
            this.options = options;
            config = ops.config();
            name = options.node();
            ops.node(name);
            primary = config.primary();
            standby = config.standby(name).orElseThrow(() -> new OperationRefusedException(Kind.WRONG_ROLE, name,
                    name + " is not a standby of " + primary.name() + (primary.name().equals(name) ? " but the"
                    + " primary" : "") + "; resync re-syncs a standby. A former primary comes back with"
                    + " replication.rejoin(Rejoin.node(\"" + name + "\")), cloned again if need be with"
                    + " .withRecloneAllowed(true)."));
            config.upstreamOf(standby).ifPresent(u -> {
                throw new OperationRefusedException(Kind.MISSING_CAPABILITY, name, name + " streams from the"
                        + " standby " + u.name() + " (streamingFrom), and resync re-syncs from the primary only, for"
                        + " now. Describe it without streamingFrom(\"" + u.name() + "\") and run resync again (it"
                        + " then streams from " + primary.name() + ").");
            });
            dir = standby.dataDirectory();
            slot = standby.effectiveSlotName();
            Operations.serviceCommand(standby.node(), ServiceAction.STOP, dir);
            Operations.serviceCommand(standby.node(), ServiceAction.START, dir);
            p = ops.client(primary.node());
            c = ops.client(standby.node());
            decide();
        }

        /** Reads what needs doing and chooses how; refuses, before anything changed, what is not allowed. */
        private void decide() {
            NodeState ps = p.state();
            if (!ps.primary()) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, primary.name(), "The primary " + primary.name()
                        + " does not answer as a primary (" + ps + "); resync needs it running.");
            }
            Optional<String> walStatus = slotStatus();
            NodeState st = c.state();
            if (walStatus.isEmpty()) {
                reasons.add("its slot " + slot + " does not exist on " + primary.name());
            } else if ("lost".equals(walStatus.get())) {
                reasons.add("its slot " + slot + " lost the WAL it needs (wal_status lost)");
            }
            if (!st.reachable()) {
                reasons.add("it does not answer");
            } else if (!st.inRecovery()) {
                reasons.add("it runs as a primary");
            } else if (!st.streaming()) {
                reasons.add("its WAL receiver does not stream (" + st.receiverStatus() + ")");
            } else if (st.timeline() != ps.timeline()) {
                reasons.add("it streams on timeline " + st.timeline() + ", the primary is on " + ps.timeline());
            }
            if (reasons.isEmpty() && !options.forced()) {
                chosen = "nothing to do: it streams from " + primary.name() + " on timeline " + ps.timeline()
                        + " through slot " + slot;
                return;
            }
            if (reasons.isEmpty()) {
                reasons.add("forced (it streams from " + primary.name() + ")");
            }
            boolean allowed = standby.emptyDataDirectoryAllowed();
            boolean keeps = DataDirectoryStep.keepsFirst(standby);
            overwrite = !allowed ? null : keeps ? Method.IN_PLACE : Method.CLONE;
            String first = standby.cloneMethods().get(0).name();
            List<String> entries = standby.host().list(dir);
            if (!entries.contains("global") || !standby.host().exists(dir + "/global/pg_control")) {
                // No cluster to rewind: absent, emptied by a clone that failed, or never finished. Nothing in an
                // absent or empty directory needs permission to be overwritten.
                reasons.add(entries.isEmpty() ? "its data directory " + dir + " is absent or empty"
                        : "its data directory " + dir + " holds no PostgreSQL cluster (no global/pg_control)");
                ruledOut.add("pg_rewind (no cluster in " + dir + " to rewind)");
                if (entries.isEmpty()) {
                    overwrite = keeps ? Method.IN_PLACE : Method.CLONE;
                }
                if (overwrite == null) {
                    throw needsPermission(keeps, first);
                }
                method.set(overwrite);
                chosen = "a clone with " + names() + " into " + dir + (entries.isEmpty() ? ""
                        : " (emptied first, as allowed)");
                return;
            }
            AtomicReference<RejoinSteps.Decision> rewind = new AtomicReference<>(RejoinSteps.Decision.NONE);
            String rewindWhy = RejoinSteps.decide(ops, standby.node(), dir, p, Rejoin.node(name)
                    .withRecloneAllowed(true), rewind, discarded).replace(" Re-cloning, as allowed.", "");
            if (rewind.get() == RejoinSteps.Decision.REWIND) {
                method.set(Method.REWIND);
                chosen = "pg_rewind: " + rewindWhy.replace(": pg_rewind", "");
                return;
            }
            discarded.set(null);
            ruledOut.add("pg_rewind (" + rewindWhy + ")");
            if (!keeps) {
                ruledOut.add("a re-sync in place (its first clone method, " + first + ", does not keep a data"
                        + " directory; a pgBackRest restore withDelta(true) does)");
            }
            if (overwrite == null) {
                throw needsPermission(keeps, first);
            }
            method.set(overwrite);
            chosen = overwrite == Method.IN_PLACE ? "a re-sync in place with " + first + " (it keeps the files that"
                    + " match and copies the others)" : "a full clone with " + names() + " (the data directory is"
                    + " emptied first, as allowed)";
        }

        private OperationRefusedException needsPermission(boolean keeps, String first) {
            return new OperationRefusedException(Kind.DATA_DIRECTORY_NOT_EMPTY, name, "Standby '" + name
                    + "' needs a re-sync: " + String.join(", ", reasons) + ". Ruled out: " + String.join("; ",
                    ruledOut) + ". " + (keeps ? "A re-sync in place with " + first : "A full clone with "
                    + first) + " overwrites its data directory " + dir + ", which needs your permission;"
                    + " nothing was changed (the standby, its data directory and slot " + slot + " are as they"
                    + " were). Allow it: Standby.named(\"" + name + "\")....withEmptyDataDirectoryAllowed(true),"
                    + " then " + code(options) + ".");
        }

        private String names() {
            return String.join(", else ", standby.cloneMethods().stream().map(CloneMethod::name).toList());
        }

        private Optional<String> slotStatus() {
            return p.db().orElseThrow().queryValue(Sql.SLOT_WAL_STATUS, slot);
        }

        Operations.Planned plan() {
            List<OpStep> steps = new ArrayList<>();
            steps.add(OpStep.check(name, "decide: " + chosen, List.of(SqlText.psql("SELECT wal_status FROM"
                            + " pg_replication_slots WHERE slot_name = " + SqlText.displayLiteral(slot)) + "   # on "
                            + primary.name() + ": lost means it cannot stream again",
                    SqlText.psql("SELECT status FROM pg_stat_wal_receiver") + "   # on " + name,
                    "pg_controldata -D " + dir + "   # its timeline: pg_rewind only when it diverged from the"
                            + " primary's"),
                    () -> method.get() == Method.NOTHING ? "it streams" : "needs a re-sync: " + String.join(", ",
                            reasons) + (ruledOut.isEmpty() ? "" : "; ruled out: " + String.join("; ", ruledOut))));
            if (method.get() != Method.NOTHING) {
                steps.add(stop());
                steps.add(rewindStep());
                steps.add(slotStep());
                steps.add(cloneStep());
                for (OpStep s : PromotionSteps.startAsStandby(ops, standby, primary)) {
                    steps.add(OpStep.change(s.node(), s.title() + " (after pg_rewind)", s.runbook(),
                            () -> method.get() != Method.REWIND || s.isDone(), s::run));
                }
                steps.add(OpStep.check(name, name + " streams from " + primary.name() + " on its timeline",
                        List.of(SqlText.psql("SELECT status FROM pg_stat_wal_receiver") + "   # on " + name),
                        () -> ops.awaitStreaming(primary, List.of(standby), options.streamTimeout())));
            }
            return new Operations.Planned("Re-sync standby " + name + " from " + primary.name() + ": " + chosen,
                    steps, () -> config, this::notes, () -> Optional.ofNullable(discarded.get()), Optional::empty);
        }

        private OpStep stop() {
            return OpStep.change(name, "stop " + name + " (it cannot stream as it is)",
                    List.of(Operations.serviceCommand(standby.node(), ServiceAction.STOP, dir).toCommandLine()),
                    // Not answering SQL is not stopped: a server starting or in crash recovery runs all the same.
                    () -> !c.state().reachable() && RunningServer.status(standby.host(), dir).isEmpty(),
                    () -> {
                        ops.perform(standby.node(), ServiceAction.STOP, dir);
                        return "stopped";
                    });
        }

        private OpStep rewindStep() {
            return OpStep.change(name, "pg_rewind --source-server (only when its WAL diverged)",
                    List.of("pg_rewind --target-pgdata=" + dir + " --source-server='host=" + primary.endpoint().host()
                            + " port=" + primary.endpoint().port() + " user=" + primary.adminUser() + " dbname="
                            + primary.database() + "' --progress   # password through PGPASSWORD"),
                    () -> method.get() != Method.REWIND,
                    () -> {
                        try {
                            return RejoinSteps.rewind(standby.node(), dir, primary);
                        } catch (CommandFailedException e) {
                            String why = RejoinSteps.rewindFailure(name, e.getMessage());
                            if (overwrite == null) {
                                throw new ReplicationException(why + " Or allow a re-sync that overwrites its data"
                                        + " directory: Standby.named(\"" + name + "\")....withEmptyDataDirectoryAllowed"
                                        + "(true), then " + code(options) + ". pg_rewind said: " + e.getMessage(), e);
                            }
                            method.set(overwrite);
                            discarded.set(null);
                            return "pg_rewind failed (" + why + "); " + (overwrite == Method.IN_PLACE ? "re-syncing"
                                    + " in place" : "cloning again") + ", as allowed";
                        }
                    });
        }

        /** Drops the slot when it lost its WAL and creates it again: its restart position is then the clone's. */
        private OpStep slotStep() {
            Db db = p.db().orElseThrow();
            String lit = SqlText.displayLiteral(slot);
            return OpStep.change(primary.name(), "slot " + slot + ": dropped when lost, created again reserving WAL"
                            + " from now", List.of(SqlText.psql("SELECT pg_drop_replication_slot(" + lit + ")")
                            + "   # only when its wal_status is lost",
                    SqlText.psql("SELECT pg_create_physical_replication_slot(" + lit + ", true)")),
                    () -> slotStatus().filter(s -> !"lost".equals(s)).isPresent(),
                    () -> {
                        boolean existed = slotStatus().isPresent();
                        if (existed) {
                            boolean inactive = ApplyContext.waitFor(Duration.ofSeconds(10), () -> !"t".equals(
                                    db.queryRows(Sql.SLOT_ACTIVE, slot).stream().findFirst().map(r -> r.get(0))
                                            .orElse("f")));
                            if (!inactive) {
                                throw new OperationRefusedException(Kind.SLOT_ACTIVE, name, "Slot " + slot + " is in"
                                        + " use 10 s after " + name + " stopped: another server streams through it."
                                        + " Find it: SELECT active_pid FROM pg_replication_slots WHERE slot_name = "
                                        + lit + ".");
                            }
                            db.queryValue(Sql.DROP_SLOT, slot);
                        }
                        db.queryValue(Sql.CREATE_SLOT, slot);
                        slotDone.set(existed ? "slot " + slot + " was dropped (it had lost its WAL) and created again"
                                : "slot " + slot + " was created");
                        return existed ? "dropped (lost) and created again" : "created";
                    });
        }

        /**
         * The steps apply() runs for a new standby, in its own context; the clone runs even though the directory
         * holds a standby of this primary (apply() keeps such a one).
         */
        private OpStep cloneStep() {
            ReplicationConfig one = config.withTopology(primary, List.of(standby), List.of());
            List<Step> clone = new ArrayList<>();
            CloneContext context = new CloneContext(standby, primary, config.role(), slot);
            for (CloneMethod m : standby.cloneMethods()) {
                for (ContributedStep contributed : m.contributedSteps(context)) {
                    if (contributed.phase() != ContributedStep.Phase.AFTER_STREAMING
                            && contributed.phase() != ContributedStep.Phase.VERIFICATION) {
                        clone.add(new ContributedStepRunner(contributed));
                    }
                }
            }
            clone.addAll(Planner.standbySteps(one).get(name));
            return OpStep.change(name, "re-sync in place or clone again (not after pg_rewind), then configure, start"
                            + " and verify it as apply() does", clone.stream().flatMap(s -> s.runbook().stream())
                            .toList(),
                    () -> method.get() != Method.IN_PLACE && method.get() != Method.CLONE,
                    () -> {
                        var probes = RejoinSteps.probes(standby);
                        try {
                            ApplyContext ctx = new ApplyContext(one, p.db().orElseThrow(), probes);
                            List<String> done = new ArrayList<>();
                            for (Step s : clone) {
                                if (!(s instanceof CloneStep) && s.kind() == Step.Kind.CHANGE && s.isDone(ctx)) {
                                    continue;
                                }
                                String detail = s.run(ctx);
                                if (s instanceof CloneStep) {
                                    cloned.set(detail);
                                }
                                done.add(s.title());
                            }
                            return String.join("; ", done);
                        } finally {
                            probes.values().forEach(StandbyProbe::close);
                        }
                    });
        }

        private List<String> notes() {
            if (method.get() == Method.NOTHING) {
                return List.of(name + ": " + chosen + ". To re-sync it anyway: " + code(options.withForced(true))
                        + ".");
            }
            String how = method.get() == Method.REWIND ? "pg_rewind" + (discarded.get() == null ? ""
                    : " (WAL " + discarded.get() + " discarded)") : cloned.get() == null ? "a clone" : cloned.get();
            return List.of(name + " was re-synced from " + primary.name() + " (" + String.join(", ", reasons)
                    + "): " + how + (slotDone.get() == null ? "" : "; " + slotDone.get()) + ".");
        }
    }
}
