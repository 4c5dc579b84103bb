package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Failover;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.SynchronousCommit;
import io.github.pgreplication.WalRange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The parts of synchronous replication that need no server: the list a topology gets, how names follow a promotion
 * and a removal, what pg_stat_replication must show, and which standby a failover may promote.
 */
class SyncPolicyPartsTest {
    private static Standby standby(String name) {
        return Standby.named(name).withDataDirectory("/var/lib/postgresql/" + name)
                .withEndpoint(Endpoint.of(name, 5432))
                .withAdminEndpoint(Endpoint.of(name, 5432), "postgres", Secret.none());
    }

    private static ReplicationConfig config(SyncPolicy policy, String... standbys) {
        return new ReplicationConfig(Primary.at(Endpoint.of("p", 5432)).withName("p"),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(),
                java.util.Arrays.stream(standbys).map(SyncPolicyPartsTest::standby).toList(), Duration.ofSeconds(5),
                true, List.of(), Map.of(), policy);
    }

    @Test
    void theListNamesEveryStandbyOrTheGivenOnesThatAreStandbysNow() {
        assertThat(SyncNames.value(config(SyncPolicy.any(1), "s1", "s2"))).isEqualTo("ANY 1 (\"s1\", \"s2\")");
        assertThat(SyncNames.value(config(SyncPolicy.first(1, "s2", "s1"), "s1", "s2")))
                .as("priority order is the policy's").isEqualTo("FIRST 1 (\"s2\", \"s1\")");
        assertThat(SyncNames.value(config(SyncPolicy.first(1, "s2", "p"), "s1", "s2")))
                .as("a named node that is not a standby now (the primary, a detached one) is left out")
                .isEqualTo("FIRST 1 (\"s2\")");
        assertThat(SyncNames.value(config(SyncPolicy.any(1))))
                .as("no standby left: a placeholder, so commits wait instead of turning asynchronous")
                .isEqualTo("ANY 1 (\"pgreplication-no-standby\")");
        assertThat(SyncNames.value(config(SyncPolicy.none(), "s1"))).isEmpty();
        assertThat(SyncNames.commitLevel(config(SyncPolicy.any(1).withCommitLevel(SynchronousCommit.REMOTE_APPLY),
                "s1"))).isEqualTo("remote_apply");
        assertThat(SyncNames.commitLevel(config(SyncPolicy.none(), "s1"))).isNull();
    }

    @Test
    void aPromotedStandbysPlaceGoesToTheOldPrimaryAndARemovedOneLeaves() {
        SyncPolicy named = SyncPolicy.first(1, "s1", "s2");
        assertThat(SyncNames.afterPromotion(named, "s1", "p").names()).containsExactly("p", "s2");
        assertThat(SyncNames.afterPromotion(named, "s3", "p")).as("not named: unchanged").isSameAs(named);
        assertThat(SyncNames.afterPromotion(SyncPolicy.any(1), "s1", "p").names()).as("every standby").isEmpty();
        assertThat(SyncNames.without(named, "s2").names()).containsExactly("s1");
        assertThat(SyncNames.without(named, "s2").count()).isEqualTo(1);
        assertThat(SyncNames.without(named, "s9")).isSameAs(named);
    }

    @Test
    void pgStatReplicationShowsAPolicyWhenTheListedStandbysHaveItsStates() {
        ReplicationConfig first = config(SyncPolicy.first(1), "s1", "s2");
        assertThat(SyncStateStep.judge(first, Map.of("s1", "sync", "s2", "potential")))
                .satisfies(s -> {
                    assertThat(s.shown()).isTrue();
                    assertThat(s.satisfied()).isTrue();
                    assertThat(s.confirming()).isEqualTo(2);
                });
        assertThat(SyncStateStep.judge(first, Map.of("s1", "async", "s2", "async")).shown())
                .as("the list not taken in yet").isFalse();
        assertThat(SyncStateStep.judge(first, Map.of("s1", "sync", "s2", "sync")).shown())
                .as("FIRST 1: exactly one sync").isFalse();
        ReplicationConfig any = config(SyncPolicy.any(2), "s1", "s2", "s3");
        SyncStateStep.Seen one = SyncStateStep.judge(any, Map.of("s1", "quorum"));
        assertThat(one.shown()).isTrue();
        assertThat(one.satisfied()).as("1 of the 2 needed streams: commits wait").isFalse();
        assertThat(SyncStateStep.judge(any, Map.of("S1", "quorum", "s2", "quorum")).satisfied())
                .as("names match without regard to case, as PostgreSQL matches them").isTrue();
        assertThat(SyncStateStep.judge(any, Map.of("s1", "quorum", "x", "async")).confirming())
                .as("an unlisted standby confirms nothing").isEqualTo(1);
    }

