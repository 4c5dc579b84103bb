package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steps of a switchover: planned, the old primary stopped cleanly after a CHECKPOINT and, once the target has
 * received its shutdown checkpoint, the target promoted and the old primary started as its standby, so nothing
 * acknowledged is lost. Under a synchronous policy the new topology's synchronous_standby_names is written on the
 * target before the old primary stops.
 */
public final class SwitchoverSteps {
    private SwitchoverSteps() {
    }

    /**
     * @param ops     the current set-up
     * @param options what to do
     * @return the plan; no steps when the target is the primary already
     */
    public static Operations.Planned plan(Operations ops, Switchover options) {
        ReplicationConfig config = ops.config();
        String name = options.target();
        if (config.primary().name().equals(name)) {
            return new Operations.Planned("Switchover to " + name + ": it is the primary already, nothing to do",
                    List.of(), () -> config, () -> List.of(name + " is the primary already: nothing changed."),
                    Optional::empty, Optional::empty);
        }
        return new Switch(ops, options).plan();
    }

    private static boolean inRecovery(NodeClient c) {
        NodeState st = c.state();
        return !st.reachable() || st.inRecovery();
    }

    /** One switchover being planned: the topologies before and after, and what its steps learn as they run. */
    private static final class Switch {
        private final Operations ops;
        private final Switchover options;
        private final ReplicationConfig config;
        private final Primary old;
        private final String name;
        private final Standby target;
        private final String oldDir;
        private final Node oldNode;
        private final Primary next;
        private final Standby oldAsStandby;
        private final List<Standby> siblings;
        /** The siblings whose source changes ({@link Operations#repointed}). */
        private final List<Standby> repointed;
        private final List<Standby> standbys;
        private final ReplicationConfig after;
        private final NodeClient oldClient;
        private final NodeClient targetClient;
        private final AtomicReference<ControlData> shutdown = new AtomicReference<>();
        // A run again after the switchover went through (its program stopped, or its last check failed): the target
        // is the primary and the old primary runs in recovery, so nothing of it is stopped or read again; the last
        // check still sees whether it streams from the target.
        private final AtomicBoolean oldFollows = new AtomicBoolean();

        Switch(Operations ops, Switchover options) {
            this.ops = ops;
            this.options = options;
            config = ops.config();
            old = config.primary();
            name = options.target();
            target = PromotionSteps.targetStandby(ops, name, "switchover");
            oldDir = ops.dataDirectory(old.node());
            oldNode = old.node().withDataDirectory(oldDir);
            Operations.serviceCommand(oldNode, ServiceAction.STOP, oldDir);
            Operations.serviceCommand(oldNode, ServiceAction.START, oldDir);
            next = Primary.of(target.node());
            oldAsStandby = config.asStandby(oldNode);
            siblings = Operations.without(config.standbys(), name);
            standbys = new ArrayList<>(siblings);
            standbys.add(oldAsStandby);
            after = config.withTopology(next, standbys, config.detached())
                    .withSyncPolicy(SyncNames.afterPromotion(config.syncPolicy(), name, old.name()));
            repointed = Operations.repointed(config, after);
            oldClient = ops.client(oldNode);
            targetClient = ops.client(target.node());
        }

