package io.github.pgreplication.internal;

import io.github.pgreplication.Failover;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Standby;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steps of a failover: the primary is gone; the standby proven to hold every acknowledged commit (under a
 * synchronous policy), or the one that received the most WAL, or the named one, is promoted with the new topology's
 * synchronous_standby_names already written, and the others follow it. Which standby is complete is judged before
 * the promotion ({@link FailoverChoice}); when the policy proves nothing, where the old primary's WAL ended is read
 * from its files ({@link OldPrimaryEnd}) while the standby is promoted and the others re-pointed, so the read costs
 * the failover no time.
 */
public final class FailoverSteps {
    private FailoverSteps() {
    }

    /**
     * @param ops      the current set-up
     * @param options  what to do
     * @param lastSeen the old primary's last WAL position this program saw, may be null
     * @return the plan
     */
    public static Operations.Planned failover(Operations ops, Failover options, Lsn lastSeen) {
        return new Fail(ops, options, lastSeen).plan();
    }

    /** One failover being planned: the topology after it, known once the standby is chosen, and what steps learn. */
    private static final class Fail {
        private final Operations ops;
        private final Failover options;
        private final ReplicationConfig config;
        private final Primary old;
        private final AtomicReference<FailoverChoice> chosen = new AtomicReference<>();
        private final AtomicReference<Lsn> oldSeen;
        private final AtomicReference<Boolean> oldAnswers = new AtomicReference<>(false);
        private final AtomicReference<LossCheck> loss = new AtomicReference<>();
        private final AtomicReference<CompletableFuture<OldPrimaryEnd>> oldEnd = new AtomicReference<>();
        private final RoundTrips.Tally oldEndTally = new RoundTrips.Tally();
        private final NodeClient oldClient;
        private final boolean sync;

        Fail(Operations ops, Failover options, Lsn lastSeen) {
            this.ops = ops;
            this.options = options;
            config = ops.config();
            old = config.primary();
            options.targetName().ifPresent(n -> PromotionSteps.targetStandby(ops, n, "failover"));
            oldSeen = new AtomicReference<>(lastSeen);
            oldClient = ops.client(old.node());
            sync = config.syncPolicy().synchronous();
        }

        Operations.Planned plan() {
            List<OpStep> steps = new ArrayList<>();
            steps.add(oldPrimaryDown());
            steps.add(chooseStandby());
            steps.add(promoteChosen());
            steps.add(PromotionSteps.lazyOne("the new primary", "role, pg_hba block and one slot per standby, as"
                            + " apply() does",
                    List.of("# the replication role, its password and the pg_hba block, as apply() writes them",
                            SqlText.psql("SELECT * FROM pg_create_physical_replication_slot('<standby>_slot', true)")
                                    + "   # one per standby"),
                    () -> PromotionSteps.newPrimary(ops, after())));
            steps.add(othersFollow());
            steps.add(OpStep.check("standbys", "every other standby that answered streams from the new primary on"
                            + " its timeline",
                    List.of(SqlText.psql("SELECT application_name, state FROM pg_stat_replication") + "   # on the"
                            + " new primary"),
                    () -> ops.awaitStreaming(next(), after().standbys().stream()
                            .filter(s -> !downOrBelowDown(after(), s, chosen.get().down())).toList(),
                            options.streamTimeout())));
            steps.add(oldPrimaryEnd());
            if (sync) {
                steps.add(PromotionSteps.lazyOne("the new primary", "pg_stat_replication shows the policy",
                        List.of(SqlText.psql("SELECT application_name, sync_state FROM pg_stat_replication")),
                        () -> List.of(SyncSteps.report(ops, next().node(), after()))));
            }
            return new Operations.Planned("Failover from " + old.name() + options.targetName().map(n -> " to " + n)
                    .orElse(" to the most advanced standby"), steps, this::after,
                    () -> notes(chosen.get(), judged(), old, after()), Optional::empty,
                    () -> Optional.of(judged()));
        }

        /** @return whether the standby, or an upstream of it, did not answer: it cannot stream now */
        private static boolean downOrBelowDown(ReplicationConfig after, Standby s, List<String> down) {
            return after.chain(s).stream().anyMatch(x -> down.contains(x.name()));
        }

        private Standby target() {
            return chosen.get().standby();
        }

        private Primary next() {
            return Primary.of(target().node());
        }

        private ReplicationConfig after() {
            List<Node> detached = new ArrayList<>(config.detached());
            detached.add(old.node());
            return config.withTopology(next(), Operations.without(config.standbys(), target().name()),
                    detached).withSyncPolicy(SyncNames.afterPromotion(config.syncPolicy(), target().name(),
                    old.name()));
        }