    @Test
    void applyWritesTheListOnceEveryStandbyStreams() {
        PhasedPlan plan = Planner.plan(config(SyncPolicy.any(1), "s1", "s2"));
        assertThat(plan.steps(Phase.PRIMARY)).noneMatch(s -> s instanceof SyncPolicyStep);
        assertThat(plan.steps(Phase.AFTER_STREAMING)).hasSize(2);
        assertThat(plan.steps(Phase.AFTER_STREAMING).get(0).title())
                .startsWith("synchronous_standby_names = 'ANY 1 (\"s1\", \"s2\")', synchronous_commit = on");
        assertThat(plan.steps(Phase.AFTER_STREAMING).get(0).runbook()).contains(
                "psql -c \"ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (\\\"s1\\\", \\\"s2\\\")'\"");
        assertThat(plan.steps(Phase.AFTER_STREAMING).get(1).title()).startsWith("pg_stat_replication shows");
        assertThat(Planner.plan(config(SyncPolicy.none(), "s1")).steps(Phase.AFTER_STREAMING)).isEmpty();
    }

    private static NodeState standbyAt(String name, String received) {
        return NodeState.parse(name, List.of("t", "170004", "744", "1", received, received, "none", "", "f", ""));
    }

    private static Map<Standby, NodeState> states(ReplicationConfig config, String... received) {
        Map<Standby, NodeState> out = new LinkedHashMap<>();
        for (int i = 0; i < config.standbys().size(); i++) {
            Standby s = config.standbys().get(i);
            out.put(s, received[i] == null ? NodeState.unreachable(s.name(), "refused")
                    : standbyAt(s.name(), received[i]));
        }
        return out;
    }

    private static final Supplier<OldPrimaryEnd> UNKNOWN = () -> new OldPrimaryEnd(LossCheck.Basis.UNKNOWN, null,
            "nothing known.");

