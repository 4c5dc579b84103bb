package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Node;
import io.github.pgreplication.Primary;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Retires a standby: stops it when asked, drops its slot on the primary (a forgotten slot keeps WAL forever), and
 * drops the pg_hba rules the set-up had for its address alone.
 */
public final class RemoveSteps {
    private RemoveSteps() {
    }

    /**
     * @param ops  the current set-up
     * @param name the standby
     * @param stop whether to stop it first
     * @return the plan
     */
    public static Operations.Planned remove(Operations ops, String name, boolean stop) {
        return remove(ops, io.github.pgreplication.Remove.standby(name).withStop(stop));
    }

    /**
     * @param ops    the current set-up
     * @param remove the standby, and how
     * @return the plan
     */
    public static Operations.Planned remove(Operations ops, io.github.pgreplication.Remove remove) {
        String name = remove.standby();
        boolean stop = remove.stop();
        ReplicationConfig config = ops.config();
        ops.node(name);
        Standby standby = config.standby(name).orElseThrow(() -> new OperationRefusedException(Kind.WRONG_ROLE, name,
                name + " is not a standby of " + config.primary().name() + "; only standbys can be removed."));
        List<Standby> children = config.childrenOf(name);
        Primary source = config.sourceOf(standby); // a cascading standby's slot lives on its upstream
        if (!children.isEmpty() && !remove.standbysRepointed()) {
            List<String> names = children.stream().map(Standby::name).toList();
            throw new OperationRefusedException(Kind.HAS_STANDBYS, name, names + " stream" + (names.size() == 1
                    ? "s" : "") + " from " + name + " (streamingFrom(\"" + name + "\")): removing it would leave "
                    + (names.size() == 1 ? "it" : "them") + " streaming from nobody. Point "
                    + (names.size() == 1 ? "it" : "them") + " at " + source.name() + " first, in the same"
                    + " operation: replication.remove(Remove.standby(\"" + name + "\").withStandbysRepointed(true)"
                    + (stop ? ".withStop(true)" : "") + "), or remove " + (names.size() == 1 ? "it" : "them")
                    + " first.");
        }
        io.github.pgreplication.SyncPolicy policy = config.syncPolicy();
        if (policy.synchronous() && policy.names().equals(List.of(name)) && config.standbys().stream()
                .anyMatch(s -> !s.name().equals(name) && SyncNames.confirms(config, s))) {
            // A policy without names means every standby: its removal must not make the others synchronous.
            throw new OperationRefusedException(Kind.SYNC_UNSATISFIABLE, name, "The synchronous policy "
                    + SyncNames.describe(config) + " names " + name + " alone. Without it the list would name no"
                    + " standby, which this library reads as every standby: commits would start waiting on standbys"
                    + " you left asynchronous. Nothing was changed. Choose the policy first, e.g."
                    + " replication.setSyncPolicy(SyncPolicy.none()) or SyncPolicy." + policy.method().name()
                    .toLowerCase(java.util.Locale.ROOT) + "(1, \"<another standby>\"), then remove " + name + ".");
        }
        String slot = standby.effectiveSlotName();
        List<HbaRule> kept = keptRules(config, standby);
        // Its standbys take its own upstream (none: the primary), by name as it had it.
        List<Standby> remaining = Operations.without(config.standbys(), name).stream()
                .map(s -> name.equals(s.upstream()) ? new Standby(s.node(), s.slotName(), s.cloneMethods(),
                        s.emptyDataDirectoryAllowed(), s.passfile(), s.parameters(), standby.upstream()) : s)
                .toList();
        ReplicationConfig after = config.withTopology(config.primary(), remaining,
                config.detached()).withHbaRules(kept).withSyncPolicy(SyncNames.without(config.syncPolicy(), name));
        NodeClient c = ops.client(standby.node());
        Db primaryDb = ops.client(config.primary().node()).db().orElseThrow();
        List<OpStep> steps = new ArrayList<>();
        boolean sync = SyncSteps.kept(config, after);
        if (sync) {
            // The list loses the standby before it stops, and is checked to be met without it: no commit waits.
            steps.add(SyncSteps.satisfiable(ops, config.primary().node(), after, "without " + name, name, "Make"
                    + " another listed standby stream first, or relax the policy: replication.setSyncPolicy(...) with a"
                    + " lower count, or SyncPolicy.none()."));
            steps.add(SyncSteps.configure(ops, config.primary().node(), after, "without " + name + ", before it"
                    + " stops"));
        }
        if (!children.isEmpty()) {
            // Before it stops: they stream from its upstream, through slots there, before it goes.
            List<Standby> moved = remaining.stream().filter(s -> children.stream()
                    .anyMatch(x -> x.name().equals(s.name()))).toList();
            for (Standby m : moved) {
                steps.add(ops.createSlot(source.node(), m));
                steps.add(ops.repoint(m, () -> ops.conninfo(m, source)));
            }
            steps.add(OpStep.check(source.name(), moved.stream().map(Standby::name).toList() + " stream from "
                            + source.name(), List.of(SqlText.psql("SELECT application_name, state FROM"
                            + " pg_stat_replication") + "   # on " + source.name()),
                    () -> {
                        List<Standby> check = new ArrayList<>(moved);
                        after.standby(source.name()).ifPresent(check::add); // an upstream of theirs: it streams too
                        return ops.awaitStreaming(after.primary(), check, remove.streamTimeout());
                    }));
        }
        if (stop) {
            steps.add(stopStep(ops, standby, c));
        }
        Db slotDb = source.name().equals(config.primary().name()) ? primaryDb : ops.client(source.node()).db()
                .orElseThrow(() -> new OperationRefusedException(Kind.MISSING_CAPABILITY, source.name(), name
                        + "'s slot lives on its upstream " + source.name() + ", which the library reaches through"
                        + " psql only; dropping a slot needs JDBC to it. Give it .withAdminEndpoint(endpoint,"
                        + " \"postgres\", password), or drop the slot by hand: SELECT pg_drop_replication_slot('"
                        + slot + "') on " + source.name() + "."));
        steps.add(dropSlotStep(source.name(), name, slot, slotDb, stop));
        if (kept.size() != config.hbaRules().size()) {
            ApplyContext ctx = new ApplyContext(after, primaryDb, new HashMap<>());
            steps.add(OpStep.of(new HbaStep(config.primary().name(), TlsRules.written(config.primary(),
                    kept), config.primary().node().tls().serves()), ctx));
        }
        if (sync) {
            steps.add(SyncSteps.verify(ops, config.primary().node(), after, config.streamingTimeout()));
        }
        List<HbaRule> dropped = config.hbaRules().stream().filter(r -> !kept.contains(r)).toList();
        return new Operations.Planned("Remove standby " + name, steps, () -> after,
                () -> List.of(name + " is no longer a standby of " + config.primary().name() + (children.isEmpty() ? ""
                        : "; " + children.stream().map(Standby::name).toList() + " stream from " + source.name())
                        + (dropped.isEmpty() ? ""
                        : "; pg_hba rules dropped: " + dropped.stream().map(HbaRule::toLine).toList())),
                Optional::empty, Optional::empty);
    }