        private LossCheck judged() {
            if (loss.get() == null) {
                loss.set(atSwitchpoint(ops, chosen.get()));
            }
            return loss.get();
        }

        private OpStep oldPrimaryDown() {
            return OpStep.check(old.name(), "the old primary accepts no connections" + (options.primaryFenced()
                            ? " (or is fenced, as the caller states)" : ""),
                    List.of("pg_isready -h " + old.endpoint().host() + " -p " + old.endpoint().port()),
                    () -> {
                        NodeState st = oldClient.state();
                        // A server that sends an error of its own (too many clients, authentication failed,
                        // starting up) runs: it is not down, whatever it refused this session.
                        java.util.Optional<String> answered = st.reachable() ? java.util.Optional.empty()
                                : oldClient.answeredWithError();
                        if (st.primary() || answered.isPresent()) {
                            if (st.primary()) {
                                oldSeen.set(Operations.max(oldSeen.get(), st.position()));
                                oldAnswers.set(true);
                            }
                            if (!options.primaryFenced()) {
                                java.util.Optional<Standby> promoted = st.primary()
                                        ? FailoverChoice.alreadyPromoted(ops, config) : java.util.Optional.empty();
                                String what = st.primary() ? old.name() + " still accepts connections (" + st + ")"
                                        : old.name() + " runs: it answered this session with " + answered.get();
                                throw new OperationRefusedException(Kind.PRIMARY_STILL_RUNNING, old.name(),
                                        promoted.isPresent() ? what + ", and " + promoted.get().name() + " is a"
                                        + " primary already, promoted by an earlier failover: there are two"
                                        + " primaries now. Stop " + old.name() + " at once: "
                                        + PromotionSteps.stopHint(old.node()) + "; then run the failover again to"
                                        + " finish it, and bring " + old.name() + " back later with"
                                        + " replication.rejoin(Rejoin.node(\"" + old.name() + "\"))."
                                        : what + ". A failover now would leave two primaries. For a planned change"
                                        + " use switchover(...); if " + old.name() + " is cut off from every client,"
                                        + " say so with Failover...withPrimaryFenced(true); else stop it first: "
                                        + PromotionSteps.stopHint(old.node()));
                            }
                            return "it answers, but the caller states it is fenced";
                        }
                        return st.reachable() ? "it is not a primary any more" : "it does not answer";
                    });
        }

        private OpStep chooseStandby() {
            return OpStep.check("standbys", options.targetName().map(n -> "check " + n)
                            .orElse("choose the standby") + (config.syncPolicy().synchronous() ? " proven to hold"
                            + " every acknowledged commit (" + SyncNames.describe(config) + ")"
                            : " that received the most WAL") + ", and judge what it may lack",
                    List.of(SqlText.psql("SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()")
                            + "   # on every standby"),
                    () -> {
                        AtomicReference<OldPrimaryEnd> reported = new AtomicReference<>();
                        FailoverChoice c = FailoverChoice.choose(ops, config, options, states -> {
                            reported.set(OldPrimaryEnd.reported(config, oldSeen.get(), states));
                            return reported.get();
                        });
                        chosen.set(c);
                        if (c.needsOldPrimaryEnd()) {
                            oldEnd.set(CompletableFuture.supplyAsync(() -> RoundTrips.within(oldEndTally,
                                    () -> OldPrimaryEnd.read(ops, config, reported.get(), oldAnswers.get()))));
                        }
                        return c.standby().name() + ", received up to " + c.at() + "; " + c.loss();
                    });
        }

        /** The read started when the standby was chosen, joined once the others follow it. */
        private OpStep oldPrimaryEnd() {
            return OpStep.check(old.name(), "where its WAL ended, for what the promoted standby may lack (read from its"
                            + " files while the standby was promoted, unless the policy proved it complete)",
                    List.of("pg_controldata -D <its data directory>   # Latest checkpoint's REDO location, TimeLineID",
                            "pg_waldump -q -p <its data directory>/pg_wal -s <that redo> -t <that timeline>   # where"
                                    + " its WAL ends"),
                    () -> {
                        CompletableFuture<OldPrimaryEnd> reading = oldEnd.get();
                        if (reading == null) {
                            return "nothing to read: " + chosen.get().loss().basis();
                        }
                        OldPrimaryEnd end = reading.join();
                        RoundTrips.absorb(oldEndTally);
                        chosen.set(chosen.get().withOldPrimaryEnd(end));
                        return end.basis() + (end.end() == null ? "" : " at " + end.end());
                    });
        }

