package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.Standby;
import io.github.pgreplication.WalRange;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a former primary, or a standby left on a dead timeline, back as a standby of the current primary. The
 * timeline history decides whether its WAL diverged (as Patroni's rewind check does): its timeline must be the
 * primary's or an ancestor of it, and its WAL must end before the switch point; otherwise {@code pg_rewind
 * --source-server} discards what diverged, after checking its prerequisites. A node promoted on its own (split brain:
 * its timeline is on no path to the primary's) is rewound too: its own history file, read from its {@code pg_wal},
 * and the primary's give the latest timeline both share, and it diverged where the first of the two left it (as
 * pg_rewind itself finds it). That includes a node on a timeline whose number the primary's history has, but which
 * began elsewhere (promoted by mistake, then a failover promoted another standby onto the same number): a timeline
 * is its number and where it began, as pg_rewind compares them, so a node on a timeline above 1 has its own history
 * read and compared even when the number matches; when its file is missing, the number alone decides, and the
 * outcome says so. When they share none, or its history file is missing for a timeline the primary's history lacks,
 * it is refused with both histories in the message; so is a node on the primary's current timeline number whose own
 * history parts from the primary's (promoted apart), which pg_rewind, comparing numbers only there, would leave as
 * it is. A full re-clone happens only with the caller's explicit permission.
 */
public final class RejoinSteps {
    private static final Pattern WAL_END = Pattern.compile("(?:invalid record length|record with incorrect prev-link"
            + " [0-9A-F]+/[0-9A-F]+|invalid magic number [0-9A-F]+|contrecord is requested by [0-9A-F]+/[0-9A-F]+)"
            + "[^\\n]*? at ([0-9A-F]+/[0-9A-F]+)");
    private static final Pattern AT = Pattern.compile("at ([0-9A-F]+/[0-9A-F]+)");

    private RejoinSteps() {
    }

    /** How the node is brought back: as it is, rewound, or cloned again. */
    enum Decision { NONE, REWIND, RECLONE }

    /**
     * @param ops     the current set-up
     * @param options what to do
     * @return the plan
     */
    public static Operations.Planned rejoin(Operations ops, Rejoin options) {
        return new Join(ops, options).plan();
    }

    /** One rejoin being planned: the topology after it, and what its steps learn as they run. */
    private static final class Join {
        private final Operations ops;
        private final Rejoin options;
        private final ReplicationConfig config;
        private final String name;
        private final Node node;
        private final Primary primary;
        private final String dir;
        private final Standby standby;
        private final ReplicationConfig after;
        private final NodeClient p;
        private final NodeClient c;
        private final AtomicReference<Decision> decision = new AtomicReference<>(Decision.NONE);
        private final AtomicReference<WalRange> discarded = new AtomicReference<>();
        private final AtomicReference<String> joined = new AtomicReference<>();

