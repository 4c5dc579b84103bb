package io.github.pgreplication.internal;

import io.github.pgreplication.Failover;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.WalRange;
import io.github.pgreplication.host.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a switchover (planned: the old primary is stopped cleanly and becomes a standby of the new one,
 * nothing acknowledged is lost) and of a failover (the primary is gone: the most advanced or the named standby is
 * promoted and the others follow it). Both promote with {@code pg_promote}, checkpoint the new primary, give it the
 * role, the pg_hba block and one slot per standby as apply() does, and re-point the other standbys by ALTER SYSTEM
 * and reload, so they follow the new timeline without a restart.
 */
public final class PromotionSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionSteps.class);

    private PromotionSteps() {
    }

    /**
     * @param ops     the current set-up
     * @param options what to do
     * @return the plan; no steps when the target is the primary already
     */
    public static Operations.Planned switchover(Operations ops, Switchover options) {
        ReplicationConfig config = ops.config();
        Primary old = config.primary();
        String name = options.target();
        if (old.name().equals(name)) {
            return new Operations.Planned("Switchover to " + name + ": it is the primary already, nothing to do",
                    List.of(), () -> config, () -> List.of(name + " is the primary already: nothing changed."),
                    Optional::empty, Optional::empty);
        }
        Standby target = targetStandby(ops, name, "switchover");
        String oldDir = ops.dataDirectory(old.node());
        Node oldNode = old.node().withDataDirectory(oldDir);
        Operations.serviceCommand(oldNode, ServiceAction.STOP, oldDir);
        Operations.serviceCommand(oldNode, ServiceAction.START, oldDir);
        Primary next = Primary.of(target.node());
        Standby oldAsStandby = config.asStandby(oldNode);
        List<Standby> siblings = Operations.without(config.standbys(), name);
        List<Standby> standbys = new ArrayList<>(siblings);
        standbys.add(oldAsStandby);
        ReplicationConfig after = config.withTopology(next, standbys, config.detached());

        NodeClient oldClient = ops.client(oldNode);
        NodeClient targetClient = ops.client(target.node());
        AtomicReference<ControlData> shutdown = new AtomicReference<>();
        // A run again after the switchover went through (its program stopped, or its last check failed): the target
        // is the primary and the old primary runs in recovery, so nothing of it is stopped or read again; the last
        // check still sees whether it streams from the target.
        AtomicBoolean oldFollows = new AtomicBoolean();
        List<OpStep> steps = new ArrayList<>();
        steps.add(OpStep.check(name, "preflight: " + name + " streams from " + old.name() + ", replay lag under "
                        + options.maxLag() + " and not paused, same system and timeline, PostgreSQL 13+",
                List.of(SqlText.psql("SELECT application_name, state, replay_lsn FROM pg_stat_replication") + "   # on "
                        + old.name(), SqlText.psql("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn(),"
                        + " pg_is_wal_replay_paused()") + "   # on " + name),
                () -> preflight(ops, oldNode, target, options, oldFollows)));
        steps.add(OpStep.change(old.name(), "CHECKPOINT, then stop " + old.name() + " (fast shutdown)",
                List.of(SqlText.psql(Sql.CHECKPOINT), Operations.serviceCommand(oldNode, ServiceAction.STOP, oldDir)
                        .toCommandLine()),
                () -> oldFollows.get()
                        || !oldClient.state().reachable() && ops.controlData(oldNode, oldDir).cleanlyShutDown(),
                () -> {
                    oldClient.execute(Sql.CHECKPOINT);
                    ops.perform(oldNode, ServiceAction.STOP, oldDir);
                    return "stopped";
                }));
        steps.add(OpStep.check(old.name(), "read its shutdown checkpoint with pg_controldata",
                List.of("pg_controldata -D " + oldDir + "   # Database cluster state: shut down; Latest checkpoint"
                        + " location"),
                () -> {
                    if (oldFollows.get()) {
                        return "nothing to read: " + old.name() + " runs in recovery already";
                    }
                    ControlData cd = ops.controlData(oldNode, oldDir);
                    if (!ControlData.SHUT_DOWN.equals(cd.state())) {
                        throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " was not shut"
                                + " down cleanly as a primary (pg_controldata: " + cd.state() + "); a switchover"
                                + " needs its shutdown checkpoint. If it is lost, use failover(...) instead.");
                    }
                    shutdown.set(cd);
                    return "shut down at " + cd.checkpoint() + " on timeline " + cd.timeline();
                }));
        steps.add(OpStep.change(name, "wait until " + name + " has received WAL past that checkpoint (up to "
                        + options.catchUpTimeout().toSeconds() + " s, else " + old.name() + " is started again)",
                List.of(SqlText.psql("SELECT pg_last_wal_receive_lsn()") + "   # on " + name + ", until past the"
                        + " checkpoint location"),
                () -> !inRecovery(targetClient),
                () -> {
                    Lsn ckpt = shutdown.get().checkpoint();
                    boolean received = ApplyContext.waitFor(options.catchUpTimeout(), () -> {
                        NodeState st = targetClient.state();
                        return st.reachable() && st.position() != null && st.position().compareTo(ckpt) > 0;
                    });
                    if (received) {
                        return "received past " + ckpt;
                    }
                    NodeState st = targetClient.state();
                    String restarted;
                    try {
                        ops.perform(oldNode, ServiceAction.START, oldDir);
                        restarted = old.name() + " was started again as the primary, as it was";
                    } catch (RuntimeException e) {
                        restarted = old.name() + " could NOT be started again (" + e.getMessage() + "): start it"
                                + " with " + Operations.serviceCommand(oldNode, ServiceAction.START, oldDir)
                                .toCommandLine();
                    }
                    throw new OperationRefusedException(Kind.CATCH_UP_TIMEOUT, name, name + " did not receive WAL"
                            + " past " + old.name() + "'s shutdown checkpoint " + ckpt + " within "
                            + options.catchUpTimeout().toSeconds() + " s (it reports: " + st + "). " + restarted
                            + "; " + name + " was not promoted. Next: make " + name + " stream again (start it if"
                            + " it is down), then run the switchover again.");
                }).withNext("make " + name + " stream from " + old.name() + " again, then run switchover(\"" + name
                        + "\") again."));
        steps.addAll(promote(ops, target, targetClient));
        steps.addAll(newPrimary(ops, after));
        for (Standby s : siblings) {
            steps.addAll(follow(ops, s, next));
        }
        steps.add(OpStep.check(old.name(), "its WAL ends before the new timeline's switch point: no rewind needed",
                List.of(SqlText.psql("SELECT pg_read_file('pg_wal/<new timeline>.history')") + "   # on " + name),
                () -> {
                    if (oldFollows.get()) {
                        return "nothing to check: " + old.name() + " runs in recovery already (the last check sees"
                                + " whether it streams from " + name + " on its timeline)";
                    }
                    ControlData cd = shutdown.get() != null ? shutdown.get() : ops.controlData(oldNode, oldDir);
                    NodeState ns = targetClient.state();
                    TimelineHistory h = ops.history(targetClient, ns.timeline());
                    Lsn switchpoint = h.switchpoint(cd.timeline()).orElse(null);
                    if (switchpoint == null || switchpoint.compareTo(cd.checkpoint()) <= 0) {
                        throw new OperationRefusedException(Kind.TIMELINE, old.name(), old.name() + "'s WAL (shut"
                                + " down at " + cd.checkpoint() + " on timeline " + cd.timeline() + ") is not before"
                                + " the switch point of " + name + "'s timeline " + ns.timeline() + " (" + switchpoint
                                + "). Bring it back with rejoin(Rejoin.node(\"" + old.name() + "\")), which rewinds.");
                    }
                    return "shut down at " + cd.checkpoint() + ", timeline " + ns.timeline() + " starts at "
                            + switchpoint;
                }).withNext("run rejoin(Rejoin.node(\"" + old.name() + "\")) on the Replication of the new topology,"
                        + " or switchover(\"" + name + "\") again."));
        steps.addAll(startAsStandby(ops, oldAsStandby, next));
        steps.add(OpStep.check(name, "every standby streams from " + name + " on the new timeline",
                List.of(SqlText.psql("SELECT application_name, state FROM pg_stat_replication") + "   # on " + name),
                () -> ops.awaitStreaming(next, standbys, options.streamTimeout())));
        return new Operations.Planned("Switchover from " + old.name() + " to " + name, steps, () -> after,
                () -> List.of(name + " is the primary; " + old.name() + " and " + siblings.stream()
                        .map(Standby::name).toList() + " stream from it."), Optional::empty, Optional::empty);
    }

    /**
     * @param ops      the current set-up
     * @param options  what to do
     * @param lastSeen the old primary's last WAL position this program saw, may be null
     * @return the plan
     */
    public static Operations.Planned failover(Operations ops, Failover options, Lsn lastSeen) {
        ReplicationConfig config = ops.config();
        Primary old = config.primary();
        options.targetName().ifPresent(n -> targetStandby(ops, n, "failover"));
        AtomicReference<Standby> chosen = new AtomicReference<>();
        AtomicReference<Lsn> chosenAt = new AtomicReference<>();
        AtomicReference<Lsn> oldLast = new AtomicReference<>(lastSeen);
        NodeClient oldClient = ops.client(old.node());
        List<OpStep> steps = new ArrayList<>();
        steps.add(OpStep.check(old.name(), "the old primary accepts no connections" + (options.primaryFenced()
                        ? " (or is fenced, as the caller states)" : ""),
                List.of("pg_isready -h " + old.endpoint().host() + " -p " + old.endpoint().port()),
                () -> {
                    NodeState st = oldClient.state();
                    if (st.primary() && !alreadyPromoted(ops, config).isPresent()) {
                        oldLast.set(Operations.max(oldLast.get(), st.position()));
                        if (!options.primaryFenced()) {
                            throw new OperationRefusedException(Kind.PRIMARY_STILL_RUNNING, old.name(), old.name()
                                    + " still accepts connections (" + st + "). A failover now would leave two"
                                    + " primaries. For a planned change use switchover(...); if " + old.name()
                                    + " is cut off from every client, say so with"
                                    + " Failover...withPrimaryFenced(true); else stop it first: "
                                    + stopHint(old.node()));
                        }
                        return "it answers, but the caller states it is fenced";
                    }
                    if (old.dataDirectory() != null) {
                        try {
                            oldLast.set(Operations.max(oldLast.get(),
                                    ops.controlData(old.node(), old.dataDirectory()).checkpoint()));
                        } catch (RuntimeException ignored) {
                            // its host may be gone too: the last position this program saw is all there is
                        }
                    }
                    return st.reachable() ? "it is not a primary any more" : "it does not answer";
                }));
        steps.add(OpStep.check("standbys", options.targetName().map(n -> "choose " + n).orElse("choose the standby"
                        + " that received the most WAL"),
                List.of(SqlText.psql("SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()")
                        + "   # on every standby"),
                () -> {
                    Standby s = choose(ops, config, options, chosenAt);
                    chosen.set(s);
                    return s.name() + ", received up to " + chosenAt.get();
                }));
        Supplier<Standby> target = chosen::get;
        Supplier<Primary> next = () -> Primary.of(chosen.get().node());
        Supplier<ReplicationConfig> after = () -> {
            List<Node> detached = new ArrayList<>(config.detached());
            detached.add(old.node());
            return config.withTopology(next.get(), Operations.without(config.standbys(), chosen.get().name()),
                    detached);
        };
        steps.add(lazyOne("the chosen standby", "promote it (pg_promote), CHECKPOINT, forget its primary_conninfo",
                List.of(SqlText.psql(Sql.PROMOTE), SqlText.psql(Sql.CHECKPOINT), SqlText.psql(Sql.RESET_CONNINFO),
                        SqlText.psql(Sql.RESET_SLOT_NAME), SqlText.psql(Sql.RELOAD)),
                () -> promote(ops, target.get(), ops.client(target.get().node()))));
        steps.add(lazyOne("the new primary", "role, pg_hba block and one slot per standby, as apply() does",
                List.of("# the replication role, its password and the pg_hba block, as apply() writes them",
                        SqlText.psql("SELECT * FROM pg_create_physical_replication_slot('<standby>_slot', true)")
                                + "   # one per standby"),
                () -> newPrimary(ops, after.get())));
        steps.add(lazyOne("every other standby", "passfile, primary_conninfo and primary_slot_name pointed at the"
                        + " new primary, reload",
                List.of(SqlText.psql("ALTER SYSTEM SET primary_conninfo = '<host, port, user, application_name>'"),
                        SqlText.psql("ALTER SYSTEM SET primary_slot_name = '<standby>_slot'"),
                        SqlText.psql(Sql.RELOAD) + "   # on each"),
                () -> config.standbys().stream().filter(s -> !s.name().equals(chosen.get().name()))
                        .flatMap(s -> follow(ops, s, next.get()).stream()).toList()));
        steps.add(OpStep.check("standbys", "every other standby streams from the new primary on its timeline",
                List.of(SqlText.psql("SELECT application_name, state FROM pg_stat_replication") + "   # on the new"
                        + " primary"),
                () -> ops.awaitStreaming(next.get(), after.get().standbys(), options.streamTimeout())));
        Supplier<Optional<WalRange>> loss = () -> {
            Lsn last = oldLast.get();
            Lsn at = chosenAt.get();
            return last != null && at != null && last.compareTo(at) > 0 ? Optional.of(new WalRange(at, last))
                    : Optional.empty();
        };
        return new Operations.Planned("Failover from " + old.name() + options.targetName().map(n -> " to " + n)
                .orElse(" to the most advanced standby"), steps, after, () -> {
                    List<String> notes = new ArrayList<>();
                    notes.add(chosen.get().name() + " is the primary; " + old.name() + " is detached: bring it"
                            + " back with rejoin(Rejoin.node(\"" + old.name() + "\")).");
                    Lsn last = oldLast.get();
                    if (last == null) {
                        notes.add(old.name() + "'s last position is unknown: writes acknowledged after "
                                + chosenAt.get() + " may be lost.");
                    } else if (loss.get().isPresent()) {
                        notes.add(old.name() + " had WAL up to at least " + last + "; " + chosen.get().name()
                                + " received up to " + chosenAt.get() + ": up to " + loss.get().get().bytes()
                                + " bytes of WAL may be lost.");
                    } else {
                        notes.add(old.name() + "'s last position known here, " + last + ", is not past what "
                                + chosen.get().name() + " received (" + chosenAt.get() + "); commits "
                                + old.name() + " acknowledged after this program last saw its position (asynchronous"
                                + " ones in particular) may still be lost.");
                    }
                    return notes;
                }, Optional::empty, loss);
    }

    private static String stopHint(Node node) {
        try {
            return Operations.serviceCommand(node, ServiceAction.STOP, node.dataDirectory() == null ? "$PGDATA"
                    : node.dataDirectory()).toCommandLine();
        } catch (RuntimeException e) {
            return "pg_ctl -D $PGDATA stop -m immediate";
        }
    }

    private static Standby targetStandby(Operations ops, String name, String operation) {
        ReplicationConfig config = ops.config();
        Node node = ops.node(name);
        Standby target = config.standby(name).orElseThrow(() -> new OperationRefusedException(Kind.WRONG_ROLE, name,
                "'" + name + "' is not a standby of " + config.primary().name() + " (it is detached); bring it back"
                        + " with rejoin(Rejoin.node(\"" + name + "\")) before a " + operation + " to it."));
        if (node.endpoint() == null) {
            throw new OperationRefusedException(Kind.MISSING_CAPABILITY, name, "Standby '" + name + "' has no"
                    + " endpoint that its peers can connect to, so it cannot become the primary. Give it one:"
                    + " Standby.named(\"" + name + "\").withEndpoint(Endpoint.of(\"" + name + ".example.com\", 5432)).");
        }
        if (!node.administeredOverJdbc()) {
            throw new OperationRefusedException(Kind.MISSING_CAPABILITY, name, "Standby '" + name + "' is reached"
                    + " through psql only; as the primary the library needs JDBC to it. Give it"
                    + " .withAdminEndpoint(endpoint, \"postgres\", password).");
        }
        return target;
    }

    private static boolean inRecovery(NodeClient c) {
        NodeState st = c.state();
        return !st.reachable() || st.inRecovery();
    }

    private static String preflight(Operations ops, Node old, Standby target, Switchover options,
            AtomicBoolean oldFollows) {
        NodeState t = ops.state(target.node());
        NodeState p = ops.state(old);
        if (t.primary()) {
            if (p.reachable() && p.inRecovery()) {
                oldFollows.set(true);
                return "resuming: " + target.name() + " was already promoted (timeline " + t.timeline() + ") and "
                        + old.name() + " runs in recovery";
            }
            return "resuming: " + target.name() + " was already promoted (timeline " + t.timeline() + ")";
        }
        if (!p.reachable()) {
            ControlData cd = ops.controlData(old, old.dataDirectory());
            if (!ControlData.SHUT_DOWN.equals(cd.state())) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " does not answer and"
                        + " was not shut down cleanly (pg_controldata: " + cd.state() + "): a switchover needs a"
                        + " running primary. If it is lost, use failover(Failover.to(\"" + target.name() + "\")).");
            }
            if (!t.reachable() || !t.inRecovery()) {
                throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not"
                        + " answer as a standby (" + t + "); " + old.name() + " is shut down cleanly at "
                        + cd.checkpoint() + ". Start " + target.name() + " and run the switchover again, or start "
                        + old.name() + " again with " + stopHint(old).replace(" stop", " start"));
            }
            return "resuming: " + old.name() + " is shut down cleanly at " + cd.checkpoint();
        }
        if (!p.primary()) {
            throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " is in recovery, not a"
                    + " primary: " + p);
        }
        if (!t.reachable()) {
            throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not answer: "
                    + t.error());
        }
        if (!t.inRecovery()) {
            throw new OperationRefusedException(Kind.WRONG_ROLE, target.name(), target.name() + " is not in recovery:"
                    + " it is a primary of its own.");
        }
        for (NodeState st : List.of(p, t)) {
            if (st.versionNum() < Operations.MIN_VERSION) {
                throw new OperationRefusedException(Kind.VERSION, st.node(), st.node() + " runs PostgreSQL "
                        + st.versionNum() + "; switchover needs 13 or later (primary_conninfo reloads without a"
                        + " restart, pg_promote). Upgrade it.");
            }
        }
        if (!p.systemId().equals(t.systemId())) {
            throw new OperationRefusedException(Kind.OTHER_SYSTEM, target.name(), target.name() + " has system"
                    + " identifier " + t.systemId() + ", " + old.name() + " has " + p.systemId() + ": it is not a"
                    + " standby of this primary. Clone it again from " + old.name() + " with apply().");
        }
        if (p.timeline() != t.timeline()) {
            throw new OperationRefusedException(Kind.TIMELINE, target.name(), target.name() + " is on timeline "
                    + t.timeline() + ", " + old.name() + " on " + p.timeline() + ". Wait until it streams on the"
                    + " primary's timeline, or rejoin it.");
        }
        List<String> streaming = ops.client(old).rows(Sql.STREAMING_NAMES).stream().map(r -> r.get(0)).toList();
        if (!streaming.contains(target.name()) || !t.streaming()) {
            throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not"
                    + " stream from " + old.name() + " (" + old.name() + " lists " + streaming + " as streaming; "
                    + t + "). Check its primary_conninfo and its log, then run the switchover again.");
        }
        if (t.replayPaused()) {
            throw new OperationRefusedException(Kind.LAGGING, target.name(), target.name() + "'s WAL replay is"
                    + " paused; a promotion now would wait for it. Resume it (SELECT pg_wal_replay_resume() on "
                    + target.name() + ") and run the switchover again.");
        }
        long lag = t.replayLsn() == null ? Long.MAX_VALUE : Math.max(0, p.position().minus(t.replayLsn()));
        if (lag > options.maxLag().bytes()) {
            throw new OperationRefusedException(Kind.LAGGING, target.name(), target.name() + " has replayed up to "
                    + t.replayLsn() + ", " + lag + " bytes behind " + old.name() + " (" + p.position() + "); the"
                    + " bound is " + options.maxLag() + ". Wait until it catches up, or raise it with"
                    + " Switchover.to(\"" + target.name() + "\").withMaxLag(DataSize.parse(\"64MB\")).");
        }
        return target.name() + " streams, " + lag + " bytes behind, timeline " + t.timeline();
    }

    private static List<OpStep> promote(Operations ops, Standby target, NodeClient c) {
        String name = target.name();
        List<OpStep> steps = new ArrayList<>();
        steps.add(OpStep.change(name, "promote " + name + " (pg_promote, waiting until it accepts writes)",
                List.of(SqlText.psql(Sql.PROMOTE) + "   # on " + name),
                () -> c.state().primary(),
                () -> {
                    if (!"t".equals(c.value(Sql.PROMOTE).orElse("f"))) {
                        throw new io.github.pgreplication.ReplicationException(name + " did not finish its promotion"
                                + " within 60 s (pg_promote returned false); see its server log.");
                    }
                    return "timeline " + c.state().timeline();
                }).withNext("see why " + name + " did not promote (its server log), then run the same operation"
                        + " again: it resumes here."));
        steps.add(OpStep.change(name, "CHECKPOINT on " + name + " (pg_rewind reads the new timeline from"
                        + " pg_control)", List.of(SqlText.psql(Sql.CHECKPOINT) + "   # on " + name),
                () -> c.state().timeline() == Long.parseLong(c.value("SELECT timeline_id FROM pg_control_checkpoint()")
                        .orElse("0")),
                () -> {
                    c.execute(Sql.CHECKPOINT);
                    return "done";
                }));
        steps.add(OpStep.change(name, "forget primary_conninfo and primary_slot_name on " + name,
                List.of(SqlText.psql(Sql.RESET_CONNINFO), SqlText.psql(Sql.RESET_SLOT_NAME), SqlText.psql(Sql.RELOAD)),
                () -> {
                    List<String> r = c.rows(Sql.STANDBY_SETTINGS).get(0);
                    return r.get(0).isEmpty() && r.get(1).isEmpty();
                },
                () -> {
                    c.execute(Sql.RESET_CONNINFO);
                    c.execute(Sql.RESET_SLOT_NAME);
                    c.execute(Sql.RELOAD);
                    return "reset";
                }));
        return steps;
    }

    /** @return apply()'s primary steps (check, role, settings, pg_hba block, slots) run on the new primary */
    private static List<OpStep> newPrimary(Operations ops, ReplicationConfig after) {
        Db db = ops.client(after.primary().node()).db().orElseThrow();
        ApplyContext ctx = new ApplyContext(after, db, new HashMap<>());
        return Planner.primarySteps(after).stream().map(s -> OpStep.of(s, ctx)).toList();
    }

    /** @return a standby's steps to follow a new primary: passfile, then primary_conninfo and slot, reload */
    static List<OpStep> follow(Operations ops, Standby s, Primary next) {
        List<OpStep> steps = new ArrayList<>();
        ReplicationConfig config = ops.config();
        if (config.role().hasPassword()) {
            steps.add(OpStep.of(new PassfileStep(s, next, config.role()), null));
        }
        steps.add(ops.repoint(s, () -> ops.conninfo(s, next)));
        return steps;
    }

    /** @return the old primary's steps to start as a standby: passfile, standby.signal and conninfo, start */
    static List<OpStep> startAsStandby(Operations ops, Standby s, Primary next) {
        List<OpStep> steps = new ArrayList<>();
        ReplicationConfig config = ops.config();
        if (config.role().hasPassword()) {
            steps.add(OpStep.of(new PassfileStep(s, next, config.role()), null));
        }
        String conninfo = ops.conninfo(s, next);
        NodeClient c = ops.client(s.node());
        steps.add(OpStep.change(s.name(), "standby.signal, primary_conninfo and primary_slot_name for " + next.name()
                        + " in postgresql.auto.conf", List.of("touch " + s.dataDirectory() + "/standby.signal",
                        "echo \"primary_conninfo = '...application_name=" + s.name() + "'\" >> " + s.dataDirectory()
                                + "/postgresql.auto.conf",
                        "echo \"primary_slot_name = '" + s.effectiveSlotName() + "'\" >> " + s.dataDirectory()
                                + "/postgresql.auto.conf"),
                () -> c.state().inRecovery() || s.host().exists(s.dataDirectory() + "/standby.signal")
                        && ops.autoConfHas(s, conninfo, s.effectiveSlotName()),
                () -> {
                    ops.writeStandbyConfig(s, conninfo, true);
                    return "written";
                }));
        steps.add(OpStep.change(s.name(), "start " + s.name() + " as a standby of " + next.name(),
                List.of(Operations.serviceCommand(s.node(), ServiceAction.START, s.dataDirectory()).toCommandLine()),
                () -> c.state().reachable(),
                () -> {
                    ops.perform(s.node(), ServiceAction.START, s.dataDirectory());
                    return "started";
                }));
        steps.add(dropFormerSlots(ops, s, c));
        return steps;
    }

    /**
     * The slots a node kept from its time as the primary (a clean switchover keeps pg_replslot; a rewind may too):
     * nobody streams through them from a standby, and a standby keeps the WAL a slot needs, so left alone they would
     * fill its disk. Only the library's own slots go, by name (one per node the description knows: the topology's and
     * the removed standbys', each under its remembered standby description's slot name, else the default), and only
     * inactive physical ones. Best effort: the node was just started, and a clean-up that cannot run (the server not
     * accepting connections yet, after 30 s) is reported with the command to run by hand, never failing the
     * operation, whose node is in place by then.
     *
     * @return the step that drops them on {@code s}, once it runs as a standby
     */
    static OpStep dropFormerSlots(Operations ops, Standby s, NodeClient c) {
        ReplicationConfig config = ops.config();
        Set<String> names = new TreeSet<>();
        config.standbys().forEach(x -> names.add(x.effectiveSlotName()));
        config.formerStandbys().values().forEach(x -> names.add(x.effectiveSlotName()));
        names.add(config.asStandby(config.primary().node()).effectiveSlotName());
        config.detached().forEach(n -> names.add(config.asStandby(n).effectiveSlotName()));
        String byHand = SqlText.psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE"
                + " slot_type = 'physical' AND NOT active AND slot_name IN (" + names.stream()
                .map(SqlText::displayLiteral).collect(Collectors.joining(", ")) + ")");
        Supplier<List<String>> stale = () -> c.rows("SELECT slot_name FROM pg_replication_slots WHERE slot_type ="
                + " 'physical' AND NOT active AND slot_name IN (" + names.stream().map(n -> Operations.literal(c, n))
                .collect(Collectors.joining(", ")) + ") ORDER BY slot_name").stream().map(r -> r.get(0)).toList();
        return OpStep.change(s.name(), "drop the slots " + s.name() + " kept from its time as the primary (inactive,"
                        + " among " + names + "): a standby keeps the WAL its slots need",
                List.of(byHand + "   # on " + s.name()),
                () -> {
                    try {
                        return stale.get().isEmpty();
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                () -> {
                    List<String> dropped = new ArrayList<>();
                    try {
                        ApplyContext.waitFor(Duration.ofSeconds(30), () -> c.state().reachable());
                        for (String slot : stale.get()) {
                            c.execute("SELECT pg_drop_replication_slot(" + Operations.literal(c, slot) + ")");
                            dropped.add(slot);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("[{}] could not drop the slots it kept from its time as the primary: {}", s.name(),
                                e.getMessage());
                        return (dropped.isEmpty() ? "" : "dropped " + String.join(", ", dropped) + "; ")
                                + "could not drop the rest (" + e.getMessage() + "): run on " + s.name() + ": "
                                + byHand;
                    }
                    return dropped.isEmpty() ? "none left" : "dropped " + String.join(", ", dropped);
                });
    }

    private static Optional<Standby> alreadyPromoted(Operations ops, ReplicationConfig config) {
        return config.standbys().stream().filter(s -> ops.state(s.node()).primary()).findFirst();
    }

    private static Standby choose(Operations ops, ReplicationConfig config, Failover options,
            AtomicReference<Lsn> at) {
        Optional<Standby> promoted = alreadyPromoted(ops, config);
        if (promoted.isPresent()) {
            at.set(ops.state(promoted.get().node()).position());
            return promoted.get();
        }
        Map<Standby, NodeState> candidates = new java.util.LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        for (Standby s : config.standbys()) {
            NodeState st = ops.state(s.node());
            seen.append("\n  ").append(st);
            if (st.reachable() && st.inRecovery() && s.node().endpoint() != null && s.node().administeredOverJdbc()) {
                candidates.put(s, st);
            }
        }
        if (options.targetName().isPresent()) {
            String name = options.targetName().get();
            Standby s = config.standby(name).orElseThrow();
            NodeState st = candidates.get(s);
            if (st == null) {
                throw new OperationRefusedException(Kind.NO_CANDIDATE, name, name + " cannot be promoted now:"
                        + seen);
            }
            at.set(st.received());
            return s;
        }
        Standby best = candidates.entrySet().stream().max(Comparator
                        .comparing((Map.Entry<Standby, NodeState> e) -> e.getValue().received(),
                                Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(e -> e.getValue().replayLsn(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new OperationRefusedException(Kind.NO_CANDIDATE, "standbys", "No standby can be"
                        + " promoted (each must answer, be in recovery, have an endpoint and a JDBC admin"
                        + " endpoint):" + seen));
        at.set(candidates.get(best).received());
        return best;
    }

    /** A step whose sub-steps are only known once earlier steps ran (for example, which standby was chosen). */
    private static OpStep lazyOne(String node, String title, List<String> runbook, Supplier<List<OpStep>> steps) {
        return OpStep.change(node, title, runbook, () -> false, () -> {
            List<String> done = new ArrayList<>();
            for (OpStep s : steps.get()) {
                if (s.kind() == OpStep.Kind.CHANGE && s.isDone()) {
                    continue;
                }
                String detail = s.run();
                done.add(s.node() + ": " + s.title() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
            }
            return done.isEmpty() ? "already done" : String.join("; ", done);
        });
    }
}