        Operations.Planned plan() {
            List<OpStep> steps = new ArrayList<>();
            steps.add(preflightStep());
            if (SyncSteps.writtenBeforePromotion(config, after)) {
                // Written while the old primary still serves (it is ignored on a standby): the new primary then
                // enforces the policy from its first write, and no write waits longer because of it.
                steps.add(SyncSteps.configure(ops, target.node(), after, "the policy for the new topology, before "
                        + name + " is promoted"));
            }
            steps.add(checkpointAndStopOld());
            steps.add(readShutdownCheckpoint());
            steps.add(awaitTargetPastCheckpoint());
            steps.addAll(PromotionSteps.promote(ops, target, targetClient));
            steps.addAll(PromotionSteps.newPrimary(ops, after));
            ops.dropSlotOnFormerUpstream(config, target).ifPresent(steps::add);
            List<OpStep> others = new ArrayList<>();
            repointed.forEach(s -> others.addAll(PromotionSteps.follow(ops, s, after.sourceOf(s))));
            List<OpStep> oldOnes = new ArrayList<>();
            oldOnes.add(oldEndsBeforeSwitchpoint());
            oldOnes.addAll(PromotionSteps.startAsStandby(ops, oldAsStandby, next));
            if (others.isEmpty()) {
                steps.addAll(oldOnes);
            } else {
                // Different nodes, nothing to wait for from each other: the siblings follow while the old primary is
                // made a standby and started.
                steps.add(PromotionSteps.together(old.name(), "at the same time: " + repointed.stream()
                        .map(Standby::name).toList() + " pointed at " + name + " (passfile, primary_conninfo and"
                        + " primary_slot_name, reload), and " + old.name() + " checked to end before the new"
                        + " timeline, given standby.signal and its configuration, started as a standby of " + name
                        + ", its former slots dropped", others, oldOnes).withNext("run rejoin(Rejoin.node(\""
                        + old.name() + "\")) on the Replication of the new topology, or switchover(\"" + name
                        + "\") again."));
            }
            steps.add(OpStep.check(name, "every standby streams from " + name + " on the new timeline",
                    List.of(SqlText.psql("SELECT application_name, state FROM pg_stat_replication") + "   # on "
                            + name),
                    () -> ops.awaitStreaming(next, standbys, options.streamTimeout())));
            if (SyncSteps.kept(config, after)) {
                steps.add(SyncSteps.verify(ops, target.node(), after, options.streamTimeout()));
            }
            return new Operations.Planned("Switchover from " + old.name() + " to " + name, steps, () -> after,
                    () -> List.of(name + " is the primary; " + old.name() + " and " + after.childrenOf(name).stream()
                            .map(Standby::name).filter(n -> !n.equals(old.name())).toList() + " stream from it"
                            + Operations.cascades(after) + "."), Optional::empty, Optional::empty);
        }

        private OpStep preflightStep() {
            return OpStep.check(name, "preflight: " + name + " streams from " + old.name() + ", replay lag under "
                            + options.maxLag() + " and not paused, same system and timeline, PostgreSQL 13+",
                    List.of(SqlText.psql("SELECT application_name, state, replay_lsn FROM pg_stat_replication")
                            + "   # on " + old.name(), SqlText.psql("SELECT pg_is_in_recovery(),"
                            + " pg_last_wal_replay_lsn(), pg_is_wal_replay_paused()") + "   # on " + name),
                    this::preflight);
        }

        private OpStep checkpointAndStopOld() {
            return OpStep.change(old.name(), "CHECKPOINT, then stop " + old.name() + " (fast shutdown)",
                    List.of(SqlText.psql(Sql.CHECKPOINT), Operations.serviceCommand(oldNode, ServiceAction.STOP,
                            oldDir).toCommandLine()),
                    () -> oldFollows.get()
                            || !oldClient.state().reachable() && ops.controlData(oldNode, oldDir).cleanlyShutDown(),
                    () -> {
                        oldClient.execute(Sql.CHECKPOINT);
                        ops.perform(oldNode, ServiceAction.STOP, oldDir);
                        return "stopped";
                    });
        }

        private OpStep readShutdownCheckpoint() {
            return OpStep.check(old.name(), "read its shutdown checkpoint with pg_controldata",
                    List.of("pg_controldata -D " + oldDir + "   # Database cluster state: shut down; Latest"
                            + " checkpoint location"),
                    () -> {
                        if (oldFollows.get()) {
                            return "nothing to read: " + old.name() + " runs in recovery already";
                        }
                        ControlData cd = ops.controlData(oldNode, oldDir);
                        if (!ControlData.SHUT_DOWN.equals(cd.state())) {
                            throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " was not"
                                    + " shut down cleanly as a primary (pg_controldata: " + cd.state() + "); a"
                                    + " switchover needs its shutdown checkpoint. If it is lost, use failover(...)"
                                    + " instead.");
                        }
                        shutdown.set(cd);
                        return "shut down at " + cd.checkpoint() + " on timeline " + cd.timeline();
                    });
        }