    /** @return the set-up's pg_hba rules but those for the standby's address alone */
    private static List<HbaRule> keptRules(ReplicationConfig config, Standby standby) {
        Set<String> remaining = config.nodes().stream().filter(n -> !n.name().equals(standby.name()))
                .flatMap(n -> addresses(n).stream()).collect(Collectors.toSet());
        Set<String> mine = addresses(standby.node());
        return config.hbaRules().stream()
                .filter(r -> r.address() == null || !mine.contains(r.address()) || remaining.contains(r.address()))
                .toList();
    }

    private static OpStep stopStep(Operations ops, Standby standby, NodeClient c) {
        return OpStep.change(standby.name(), "stop " + standby.name(),
                List.of(Operations.serviceCommand(standby.node(), ServiceAction.STOP, standby.dataDirectory())
                        .toCommandLine()),
                () -> !c.state().reachable(),
                () -> {
                    ops.perform(standby.node(), ServiceAction.STOP, standby.dataDirectory());
                    return "stopped";
                });
    }

    /** @return the step that drops the standby's slot once it is inactive (waiting up to 10 s after a stop) */
    private static OpStep dropSlotStep(String primary, String name, String slot, Db primaryDb, boolean stopped) {
        return OpStep.change(primary, "drop slot " + slot,
                List.of(SqlText.psql("SELECT pg_drop_replication_slot(" + SqlText.displayLiteral(slot) + ")")),
                () -> primaryDb.queryValue(Sql.SLOT_TYPE, slot).isEmpty(),
                () -> {
                    boolean inactive = ApplyContext.waitFor(Duration.ofSeconds(stopped ? 10 : 0), () -> !"t".equals(
                            primaryDb.queryRows(Sql.SLOT_ACTIVE, slot).stream().findFirst().map(r -> r.get(0))
                                    .orElse("f")));
                    if (!inactive) {
                        throw new OperationRefusedException(Kind.SLOT_ACTIVE, name, "Slot " + slot + " is in use by"
                                + " " + name + ", which still streams. Stop it first, or remove it with"
                                + " removeStandby(\"" + name + "\", true).");
                    }
                    primaryDb.queryValue(Sql.DROP_SLOT, slot);
                    return "dropped";
                });
    }

    private static Set<String> addresses(Node n) {
        Set<String> out = new java.util.HashSet<>();
        for (var e : new io.github.pgreplication.Endpoint[] {n.endpoint(), n.adminEndpoint()}) {
            if (e != null) {
                out.add(e.host());
                out.add(e.host() + "/32");
            }
        }
        return out;
    }
}