        private OpStep promoteChosen() {
            return PromotionSteps.lazyOne("the chosen standby", "synchronous_standby_names for the new topology"
                            + (sync ? "" : " (emptied, when it kept one from an earlier time as the primary)")
                            + ", then promote it (pg_promote), CHECKPOINT, forget its primary_conninfo",
                    List.of(SqlText.psql("ALTER SYSTEM SET synchronous_standby_names = '<the policy over the other"
                            + " standbys>'") + "   # before the promotion; '' without a policy",
                            SqlText.psql(Sql.PROMOTE), SqlText.psql(Sql.CHECKPOINT), SqlText.psql(Sql.RESET_CONNINFO),
                            SqlText.psql(Sql.RESET_SLOT_NAME), SqlText.psql(Sql.RELOAD)),
                    () -> {
                        List<OpStep> promote = new ArrayList<>();
                        if (SyncSteps.writtenBeforePromotion(config, after())) {
                            promote.add(SyncSteps.configure(ops, target().node(), after(), "before the promotion,"
                                    + " so the new primary acknowledges no commit that the policy does not cover"));
                        }
                        promote.addAll(PromotionSteps.promote(ops, target(), ops.client(target().node())));
                        return promote;
                    });
        }

        private OpStep othersFollow() {
            return PromotionSteps.lazyOne("every other standby", "passfile, primary_conninfo and primary_slot_name"
                            + " pointed at the new primary, reload",
                    List.of(SqlText.psql("ALTER SYSTEM SET primary_conninfo = '<host, port, user,"
                            + " application_name>'"),
                            SqlText.psql("ALTER SYSTEM SET primary_slot_name = '<standby>_slot'"),
                            SqlText.psql(Sql.RELOAD) + "   # on each"),
                    () -> {
                        // Only those whose source changes: a cascading standby keeps its upstream.
                        List<OpStep> follow = new ArrayList<>();
                        ops.dropSlotOnFormerUpstream(config, target()).ifPresent(follow::add);
                        ReplicationConfig after = after();
                        Operations.repointed(config, after).forEach(s -> follow.addAll(PromotionSteps.follow(ops, s,
                                after.sourceOf(s))));
                        return follow;
                    });
        }
    }

    /**
     * @return the choice's loss check from where the promoted standby's timeline starts (the end of the last record
     *         it replayed, which its received position may pass by a partial record), read from its timeline history
     *         once promoted; as judged before the promotion when that cannot be read
     */
    private static LossCheck atSwitchpoint(Operations ops, FailoverChoice chosen) {
        LossCheck before = chosen.loss();
        try {
            NodeClient c = ops.client(chosen.standby().node());
            long timeline = c.state().timeline();
            Optional<Lsn> switchpoint = ops.history(c, timeline).switchpoint(timeline - 1);
            return switchpoint.map(at -> new LossCheck(before.basis(), at, before.oldPrimaryEnd(), before.detail()))
                    .orElse(before);
        } catch (RuntimeException e) {
            return before;
        }
    }

    private static List<String> notes(FailoverChoice chosen, LossCheck loss, Primary old, ReplicationConfig after) {
        List<String> notes = new ArrayList<>();
        notes.add(chosen.standby().name() + " is the primary; " + old.name() + " is detached: bring it back with"
                + " rejoin(Rejoin.node(\"" + old.name() + "\")).");
        notes.add(switch (loss.basis()) {
            case SYNC_PROOF -> "Nothing acknowledged is lost: " + loss.detail();
            case OLD_PRIMARY_WAL -> loss.possibleLoss().map(r -> old.name() + "'s WAL ends at " + loss.oldPrimaryEnd()
                    + ", past where " + chosen.standby().name() + "'s timeline starts (" + loss.promotedAt() + "): WAL " + r
                    + " is lost, with any commit " + old.name() + " acknowledged in it. " + loss.detail())
                    .orElse("Nothing is lost: " + loss.detail());
            case REPORTED_POSITION, UNKNOWN -> "Commits " + old.name() + " acknowledged after " + loss.promotedAt()
                    + " may be lost: " + loss.detail();
        });
        if (!chosen.down().isEmpty()) {
            notes.add(chosen.down() + " did not answer: each has primary_conninfo pointed at " + chosen.standby().name()
                    + " in its postgresql.auto.conf, and follows it when it starts.");
        }
        long answering = SyncNames.eligible(after).stream().filter(n -> !chosen.down().contains(n)).count();
        if (after.syncPolicy().synchronous() && answering < after.syncPolicy().count()) {
            notes.add("Commits on " + chosen.standby().name() + " wait: " + SyncNames.describe(after) + " lists "
                    + answering + " standby(s) that answered for the " + after.syncPolicy().count() + " it needs."
                    + " Start or rejoin " + (chosen.down().isEmpty() ? old.name() : chosen.down() + " or "
                    + old.name()) + ", or relax the policy with replication.setSyncPolicy(...).");
        }
        return notes;
    }
}