        private OpStep awaitTargetPastCheckpoint() {
            return OpStep.change(name, "wait until " + name + " has received WAL past that checkpoint (up to "
                            + options.catchUpTimeout().toSeconds() + " s, else " + old.name() + " is started again)",
                    List.of(SqlText.psql("SELECT pg_last_wal_receive_lsn()") + "   # on " + name + ", until past the"
                            + " checkpoint location"),
                    () -> !inRecovery(targetClient),
                    this::awaitTargetOrRestartOld)
                    .withNext("make " + name + " stream from " + old.name() + " again, then run switchover(\"" + name
                            + "\") again.");
        }

        /** @return what the target received; else starts the old primary again and refuses the switchover */
        private String awaitTargetOrRestartOld() {
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
                restarted = old.name() + " could NOT be started again (" + e.getMessage() + "): start it with "
                        + Operations.serviceCommand(oldNode, ServiceAction.START, oldDir).toCommandLine();
            }
            throw new OperationRefusedException(Kind.CATCH_UP_TIMEOUT, name, name + " did not receive WAL past "
                    + old.name() + "'s shutdown checkpoint " + ckpt + " within " + options.catchUpTimeout()
                    .toSeconds() + " s (it reports: " + st + "). " + restarted + "; " + name + " was not promoted."
                    + " Next: make " + name + " stream again (start it if it is down), then run the switchover"
                    + " again.");
        }

        private OpStep oldEndsBeforeSwitchpoint() {
            return OpStep.check(old.name(), "its WAL ends before the new timeline's switch point: no rewind needed",
                    List.of(SqlText.psql("SELECT pg_read_file('pg_wal/<new timeline>.history')") + "   # on "
                            + name),
                    this::checkNoRewindNeeded)
                    .withNext("run rejoin(Rejoin.node(\"" + old.name() + "\")) on the Replication of the new"
                            + " topology, or switchover(\"" + name + "\") again.");
        }

        private String checkNoRewindNeeded() {
            if (oldFollows.get()) {
                return "nothing to check: " + old.name() + " runs in recovery already (the last check sees whether"
                        + " it streams from " + name + " on its timeline)";
            }
            ControlData cd = shutdown.get() != null ? shutdown.get() : ops.controlData(oldNode, oldDir);
            NodeState ns = targetClient.state();
            TimelineHistory h = ops.history(targetClient, ns.timeline());
            Lsn switchpoint = h.switchpoint(cd.timeline()).orElse(null);
            if (switchpoint == null || switchpoint.compareTo(cd.checkpoint()) <= 0) {
                throw new OperationRefusedException(Kind.TIMELINE, old.name(), old.name() + "'s WAL (shut down at "
                        + cd.checkpoint() + " on timeline " + cd.timeline() + ") is not before the switch point of "
                        + name + "'s timeline " + ns.timeline() + " (" + switchpoint + "). Bring it back with"
                        + " rejoin(Rejoin.node(\"" + old.name() + "\")), which rewinds.");
            }
            return "shut down at " + cd.checkpoint() + ", timeline " + ns.timeline() + " starts at " + switchpoint;
        }

        private String preflight() {
            NodeState t = ops.state(target.node());
            NodeState p = ops.state(oldNode);
            if (t.primary()) {
                return resumedAfterPromotion(t, p);
            }
            if (!p.reachable()) {
                return resumedAfterCleanStop(t);
            }
            requireRoles(p, t);
            requireSameCluster(p, t);
            requireStreaming(t);
            return withinLag(p, t);
        }

        private String resumedAfterPromotion(NodeState t, NodeState p) {
            if (p.reachable() && p.inRecovery()) {
                oldFollows.set(true);
                return "resuming: " + target.name() + " was already promoted (timeline " + t.timeline() + ") and "
                        + old.name() + " runs in recovery";
            }
            return "resuming: " + target.name() + " was already promoted (timeline " + t.timeline() + ")";
        }

        private String resumedAfterCleanStop(NodeState t) {
            ControlData cd = ops.controlData(oldNode, oldNode.dataDirectory());
            if (!ControlData.SHUT_DOWN.equals(cd.state())) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " does not answer and"
                        + " was not shut down cleanly (pg_controldata: " + cd.state() + "): a switchover needs a"
                        + " running primary. If it is lost, use failover(Failover.to(\"" + target.name() + "\")).");
            }
            if (!t.reachable() || !t.inRecovery()) {
                throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not"
                        + " answer as a standby (" + t + "); " + old.name() + " is shut down cleanly at "
                        + cd.checkpoint() + ". Start " + target.name() + " and run the switchover again, or start "
                        + old.name() + " again with " + PromotionSteps.stopHint(oldNode).replace(" stop", " start"));
            }
            return "resuming: " + old.name() + " is shut down cleanly at " + cd.checkpoint();
        }

        private void requireRoles(NodeState p, NodeState t) {
            if (!p.primary()) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, old.name(), old.name() + " is in recovery, not a"
                        + " primary: " + p);
            }
            if (!t.reachable()) {
                throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not"
                        + " answer: " + t.error());
            }
            if (!t.inRecovery()) {
                throw new OperationRefusedException(Kind.WRONG_ROLE, target.name(), target.name() + " is not in"
                        + " recovery: it is a primary of its own.");
            }
        }

        private void requireSameCluster(NodeState p, NodeState t) {
            for (NodeState st : List.of(p, t)) {
                if (st.versionNum() < Operations.MIN_VERSION) {
                    throw new OperationRefusedException(Kind.VERSION, st.node(), st.node() + " runs PostgreSQL "
                            + st.versionNum() + "; switchover needs 13 or later (primary_conninfo reloads without a"
                            + " restart, pg_promote). Upgrade it.");
                }
            }
            if (!p.systemId().equals(t.systemId())) {
                throw new OperationRefusedException(Kind.OTHER_SYSTEM, target.name(), target.name() + " has system"
                        + " identifier " + t.systemId() + ", " + old.name() + " has " + p.systemId() + ": it is not"
                        + " a standby of this primary. Clone it again from " + old.name() + " with apply().");
            }
            if (p.timeline() != t.timeline()) {
                throw new OperationRefusedException(Kind.TIMELINE, target.name(), target.name() + " is on timeline "
                        + t.timeline() + ", " + old.name() + " on " + p.timeline() + ". Wait until it streams on the"
                        + " primary's timeline, or rejoin it.");
            }
        }

        private void requireStreaming(NodeState t) {
            Node source = config.upstreamOf(target).map(Standby::node).orElse(oldNode);
            List<String> streaming = ops.client(source).rows(Sql.STREAMING_NAMES).stream().map(r -> r.get(0))
                    .toList();
            if (!streaming.contains(target.name()) || !t.streaming()) {
                throw new OperationRefusedException(Kind.NOT_STREAMING, target.name(), target.name() + " does not"
                        + " stream from " + source.name() + " (" + source.name() + " lists " + streaming
                        + " as streaming; "
                        + t + "). Check its primary_conninfo and its log, then run the switchover again.");
            }
            if (t.replayPaused()) {
                throw new OperationRefusedException(Kind.LAGGING, target.name(), target.name() + "'s WAL replay is"
                        + " paused; a promotion now would wait for it. Resume it (SELECT pg_wal_replay_resume() on "
                        + target.name() + ") and run the switchover again.");
            }
        }

        private String withinLag(NodeState p, NodeState t) {
            long lag = t.replayLsn() == null ? Long.MAX_VALUE : Math.max(0, p.position().minus(t.replayLsn()));
            if (lag > options.maxLag().bytes()) {
                throw new OperationRefusedException(Kind.LAGGING, target.name(), target.name() + " has replayed up to "
                        + t.replayLsn() + ", " + lag + " bytes behind " + old.name() + " (" + p.position() + "); the"
                        + " bound is " + options.maxLag() + ". Wait until it catches up, or raise it with"
                        + " Switchover.to(\"" + target.name() + "\").withMaxLag(DataSize.parse(\"64MB\")).");
            }
            return target.name() + " streams, " + lag + " bytes behind, timeline " + t.timeline();
        }
    }
}
