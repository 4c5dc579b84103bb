package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.clone.ContributedStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Phases of a plan: their order, the overlap of the standbys' early steps, and contributed steps run once. */
class PhasedApplyTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static ApplyContext context(boolean parallel) {
        return new ApplyContext(new ReplicationConfig(Primary.at(Endpoint.of("p", 5432)),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(), List.of(),
                Duration.ofSeconds(1), parallel), null, Map.of());
    }

    private final class Recorded extends Step {
        private final boolean needsPrimary;
        private final Runnable body;

        Recorded(String node, String title, boolean needsPrimary, Runnable body) {
            super(node, title, Kind.CHANGE, List.of());
            this.needsPrimary = needsPrimary;
            this.body = body;
        }

        @Override
        public boolean isDone(ApplyContext ctx) {
            return false;
        }

        @Override
        public boolean needsPrimary() {
            return needsPrimary;
        }

        @Override
        public String run(ApplyContext ctx) {
            events.add(node() + ":" + title() + ":start");
            body.run();
            events.add(node() + ":" + title() + ":end");
            return "";
        }
    }

    /** A contributed step counting its runs. */
    private static ContributedStep contributed(String node, String title, AtomicInteger runs, boolean done) {
        return new ContributedStep(ContributedStep.Phase.AFTER_PRIMARY, node, title, List.of("repo-tool prepare")) {
            @Override
            public boolean isDone() {
                return done;
            }

            @Override
            public String run() {
                runs.incrementAndGet();
                return "prepared";
            }
        };
    }

    private PhasedPlan everyPhase(Runnable afterPrimary) {
        PhasedPlan plan = new PhasedPlan();
        plan.add(Phase.PRIMARY, "p", new Recorded("p", "settings", true, () -> { }));
        plan.add(Phase.AFTER_PRIMARY, "repo", new Recorded("repo", "backup", true, afterPrimary));
        for (String s : List.of("s1", "s2")) {
            plan.add(Phase.STANDBYS, s, new Recorded(s, "passfile", false, () -> { }));
            plan.add(Phase.STANDBYS, s, new Recorded(s, "clone", true, () -> { }));
            plan.add(Phase.STANDBYS, s, new Recorded(s, "streams", true, () -> { }));
        }
        plan.add(Phase.AFTER_STREAMING, "p", new Recorded("p", "synchronous_standby_names", true, () -> { }));
        plan.add(Phase.VERIFICATION, "p", new Recorded("p", "verify", true, () -> { }));
        return plan;
    }

    @ParameterizedTest(name = "parallel={0}")
    @ValueSource(booleans = {true, false})
    void phasesRunInOrderAndTheWorkAfterStreamingWaitsForEveryStandbyToStream(boolean parallel) {
        ApplyResult result = Applier.apply(context(parallel), everyPhase(() -> { }));

        int backupEnd = events.indexOf("repo:backup:end");
        int afterStreaming = events.indexOf("p:synchronous_standby_names:start");
        assertThat(events.indexOf("repo:backup:start")).as("after the primary's preparation")
                .isGreaterThan(events.indexOf("p:settings:end"));
        assertThat(events.indexOf("s1:clone:start")).as("clones after the phase after the primary")
                .isGreaterThan(backupEnd);
        assertThat(events.indexOf("s2:clone:start")).isGreaterThan(backupEnd);
        assertThat(afterStreaming).as("after every standby's streaming check")
                .isGreaterThan(events.indexOf("s1:streams:end"))
                .isGreaterThan(events.indexOf("s2:streams:end"));
        assertThat(events.indexOf("p:verify:start")).isGreaterThan(events.indexOf("p:synchronous_standby_names:end"));
        assertThat(result.outcomes()).extracting(o -> o.node() + ":" + o.title()).as("outcomes in plan order")
                .containsExactly("p:settings", "repo:backup", "s1:passfile", "s1:clone", "s1:streams",
                        "s2:passfile", "s2:clone", "s2:streams", "p:synchronous_standby_names", "p:verify");
    }

    @Test
    void standbysEarlyStepsOverlapThePhaseAfterThePrimaryToo() {
        CountDownLatch earlySteps = new CountDownLatch(2);
        PhasedPlan plan = new PhasedPlan();
        plan.add(Phase.PRIMARY, "p", new Recorded("p", "settings", true, () -> { }));
        plan.add(Phase.AFTER_PRIMARY, "repo", new Recorded("repo", "backup", true, () -> {
            try {
                assertThat(earlySteps.await(10, TimeUnit.SECONDS)).as("standbys' early steps ran meanwhile").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        for (String s : List.of("s1", "s2")) {
            plan.add(Phase.STANDBYS, s, new Recorded(s, "passfile", false, earlySteps::countDown));
            plan.add(Phase.STANDBYS, s, new Recorded(s, "clone", true, () -> { }));
        }

        Applier.apply(context(true), plan);

        assertThat(events.indexOf("s1:clone:start")).isGreaterThan(events.indexOf("repo:backup:end"));
        assertThat(events.indexOf("s2:clone:start")).isGreaterThan(events.indexOf("repo:backup:end"));
    }

    @Test
    void aFailureAfterThePrimaryStopsEveryStandbyAfterItsEarlyStepsAndRunsNothingLater() {
        assertThatThrownBy(() -> Applier.apply(context(true), everyPhase(() -> {
            throw new IllegalStateException("archiving is broken");
        }))).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step failed on repo: backup")
                .hasMessageContaining("archiving is broken")
                .hasMessageContaining("Already done on repo: nothing")
                .hasMessageContaining("Meanwhile on the standbys (steps that need nothing from the primary):"
                        + " s1: passfile; s2: passfile");

        assertThat(events).noneMatch(e -> e.contains("clone") || e.contains("synchronous") || e.contains("verify"));
    }

    @Test
    void equalContributedStepsRunOnceWithOneOutcomeOnTheirNode() {
        AtomicInteger runs = new AtomicInteger();
        PhasedPlan plan = new PhasedPlan();
        for (String standby : List.of("s1", "s2")) {
            ContributedStepRunner step = new ContributedStepRunner(contributed("repo", "stanza and backup", runs,
                    false));
            plan.addOnce(Phase.AFTER_PRIMARY, standby, step.key(), step);
            plan.add(Phase.STANDBYS, standby, new Recorded(standby, "clone", true, () -> { }));
        }
        ContributedStepRunner other = new ContributedStepRunner(contributed("repo2", "stanza and backup", runs,
                false));
        assertThat(plan.addOnce(Phase.AFTER_PRIMARY, "s1", other.key(), other)).as("another node: another step")
                .isTrue();

        ApplyResult result = Applier.apply(context(true), plan);

        assertThat(runs).as("once per node, not once per standby").hasValue(2);
        assertThat(result.outcomes()).filteredOn(o -> o.title().equals("stanza and backup"))
                .extracting(StepOutcome::node, StepOutcome::status, StepOutcome::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("repo", StepOutcome.Status.APPLIED, "prepared"),
                        org.assertj.core.groups.Tuple.tuple("repo2", StepOutcome.Status.APPLIED, "prepared"));
    }

    @Test
    void aContributedStepThatIsDoneIsSkipped() {
        AtomicInteger runs = new AtomicInteger();
        PhasedPlan plan = new PhasedPlan();
        ContributedStepRunner step = new ContributedStepRunner(contributed("repo", "stanza and backup", runs, true));
        plan.addOnce(Phase.AFTER_PRIMARY, "s1", step.key(), step);

        ApplyResult result = Applier.apply(context(false), plan);

        assertThat(runs).hasValue(0);
        assertThat(result.outcomes()).extracting(StepOutcome::status).containsExactly(StepOutcome.Status.ALREADY_DONE);
        assertThat(result.changed()).isFalse();
    }
}
