package io.github.pgreplication.internal;

import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a switchover ({@link SwitchoverSteps}), a failover ({@link FailoverSteps}) and a rejoin ({@link RejoinSteps})
 * share: promote with {@code pg_promote} and checkpoint the new primary, give it the role, the pg_hba block and one
 * slot per standby as apply() does, re-point the other standbys by ALTER SYSTEM and reload (they follow the new
 * timeline without a restart), start a node as a standby and drop the slots it kept from its time as the primary.
 */
public final class PromotionSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionSteps.class);

    private PromotionSteps() {
    }

    static String stopHint(Node node) {
        try {
            return Operations.serviceCommand(node, ServiceAction.STOP, node.dataDirectory() == null ? "$PGDATA"
                    : node.dataDirectory()).toCommandLine();
        } catch (RuntimeException e) {
            return "pg_ctl -D $PGDATA stop -m immediate";
        }
    }

    static Standby targetStandby(Operations ops, String name, String operation) {
        ReplicationConfig config = ops.config();
        Node node = ops.node(name);
        Standby target = config.standby(name).orElseThrow(() -> new OperationRefusedException(Kind.WRONG_ROLE, name,
                "'" + name + "' is not a standby of " + config.primary().name() + " (it is detached); bring it back"
                        + " with rejoin(Rejoin.node(\"" + name + "\")) before a " + operation + " to it."));
        if (target.delayed()) {
            throw new OperationRefusedException(Kind.DELAYED, name, "Standby '" + name + "' is a delayed standby"
                    + " (it replays each transaction " + target.applyDelay() + " after its commit, by"
                    + " recovery_min_apply_delay): it is kept behind on purpose, to keep the recent past readable,"
                    + " and is never promoted by a " + operation + ". Choose another standby"
                    + (config.standbys().stream().filter(s -> !s.delayed()).findAny().isPresent() ? " ("
                    + config.standbys().stream().filter(s -> !s.delayed()).map(Standby::name).toList() + ")" : "")
                    + ", or first make it an ordinary standby: .withApplyDelay(Duration.ZERO), then apply().");
        }
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

    static List<OpStep> promote(Operations ops, Standby target, NodeClient c) {
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
    static List<OpStep> newPrimary(Operations ops, ReplicationConfig after) {
        Db db = ops.client(after.primary().node()).db().orElseThrow();
        ApplyContext ctx = new ApplyContext(after, db, new HashMap<>());
        return Planner.primarySteps(after).stream().map(s -> OpStep.of(s, ctx)).toList();
    }

    /** @return a standby's steps to follow a new primary: passfile, then primary_conninfo and slot, reload */
    static List<OpStep> follow(Operations ops, Standby s, Primary next) {
        List<OpStep> steps = new ArrayList<>();
        ReplicationConfig config = ops.config();
        if (config.role().hasPassword()) {
            steps.add(OpStep.of(PassfileStep.of(s, config), null));
        }
        steps.add(ops.repoint(s, () -> ops.conninfo(s, next)));
        return steps;
    }

    /** @return the old primary's steps to start as a standby: passfile, standby.signal and conninfo, start */
    static List<OpStep> startAsStandby(Operations ops, Standby s, Primary next) {
        List<OpStep> steps = new ArrayList<>();
        ReplicationConfig config = ops.config();
        if (config.role().hasPassword()) {
            steps.add(OpStep.of(PassfileStep.of(s, config), null));
        }
        String conninfo = ops.conninfo(s, next);
        NodeClient c = ops.client(s.node());
        java.util.concurrent.atomic.AtomicReference<String> read = new java.util.concurrent.atomic.AtomicReference<>();
        steps.add(OpStep.change(s.name(), "standby.signal, primary_conninfo and primary_slot_name for " + next.name()
                        + " in postgresql.auto.conf", List.of("touch " + s.dataDirectory() + "/standby.signal",
                        "echo \"primary_conninfo = '...application_name=" + s.name() + "'\" >> " + s.dataDirectory()
                                + "/postgresql.auto.conf",
                        "echo \"primary_slot_name = '" + s.effectiveSlotName() + "'\" >> " + s.dataDirectory()
                                + "/postgresql.auto.conf"),
                () -> {
                    if (c.state().inRecovery()) {
                        return true;
                    }
                    read.set(ops.readAutoConf(s)); // kept for the write: read once
                    return Operations.autoConfHas(read.get(), conninfo, s.effectiveSlotName())
                            && s.host().exists(s.dataDirectory() + "/standby.signal");
                },
                () -> {
                    String known = read.getAndSet(null);
                    if (known == null) {
                        ops.writeStandbyConfig(s, conninfo, true);
                    } else {
                        ops.writeStandbyConfig(s, conninfo, true, known);
                    }
                    return "written";
                }));
        steps.add(OpStep.change(s.name(), "start " + s.name() + " as a standby of " + next.name(),
                List.of(Operations.serviceCommand(s.node(), ServiceAction.START, s.dataDirectory()).toCommandLine()),
                () -> c.state().reachable(),
                () -> {
                    ops.perform(s.node(), ServiceAction.START, s.dataDirectory());
                    return "started";
                }));
        steps.add(dropFormerSlots(ops, s, c, next.name()));
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
     * @param promoted the node that is the primary now
     * @return the step that drops them on {@code s}, once it runs as a standby
     */
    static OpStep dropFormerSlots(Operations ops, Standby s, NodeClient c, String promoted) {
        ReplicationConfig config = ops.config();
        Set<String> names = new TreeSet<>();
        config.standbys().forEach(x -> names.add(x.effectiveSlotName()));
        config.formerStandbys().values().forEach(x -> names.add(x.effectiveSlotName()));
        names.add(config.asStandby(config.primary().node()).effectiveSlotName());
        config.detached().forEach(n -> names.add(config.asStandby(n).effectiveSlotName()));
        // Kept: the slots of the standbys that stream from it by name (after a switchover back, they cascade again),
        // but the promoted one's, which streams from nobody now.
        config.standbys().stream().filter(x -> s.name().equals(x.upstream()) && !x.name().equals(promoted))
                .forEach(x -> names.remove(x.effectiveSlotName()));
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

    /** A step whose sub-steps are only known once earlier steps ran (for example, which standby was chosen). */
    static OpStep lazyOne(String node, String title, List<String> runbook, Supplier<List<OpStep>> steps) {
        return OpStep.change(node, title, runbook, () -> false, () -> inOrder(steps.get()));
    }

    /**
     * Two groups of steps on different nodes that need nothing from each other, run at the same time: one on another
     * thread (its round trips counted in this step), one here; a failure of either fails the step once both ended.
     *
     * @param node       the plan line's node
     * @param title      the plan line
     * @param background the steps run on another thread
     * @param here       the steps run on this one
     * @return the step
     */
    static OpStep together(String node, String title, List<OpStep> background, List<OpStep> here) {
        List<String> runbook = new ArrayList<>();
        background.forEach(s -> runbook.addAll(s.runbook()));
        here.forEach(s -> runbook.addAll(s.runbook()));
        return OpStep.change(node, title, runbook, () -> false, () -> {
            java.util.concurrent.CompletableFuture<String> other = java.util.concurrent.CompletableFuture
                    .supplyAsync(RoundTrips.carried(() -> inOrder(background)));
            String mine = null;
            RuntimeException failure = null;
            try {
                mine = inOrder(here);
            } catch (RuntimeException e) {
                failure = e;
            }
            String theirs = null;
            try {
                theirs = other.join();
            } catch (java.util.concurrent.CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return mine + "; at the same time: " + theirs;
        });
    }

    /** @return what the steps did, each skipped when a change already done */
    private static String inOrder(List<OpStep> steps) {
        List<String> done = new ArrayList<>();
        for (OpStep s : steps) {
            if (s.kind() == OpStep.Kind.CHANGE && s.isDone()) {
                continue;
            }
            String detail = s.run();
            done.add(s.node() + ": " + s.title() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        return done.isEmpty() ? "already done" : String.join("; ", done);
    }
}