    @Test
    void underAQuorumTheMostAdvancedOfEnoughAnsweringListedStandbysIsProvenComplete() {
        ReplicationConfig c = config(SyncPolicy.any(1), "s1", "s2");
        FailoverChoice choice = FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100",
                "0/3000200"), () -> {
                    throw new AssertionError("the old primary's files are not read when the policy proves it");
                });
        assertThat(choice.standby().name()).isEqualTo("s2");
        assertThat(choice.loss().basis()).isEqualTo(LossCheck.Basis.SYNC_PROOF);
        assertThat(choice.loss().possibleLoss()).isEmpty();
        assertThat(choice.loss().detail()).contains("ANY 1 of [s1, s2]: 2 of the 2 listed standbys answered",
                "2 (2 - 1 + 1) must", "s2 received up to 0/3000200");
    }

    @Test
    void tooFewAnsweringListedStandbysRefuseUnlessLossIsAccepted() {
        ReplicationConfig c = config(SyncPolicy.first(1), "s1", "s2");
        Map<Standby, NodeState> oneDown = states(c, "0/3000100", null);
        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.toMostAdvanced(), oneDown, UNKNOWN))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.UNPROVEN_COMPLETE))
                .hasMessageContaining("1 of the 2 listed standbys answered ([s1])")
                .hasMessageContaining("2 (2 - 1 + 1) must")
                .hasMessageContaining("Bring back 1 more of [s1, s2]")
                .hasMessageContaining("Failover.toMostAdvanced().withPossibleLossAccepted(true)");
        FailoverChoice accepted = FailoverChoice.decide(c, Failover.toMostAdvanced().withPossibleLossAccepted(true),
                oneDown, () -> new OldPrimaryEnd(LossCheck.Basis.REPORTED_POSITION, Lsn.parse("0/3000300"),
                        "p had WAL up to at least 0/3000300."));
        assertThat(accepted.standby().name()).isEqualTo("s1");
        assertThat(accepted.loss().basis()).isEqualTo(LossCheck.Basis.REPORTED_POSITION);
        assertThat(accepted.loss().possibleLoss()).as("a lower bound only: open-ended")
                .contains(new WalRange(Lsn.parse("0/3000100"), null));
        assertThat(accepted.loss().detail()).startsWith("Possible loss accepted: FIRST 1 of [s1, s2]: 1 of the 2");
    }

    @Test
    void aListOfFewerStandbysThanTheCountProvesNothingEvenWhenNoneOfThemAnswers() {
        // After a failover from p to s0 under ANY 2 (s0, s1): s0 is the primary now, so s1 is the only standby the
        // list can name. No commit can be confirmed by 2 of [s1]; what p acknowledged may be on s0 alone.
        ReplicationConfig c = config(SyncPolicy.any(2, "s0", "s1"), "s1", "s2");
        Map<Standby, NodeState> s1Down = states(c, null, "0/3000100");
        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.toMostAdvanced(), s1Down, UNKNOWN))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.UNPROVEN_COMPLETE))
                .hasMessageContaining("ANY 2 of [s1]: fewer standbys listed than the count")
                .hasMessageContaining("it proves nothing of the commits acknowledged before it was set")
                .hasMessageNotContaining("Bring back")
                .hasMessageContaining("withPossibleLossAccepted(true)");
        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000200",
                "0/3000100"), UNKNOWN)).as("even with the listed one answering")
                .isInstanceOf(OperationRefusedException.class);
        FailoverChoice accepted = FailoverChoice.decide(c, Failover.toMostAdvanced().withPossibleLossAccepted(true),
                s1Down, UNKNOWN);
        assertThat(accepted.standby().name()).isEqualTo("s2");
        assertThat(accepted.loss().basis()).as("not a proof").isNotEqualTo(LossCheck.Basis.SYNC_PROOF);
    }

    @Test
    void aRestartedStandbyRanksByWhatItReplayedWhenItsReceiverRestartedBelowThat() {
        // s2 restarted: its WAL receiver resumed at the start of the segment, 0/3000000, below the 0/3000200 it
        // replayed from its own pg_wal. Ranked by received alone, s1 (0/3000100) would be "proven" and promoted.
        ReplicationConfig c = config(SyncPolicy.any(1), "s1", "s2");
        Map<Standby, NodeState> st = new LinkedHashMap<>();
        st.put(c.standbys().get(0), standbyAt("s1", "0/3000100"));
        st.put(c.standbys().get(1), NodeState.parse("s2", List.of("t", "170004", "744", "1", "0/3000000",
                "0/3000200", "none", "", "f", "")));
        FailoverChoice choice = FailoverChoice.decide(c, Failover.toMostAdvanced(), st, UNKNOWN);
        assertThat(choice.standby().name()).isEqualTo("s2");
        assertThat(choice.loss().detail()).contains("received up to 0/3000200");
        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.to("s1"), st, UNKNOWN))
                .hasMessageContaining("s1 received up to 0/3000100, less than 0/3000200");
    }

    @Test
    void removingTheOnlyNamedStandbyIsRefusedRatherThanMakingEveryOtherOneSynchronous() {
        ReplicationConfig c = config(SyncPolicy.first(1, "s1"), "s1", "s2");
        assertThatThrownBy(() -> RemoveSteps.remove(new Operations(c), io.github.pgreplication.Remove.standby("s1")
                .withStop(true)))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.SYNC_UNSATISFIABLE))
                .hasMessageContaining("names s1 alone")
                .hasMessageContaining("commits would start waiting on standbys you left asynchronous")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("SyncPolicy.first(1, \"<another standby>\"), then remove s1");
        assertThat(SyncNames.without(SyncPolicy.first(1, "s1", "s2"), "s1").names()).as("another name left")
                .containsExactly("s2");
    }

    @Test
    void aNamedTargetBehindAnotherListedStandbyIsRefusedUnlessLossIsAccepted() {
        ReplicationConfig c = config(SyncPolicy.any(1), "s1", "s2");
        Map<Standby, NodeState> st = states(c, "0/3000100", "0/3000200");
        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.to("s1"), st, UNKNOWN))
                .isInstanceOf(OperationRefusedException.class)
                .hasMessageContaining("s1 received up to 0/3000100, less than 0/3000200")
                .hasMessageContaining("Failover.to(\"s1\").withPossibleLossAccepted(true)");
        assertThat(FailoverChoice.decide(c, Failover.to("s2"), st, UNKNOWN).loss().basis())
                .isEqualTo(LossCheck.Basis.SYNC_PROOF);
        assertThat(FailoverChoice.decide(c, Failover.to("s1").withPossibleLossAccepted(true), st, UNKNOWN)
                .loss().possibleLoss()).contains(new WalRange(Lsn.parse("0/3000100"), null));
    }

    @Test
    void anUnlistedStandbyAheadOfEveryListedOneIsPromotedSoThatAllCanFollow() {
        ReplicationConfig c = config(SyncPolicy.first(1, "s1"), "s1", "s2");
        assertThat(FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100", "0/3000200"),
                UNKNOWN).standby().name()).isEqualTo("s2");
        assertThat(FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100", "0/3000100"),
                UNKNOWN).standby().name()).as("a tie goes to the listed one").isEqualTo("s1");
    }

    @Test
    void asynchronousFailoverJudgesLossFromTheOldPrimarysEnd() {
        ReplicationConfig c = config(SyncPolicy.none(), "s1", "s2");
        FailoverChoice exact = FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100",
                "0/3000200"), () -> new OldPrimaryEnd(LossCheck.Basis.OLD_PRIMARY_WAL, Lsn.parse("0/3000250"),
                "read."));
        assertThat(exact.standby().name()).isEqualTo("s2");
        assertThat(exact.loss().certain()).isTrue();
        assertThat(exact.loss().possibleLoss()).contains(new WalRange(Lsn.parse("0/3000200"),
                Lsn.parse("0/3000250")));
        FailoverChoice none = FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100",
                "0/3000200"), () -> new OldPrimaryEnd(LossCheck.Basis.OLD_PRIMARY_WAL, Lsn.parse("0/3000200"),
                "read."));
        assertThat(none.loss().possibleLoss()).as("its WAL ends where s2's does: nothing lost").isEmpty();
        assertThat(FailoverChoice.decide(c, Failover.toMostAdvanced(), states(c, "0/3000100", "0/3000200"), UNKNOWN)
                .loss().possibleLoss()).contains(new WalRange(Lsn.parse("0/3000200"), null));
    }
}