        Join(Operations ops, Rejoin options) {
            this.ops = ops;
            this.options = options;
            config = ops.config();
            name = options.node();
            node = ops.node(name);
            primary = config.primary();
            if (primary.name().equals(name)) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, name, name + " is the primary; rejoin brings a"
                        + " former primary or a standby back under the current primary.");
            }
            if (node.dataDirectory() == null) {
                throw new OperationRefusedException(Kind.MISSING_CAPABILITY, name, "The data directory of " + name
                        + " is not in the description; give it with"
                        + " withDataDirectory(\"/var/lib/postgresql/17/main\").");
            }
            dir = node.dataDirectory();
            Operations.serviceCommand(node, ServiceAction.START, dir);
            standby = config.standby(name).orElseGet(() -> config.asStandby(node));
            List<Standby> standbys = new ArrayList<>(Operations.without(config.standbys(), name));
            standbys.add(standby);
            List<Node> detached = new ArrayList<>(config.detached());
            detached.removeIf(n -> n.name().equals(name));
            after = config.withTopology(primary, standbys, detached);
            p = ops.client(primary.node());
            c = ops.client(node);
        }

        Operations.Planned plan() {
            List<OpStep> steps = new ArrayList<>();
            steps.add(stoppedOrStreaming());
            steps.add(decideHowToRejoin());
            steps.add(rewindIfDiverged());
            ApplyContext ctx = new ApplyContext(after, p.db().orElseThrow(), new HashMap<>());
            steps.add(OpStep.of(new SlotStep(primary.name(), standby.effectiveSlotName(), name), ctx));
            steps.add(recloneIfDecided());
            // startAsStandby writes the passfile (the re-clone's steps have their own, before the clone).
            List<OpStep> start = PromotionSteps.startAsStandby(ops, standby, primary);
            steps.addAll(start);
            steps.add(OpStep.check(name, name + " streams from " + primary.name() + " on its timeline",
                    List.of(SqlText.psql("SELECT status FROM pg_stat_wal_receiver") + "   # on " + name),
                    () -> ops.awaitStreaming(primary, List.of(standby), options.streamTimeout())));
            if (SyncSteps.kept(config, after)) {
                // Once it streams: listed before, a commit would wait for a standby still being rewound.
                steps.add(SyncSteps.configure(ops, primary.node(), after, name + " streams"));
                steps.add(SyncSteps.verify(ops, primary.node(), after, options.streamTimeout()));
            }
            return new Operations.Planned("Rejoin " + name + " as a standby of " + primary.name(), steps,
                    () -> after, this::notes, () -> Optional.ofNullable(discarded.get()), Optional::empty);
        }

        private OpStep stoppedOrStreaming() {
            return OpStep.check(name, "it is stopped (or streams from " + primary.name() + " already)",
                    List.of("pg_isready -p " + node.port() + "   # on " + name + ": must not accept connections"),
                    () -> {
                        NodeState st = c.state();
                        if (!st.reachable()) {
                            return "it does not answer";
                        }
                        NodeState ps = p.state();
                        if (st.streaming() && st.timeline() == ps.timeline()) {
                            joined.set(name + " streams from " + primary.name() + " on timeline " + st.timeline()
                                    + " already: nothing to do.");
                            return joined.get();
                        }
                        throw new OperationRefusedException(Kind.STILL_RUNNING, name, name + " is running (" + st
                                + "); pg_rewind and a re-clone need it stopped. Stop it first: " + Operations
                                .serviceCommand(node, ServiceAction.STOP, dir).toCommandLine());
                    });
        }

        private OpStep decideHowToRejoin() {
            return OpStep.check(name, "decide from pg_controldata and " + primary.name() + "'s timeline history:"
                            + " no rewind, pg_rewind, or (if allowed) a re-clone",
                    List.of("pg_controldata -D " + dir + "   # system identifier, Latest checkpoint's TimeLineID,"
                            + " wal_log_hints setting, Data page checksum version",
                            SqlText.psql("SELECT pg_read_file('pg_wal/<timeline>.history')") + "   # on "
                                    + primary.name(),
                            "cat " + dir + "/pg_wal/<its timeline>.history   # on " + name + ", when its timeline"
                                    + " is not 1: whether it is the primary's timeline of that number, else where it"
                                    + " branched off (promoted on its own)",
                            "pg_waldump -q -p " + dir + "/pg_wal -s <checkpoint redo> -t <its timeline>   # where"
                                    + " its WAL ends"),
                    () -> {
                        if (joined.get() != null) {
                            return "skipped";
                        }
                        return decide(ops, node, dir, p, options, decision, discarded);
                    });
        }

        private OpStep rewindIfDiverged() {
            return OpStep.change(name, "pg_rewind --source-server (only if its WAL diverged)",
                    List.of("pg_rewind --target-pgdata=" + dir + " --source-server='host=" + primary.endpoint()
                            .host() + " port=" + primary.endpoint().port() + " user=" + primary.adminUser()
                            + " dbname=" + primary.database() + "' --progress   # password through PGPASSWORD"),
                    () -> joined.get() != null || decision.get() != Decision.REWIND,
                    this::rewindOrFallBack);
        }

        /** @return what pg_rewind did; when it fails, a re-clone if allowed, else its failure */
        private String rewindOrFallBack() {
            try {
                return rewind(node, dir, primary);
            } catch (io.github.pgreplication.CommandFailedException e) {
                String why = rewindFailure(name, e.getMessage());
                if (options.recloneAllowed()) {
                    decision.set(Decision.RECLONE);
                    discarded.set(null);
                    return "pg_rewind failed (" + why + "); re-cloning, as allowed";
                }
                throw new io.github.pgreplication.ReplicationException(why + " Or allow a re-clone: Rejoin.node(\""
                        + name + "\").withRecloneAllowed(true). pg_rewind said: " + e.getMessage(), e);
            }
        }

        /** Re-clone: only when allowed and decided; the same steps apply() runs for a new standby. */
        private OpStep recloneIfDecided() {
            Standby recloned = standby.withEmptyDataDirectoryAllowed(true);
            ReplicationConfig recloneConfig = after.withTopology(primary, List.of(recloned), List.of());
            List<Step> clone = new ArrayList<>(Planner.standbySteps(recloneConfig).get(name));
            ApplyContext cloneCtx = new ApplyContext(recloneConfig, p.db().orElse(null), probes(recloned));
            return OpStep.change(name, "re-clone (only with Rejoin...withRecloneAllowed(true) and when a rewind"
                            + " cannot be done)", clone.stream().flatMap(s -> s.runbook().stream()).toList(),
                    () -> joined.get() != null || decision.get() != Decision.RECLONE,
                    () -> {
                        List<String> done = new ArrayList<>();
                        for (Step s : clone) {
                            if (s.kind() == Step.Kind.CHANGE && s.isDone(cloneCtx)) {
                                continue;
                            }
                            s.run(cloneCtx);
                            done.add(s.title());
                        }
                        return String.join("; ", done);
                    });
        }

        private List<String> notes() {
            List<String> notes = new ArrayList<>();
            if (joined.get() != null) {
                notes.add(joined.get());
            } else if (discarded.get() != null) {
                notes.add("pg_rewind discarded WAL " + discarded.get() + " on " + name + ": the transactions there"
                        + " are gone from it.");
            } else if (decision.get() == Decision.RECLONE) {
                notes.add(name + " was cloned again from " + primary.name() + ".");
            } else {
                notes.add(name + "'s WAL had not diverged: no rewind was needed.");
            }
            return notes;
        }
    }

    /** @return a probe of the standby alone, keyed by its name */
    static Map<String, StandbyProbe> probes(Standby s) {
        Map<String, StandbyProbe> m = new LinkedHashMap<>();
        m.put(s.name(), new StandbyProbe(s));
        return m;
    }

    /** @return why the node needs no rewind, a rewind, or a re-clone; the decision and range are set */
    static String decide(Operations ops, Node node, String dir, NodeClient p, Rejoin options,
            AtomicReference<Decision> decision, AtomicReference<WalRange> discarded) {
        String name = node.name();
        ControlData cd = ops.controlData(node, dir);
        NodeState ps = p.state();
        if (!ps.primary()) {
            throw new OperationRefusedException(Kind.WRONG_ROLE, ops.config().primary().name(), "The primary does not"
                    + " answer as a primary (" + ps + "); rejoin needs it running.");
        }
        if (!cd.systemId().equals(ps.systemId())) {
            return refuseOrReclone(options, decision, Kind.OTHER_SYSTEM, name, name + " has system identifier "
                    + cd.systemId() + ", the primary " + ps.systemId() + ": it is another cluster and cannot be"
                    + " rewound.");
        }
        long local = cd.timeline();
        // Its own history: a timeline of a number the primary's history has may be another one of that number,
        // begun elsewhere (promoted apart), and pg_rewind compares where timelines begin too. Timeline 1 reads no file.
        // The read runs beside the primary's history and pg_waldump, which need nothing from it.
        CompletableFuture<Optional<TimelineHistory>> ownRead = local <= 1
                ? CompletableFuture.completedFuture(Optional.of(TimelineHistory.none(local)))
                : Background.supply("pgreplication-history", RoundTrips.carried(() -> ownHistory(node, dir, local)));
        TimelineHistory history = ops.history(p, ps.timeline());
        // Where its WAL ends, unless it is on the primary's timeline (then nothing is rewound by number)
        Lsn end = local == ps.timeline() ? null : walEnd(node, dir, cd);
        Optional<TimelineHistory> own;
        String damaged = null;
        try {
            own = ownRead.join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof IllegalArgumentException damage)) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            own = Optional.empty();
            damaged = damage.getMessage();
        }
        if (local == ps.timeline()) {
            // Both promoted apart onto the same number (split brain, then a failover): pg_rewind compares numbers only
            // and finds nothing to do, so a re-clone is the way. A missing file tells nothing: as before.
            if (own.flatMap(h -> h.divergence(history)).flatMap(TimelineHistory.Divergence::at).isPresent()) {
                return refuseOrReclone(options, decision, Kind.TIMELINE, name, sameNumber(name, dir, own.get(),
                        history));
            }
            return "same timeline " + local + " as the primary" + unchecked(dir, local, own, damaged)
                    + ": no rewind needed";
        }
        Fork where = fork(name, dir, local, history, own, damaged);
        if (where.refusal() != null) {
            return refuseOrReclone(options, decision, Kind.TIMELINE, name, where.refusal());
        }
        Lsn fork = where.at();
        long from = where.timeline();
        String promoted = where.promoted();
        String byNumber = where.note();
        // A promoted node wrote at least its end-of-recovery record on its own timeline: it diverged.
        if (promoted == null && end != null && end.compareTo(fork) <= 0) {
            return "its WAL ends at " + end + ", not past the switch point " + fork + " of timeline " + local
                    + byNumber + ": no rewind needed";
        }
        if (!cd.walLogHints() && !cd.checksums()) {
            return refuseOrReclone(options, decision, Kind.REWIND_PREREQUISITE, name, name + "'s WAL diverged"
                    + " from timeline " + from + " at " + fork + " (its WAL ends at " + (end == null ? "an unknown"
                    + " position" : end) + "), and pg_rewind needs wal_log_hints = on or data checksums, which it"
                    + " has neither of (pg_controldata: wal_log_hints setting off, Data page checksum version 0)."
                    + " Set wal_log_hints = on on every node (PrimarySettings.withWalLogHints(true), a restart) for"
                    + " next time; for now allow a re-clone with Rejoin.node(\"" + name
                    + "\").withRecloneAllowed(true).");
        }
        if (!cd.fullPageWrites()) {
            return refuseOrReclone(options, decision, Kind.REWIND_PREREQUISITE, name, name + " ran with"
                    + " full_page_writes = off at its last checkpoint; pg_rewind needs it on.");
        }
        decision.set(Decision.REWIND);
        discarded.set(new WalRange(fork, end));
        return (promoted == null ? "its WAL diverged at " + fork + " (timeline " + local + ")" + byNumber : promoted)
                + ", its WAL ends at " + (end == null ? "?" : end) + ": pg_rewind";
    }

    /**
     * Where a node's WAL left the primary's history, from the two histories alone.
     *
     * @param at       where it diverged, if its WAL goes past it; null when refused
     * @param timeline the timeline it left there
     * @param promoted how it left the primary's history when promoted on its own (split brain); null when its timeline
     *                 is the primary's of that number
     * @param note     what was not checked, for the outcome; empty when nothing
     * @param refusal  why it cannot be rewound; null when it can
     */
    record Fork(Lsn at, long timeline, String promoted, String note, String refusal) {
    }

    /**
     * A node on a timeline whose number the primary's history has is on that timeline when its own history agrees on
     * where the timeline began; otherwise it was promoted on its own onto another timeline of that number, and it
     * diverged where the two histories part, as for a timeline number the primary never had. Without its history file,
     * the number alone decides (an old primary whose pg_wal lost the file must still rejoin), and the note says so.
     *
     * @param name    the node
     * @param dir     its data directory
     * @param local   its timeline, not the primary's
     * @param primary the primary's history
     * @param own     the node's history; empty when its file is missing or damaged
     * @param damaged what is wrong in its history file; null when it was read or is missing
     * @return where it diverged, or why that cannot be known
     */
    static Fork fork(String name, String dir, long local, TimelineHistory primary, Optional<TimelineHistory> own,
            String damaged) {
        Optional<Lsn> switchpoint = primary.switchpoint(local);
        Optional<TimelineHistory.Divergence> parted = own.flatMap(h -> h.divergence(primary))
                .filter(d -> d.at().isPresent());
        if (switchpoint.isPresent() && (own.isEmpty() || parted.filter(d -> d.timeline() == local).isPresent())) {
            return new Fork(switchpoint.get(), local, null, unchecked(dir, local, own, damaged), null);
        }
        if (damaged != null) {
            return new Fork(null, local, null, "", unreadable(name, dir, local, primary, damaged));
        }
        if (parted.isEmpty()) {
            return new Fork(null, local, null, "", unrelated(name, dir, local, primary, own));
        }
        return new Fork(parted.get().at().get(), parted.get().timeline(), promotedOnItsOwn(own.get(), primary,
                parted.get()), "", null);
    }

    /** @return that its own history was not checked, and why; empty when it was read */
    private static String unchecked(String dir, long local, Optional<TimelineHistory> own, String damaged) {
        if (own.isPresent()) {
            return "";
        }
        return " (its own history file " + dir + "/" + TimelineHistory.fileName(local) + (damaged == null
                ? " is missing" : " is damaged: " + damaged) + "; that it is the primary's timeline " + local
                + " rests on the number alone)";
    }

    /**
     * @return the node's own timeline history, read from its pg_wal (timeline 1 has none, and no file is read); empty
     *         when the file is missing
     */
    private static Optional<TimelineHistory> ownHistory(Node node, String dir, long local) {
        if (local <= 1) {
            return Optional.of(TimelineHistory.none(local));
        }
        return node.host().readFile(dir + "/" + TimelineHistory.fileName(local))
                .map(text -> TimelineHistory.parse(local, text));
    }

    /**
     * @param name    the node
     * @param dir     its data directory
     * @param own     its history, on the primary's timeline number
     * @param primary the primary's history
     * @return why a node on a timeline of the primary's number but of another history cannot be rewound
     */
    static String sameNumber(String name, String dir, TimelineHistory own, TimelineHistory primary) {
        return name + " is on timeline " + own.timeline() + " like the primary, but not on the same one: its own"
                + " history (" + dir + "/" + TimelineHistory.fileName(own.timeline()) + ": " + own.describe()
                + ") and the primary's (" + primary.describe() + ") part at " + own.divergence(primary)
                .flatMap(TimelineHistory.Divergence::at).map(Lsn::toString).orElse("?") + ": both were promoted"
                + " apart (split brain). pg_rewind compares timeline numbers only and would find nothing to do.";
    }

    /**
     * @param own     the node's history, which the primary's does not contain
     * @param primary the primary's history
     * @param parted  where they part
     * @return how the node left the primary's history, e.g. {@code promoted on its own: timeline 3 branched off
     *         timeline 2 at 0/3000060, the primary's timeline 2 continues}
     */
    static String promotedOnItsOwn(TimelineHistory own, TimelineHistory primary, TimelineHistory.Divergence parted) {
        long shared = parted.timeline();
        long branch = own.after(shared).orElse(own.timeline());
        String out = "promoted on its own: timeline " + branch + " branched off timeline " + shared + " at "
                + parted.left().map(Lsn::toString).orElse("?") + (branch == own.timeline() ? ""
                : " (it is on timeline " + own.timeline() + " now)");
        if (parted.otherLeft().isEmpty()) {
            return out + ", the primary's timeline " + shared + " continues";
        }
        out += ", the primary left timeline " + shared + " at " + parted.otherLeft().get() + " for timeline "
                + primary.after(shared).orElse(primary.timeline()) + ": they diverged at " + parted.at().orElseThrow();
        long mine = own.timeline();
        Optional<Lsn> theirs = primary.began(mine);
        if (theirs.isEmpty()) {
            return out;
        }
        // A number the primary's history has, begun elsewhere: what rewinding by the number alone would have missed.
        return out + " (its timeline " + mine + " began at " + own.began(mine).map(Lsn::toString).orElse("?")
                + ", the primary's timeline " + mine + " at " + theirs.get() + ": the same number, two timelines)";
    }

    /**
     * @param name    the node
     * @param dir     its data directory
     * @param local   its timeline
     * @param primary the primary's history
     * @param own     the node's history; empty when its file is missing
     * @return why the node's timeline cannot be rewound onto the primary's, with what was read
     */
    static String unrelated(String name, String dir, long local, TimelineHistory primary,
            Optional<TimelineHistory> own) {
        String file = dir + "/" + TimelineHistory.fileName(local);
        String head = notAnAncestor(name, local, primary);
        if (own.isEmpty()) {
            return head + ", and its own history file " + file + " is missing, so where it branched off the"
                    + " primary's timelines cannot be known. Put that file back from its WAL archive, if it has one,"
                    + " and run again.";
        }
        return head + ", and its own history (" + file + ": " + own.get().describe() + ") shares no timeline with"
                + " it begun at the same position: they are not branches of one history, and pg_rewind cannot"
                + " find where they diverged.";
    }

    /**
     * @param name    the node
     * @param dir     its data directory
     * @param local   its timeline
     * @param primary the primary's history
     * @param problem what is wrong in its history file
     * @return why the node's own history cannot be used, and the way round
     */
    static String unreadable(String name, String dir, long local, TimelineHistory primary, String problem) {
        return notAnAncestor(name, local, primary) + ", and its own history file " + dir + "/"
                + TimelineHistory.fileName(local) + " is damaged: " + problem + ". Put it back from its WAL archive,"
                + " if it has one, and run again.";
    }

    private static String notAnAncestor(String name, long local, TimelineHistory primary) {
        if (primary.contains(local)) {
            return name + " is on timeline " + local + ", a number the primary's history has too (the primary's"
                    + " history: " + primary.describe() + ")";
        }
        return name + " is on timeline " + local + ", which is not an ancestor of the primary's timeline "
                + primary.timeline() + " (the primary's history: " + primary.describe() + ")";
    }

    private static String refuseOrReclone(Rejoin options, AtomicReference<Decision> decision, Kind kind, String name,
            String why) {
        if (!options.recloneAllowed()) {
            throw new OperationRefusedException(kind, name, why + (kind == Kind.REWIND_PREREQUISITE ? ""
                    : " To clone it again (its data directory is emptied), use Rejoin.node(\"" + name
                    + "\").withRecloneAllowed(true)."));
        }
        decision.set(Decision.RECLONE);
        return why + " Re-cloning, as allowed.";
    }

    /** @return where the node's WAL ends, read with pg_waldump from its last checkpoint; null when unknown */
    static Lsn walEnd(Node node, String dir, ControlData cd) {
        CommandResult r = node.host().execute(Command.of("pg_waldump", "-q", "-p", dir + "/pg_wal", "-s",
                cd.redo().toString(), "-t", Long.toString(cd.timeline())).withEnvironment("LC_ALL", "C")
                .withTimeout(Duration.ofMinutes(2)));
        return parseWalEnd(r.stderr() + "\n" + r.stdout());
    }

    /**
     * @param output pg_waldump's messages
     * @return the position where it found no further valid record
     */
    static Lsn parseWalEnd(String output) {
        Matcher m = WAL_END.matcher(output);
        if (m.find()) {
            return Lsn.parse(m.group(1));
        }
        for (String line : output.split("\\R")) {
            if (line.contains("error in WAL record at")) {
                Matcher at = AT.matcher(line);
                Lsn last = null;
                while (at.find()) {
                    last = Lsn.parse(at.group(1));
                }
                return last;
            }
        }
        return null;
    }

    /** @return why pg_rewind failed, in words a person can act on */
    static String rewindFailure(String name, String output) {
        if (output.contains("could not find previous WAL record") || output.contains("could not open file")
                && output.contains("pg_wal")) {
            return "pg_rewind needs " + name + "'s WAL back to the last checkpoint before the divergence, and that WAL"
                    + " was already removed from its pg_wal. Keep more WAL on every node (wal_keep_size, e.g."
                    + " withParameter(\"wal_keep_size\", \"1GB\")), or archive it (a restore_command in its"
                    + " configuration makes the library pass --restore-target-wal).";
        }
        if (output.contains("no pg_hba.conf entry") || output.contains("password authentication failed")) {
            return "pg_rewind could not connect from " + name + " to the primary as its admin user: the primary's"
                    + " pg_hba.conf must admit that user from " + name + "'s address to its database (a normal"
                    + " connection, not a replication one).";
        }
        return "pg_rewind failed on " + name + ".";
    }

    /** @return where pg_rewind said the servers diverged, and what it said last */
    static String rewind(Node node, String dir, Primary primary) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", primary.endpoint().host());
        kv.put("port", Integer.toString(primary.endpoint().port()));
        kv.put("user", primary.adminUser());
        kv.put("dbname", primary.database());
        kv.put("connect_timeout", "10");
        // As the admin user, not the replication one: the node's TLS mode and CA, not its replication certificate.
        kv.putAll(TlsRules.keywords(node.tls().replication(), false));
        // pg_rewind's own crash recovery (PostgreSQL 13+) refuses to run with standby.signal present.
        // One ls for both: a server running from it (it may not answer SQL yet) is never rewound under it.
        List<String> entries = node.host().list(dir);
        if (entries.contains("postmaster.pid")) {
            RunningServer.requireStopped(node, dir, "rewound by pg_rewind");
        }
        boolean hadSignal = entries.contains("standby.signal");
        if (hadSignal) {
            node.host().deleteFile(dir + "/standby.signal");
        }
        Command cmd = Command.of("pg_rewind", "--target-pgdata=" + dir, "--source-server="
                + CloneContext.conninfo(kv), "--progress").withEnvironment("LC_ALL", "C")
                .withTimeout(Duration.ofMinutes(30));
        if (primary.adminPassword().reveal().isPresent()) {
            cmd = cmd.withEnvironment("PGPASSWORD", primary.adminPassword().reveal().get())
                    .withRedacted(primary.adminPassword());
        }
        if (node.host().readFile(dir + "/postgresql.auto.conf").orElse("").contains("restore_command")) {
            cmd = cmd.withArgs("--restore-target-wal");
        }
        CommandResult r;
        try {
            r = node.host().run(cmd);
        } catch (RuntimeException e) {
            if (hadSignal) {
                // Put back, so that it cannot start as a primary: it was a standby, and pg_rewind did not finish.
                node.host().writeFile(dir + "/standby.signal", "", "0600");
            }
            throw e;
        }
        return rewindOutcome((r.stdout() + "\n" + r.stderr()).strip());
    }

    /**
     * @param output pg_rewind's output, standard output then standard error
     * @return the step's outcome: where pg_rewind found the divergence (to be compared with the plan's) and its last
     *         line, under one {@code pg_rewind:} prefix
     */
    static String rewindOutcome(String output) {
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        String diverged = output.lines().filter(l -> l.contains("servers diverged at")).findFirst()
                .map(l -> l.replaceFirst("^pg_rewind: ", "") + "; ").orElse("");
        return "pg_rewind: " + diverged + last.replaceFirst("^pg_rewind: ", "");
    }
}
