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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Order of the steps: which standby steps overlap the primary's, and what stops when the primary fails. */
class ApplierTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private ApplyContext context(boolean parallel) {
        return new ApplyContext(new ReplicationConfig(Primary.at(Endpoint.of("p", 5432)),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(), List.of(),
                Duration.ofSeconds(1), parallel), null, Map.of());
    }

    /** A step that records when it starts and ends, and runs what it is given in between. */
    private class Recorded extends Step {
        private final boolean needsPrimary;
        private final Runnable body;

        Recorded(String node, String title, boolean needsPrimary, Runnable body) {
            this(node, title, Kind.CHANGE, needsPrimary, body);
        }

        Recorded(String node, String title, Kind kind, boolean needsPrimary, Runnable body) {
            super(node, title, kind, List.of());
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
            return "done";
        }
    }

    private Map<String, List<Step>> standbys(Runnable early) {
        Map<String, List<Step>> standbys = new LinkedHashMap<>();
        for (String name : List.of("s1", "s2")) {
            standbys.put(name, List.of(new Recorded(name, "passfile", false, early),
                    new Recorded(name, "clone", true, () -> { })));
        }
        return standbys;
    }

    @Test
    void standbyStepsThatNeedNoPrimaryRunWhileThePrimaryIsConfiguredAndTheRestWaitsForIt() {
        CountDownLatch bothEarlyStepsRan = new CountDownLatch(2);
        // The primary's step only ends once both standbys' early steps ran: it deadlocks (and fails on the timeout)
        // unless they run at the same time as it.
        List<Step> primary = List.of(new Recorded("p", "settings", true, () -> {
            try {
                assertThat(bothEarlyStepsRan.await(10, TimeUnit.SECONDS))
                        .as("standby early steps ran during the primary's steps").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));

        ApplyResult result = Applier.apply(context(true), primary, standbys(bothEarlyStepsRan::countDown));

        int primaryEnd = events.indexOf("p:settings:end");
        assertThat(events.indexOf("s1:clone:start")).as("s1's clone waits for the primary").isGreaterThan(primaryEnd);
        assertThat(events.indexOf("s2:clone:start")).as("s2's clone waits for the primary").isGreaterThan(primaryEnd);
        assertThat(result.outcomes()).extracting(o -> o.node() + ":" + o.title())
                .as("outcomes: the primary's first, then each standby's in order")
                .containsExactly("p:settings", "s1:passfile", "s1:clone", "s2:passfile", "s2:clone");
    }

    @Test
    void whenThePrimaryFailsNoStandbyGoesPastItsEarlyStepsAndNothingRunsAfterApplyReturns() {
        List<Step> primary = List.of(new Recorded("p", "settings", true, () -> {
            throw new IllegalStateException("settings refused");
        }));

        assertThatThrownBy(() -> Applier.apply(context(true), primary, standbys(() -> { })))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step failed on p: settings")
                .hasMessageContaining("settings refused")
                .hasMessageContaining("Meanwhile on the standbys (steps that need nothing from the primary):")
                .hasMessageContaining("s1: passfile")
                .hasMessageContaining("s2: passfile");

        assertThat(events).as("what ran, complete when apply() returned")
                .contains("s1:passfile:end", "s2:passfile:end")
                .noneMatch(e -> e.contains("clone"));
    }

    @Test
    void noStandbyChangesAnythingWhenThePrimarysChecksFail() {
        List<Step> primary = List.of(new Recorded("p", "check", Step.Kind.CHECK, true, () -> {
            throw new IllegalStateException("is in recovery");
        }), new Recorded("p", "settings", true, () -> { }));

        assertThatThrownBy(() -> Applier.apply(context(true), primary, standbys(() -> { })))
                .hasMessageContaining("Step failed on p: check")
                .hasMessageContaining("is in recovery")
                .hasMessageNotContaining("Meanwhile");

        assertThat(events).containsExactly("p:check:start");
    }

    @Test
    void duringThePrimarysChecksAStandbyOnlyLooksAndItsFirstChangeWaitsForThem() {
        CountDownLatch looked = new CountDownLatch(2);
        // The primary's check ends only once the standby's check ran and its passfile step asked whether it is
        // done: it fails on the timeout unless those looks run while the primary is being checked.
        List<Step> primary = List.of(new Recorded("p", "check", Step.Kind.CHECK, true, () -> {
            try {
                assertThat(looked.await(10, TimeUnit.SECONDS)).as("the standby looked during the primary's check")
                        .isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }), new Recorded("p", "settings", true, () -> { }));
        Step passfile = new Recorded("s1", "passfile", false, () -> { }) {
            @Override
            public boolean isDone(ApplyContext ctx) {
                events.add("s1:passfile:isDone");
                looked.countDown();
                return false;
            }
        };
        Map<String, List<Step>> standbys = new LinkedHashMap<>();
        standbys.put("s1", List.of(new Recorded("s1", "directory", Step.Kind.CHECK, false, looked::countDown),
                passfile, new Recorded("s1", "clone", true, () -> { })));

        Applier.apply(context(true), primary, standbys);

        assertThat(events.indexOf("s1:passfile:isDone")).as("the look, during the primary's check")
                .isLessThan(events.indexOf("p:check:end"));
        assertThat(events.indexOf("s1:passfile:start")).as("the change, only after the primary's checks passed")
                .isGreaterThan(events.indexOf("p:check:end"));
        assertThat(events.indexOf("s1:clone:start")).isGreaterThan(events.indexOf("p:settings:end"));
    }

    @Test
    void aStepThatRunsBesideTheOthersRunsAtTheSameTimeAsThemAndItsOutcomeKeepsItsPlace() {
        CountDownLatch directoryLooked = new CountDownLatch(1);
        // The passfile step, first in plan order, ends only once the directory's check ran: it fails on the
        // timeout unless both run at the same time.
        Step passfile = new Recorded("s1", "passfile", false, () -> {
            try {
                assertThat(directoryLooked.await(10, TimeUnit.SECONDS)).as("the directory's check ran meanwhile")
                        .isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }) {
            @Override
            public boolean runsBeside() {
                return true;
            }
        };
        Map<String, List<Step>> standbys = new LinkedHashMap<>();
        standbys.put("s1", List.of(passfile, new Recorded("s1", "directory", Step.Kind.CHECK, false,
                directoryLooked::countDown), new Recorded("s1", "clone", true, () -> { })));

        ApplyResult result = Applier.apply(context(true), List.of(new Recorded("p", "settings", true, () -> { })),
                standbys);

        assertThat(events.indexOf("s1:clone:start")).as("the clone waits for both")
                .isGreaterThan(events.indexOf("s1:passfile:end")).isGreaterThan(events.indexOf("s1:directory:end"));
        assertThat(result.outcomes()).extracting(o -> o.node() + ":" + o.title()).as("outcomes in plan order")
                .containsExactly("p:settings", "s1:passfile", "s1:directory", "s1:clone");
    }

    @Test
    void aFailureBesideIsReportedOnceTheOtherLeadingStepsEndedAndNothingAfterThemRuns() {
        Step passfile = new Recorded("s1", "passfile", false, () -> {
            throw new IllegalStateException("disk full");
        }) {
            @Override
            public boolean runsBeside() {
                return true;
            }
        };
        Map<String, List<Step>> standbys = new LinkedHashMap<>();
        standbys.put("s1", List.of(passfile, new Recorded("s1", "directory", Step.Kind.CHECK, false, () -> { }),
                new Recorded("s1", "clone", true, () -> { })));

        assertThatThrownBy(() -> Applier.apply(context(true),
                List.of(new Recorded("p", "settings", true, () -> { })), standbys))
                .hasMessageContaining("Step failed on s1: passfile").hasMessageContaining("disk full");

        assertThat(events).contains("s1:directory:end").doesNotContain("s1:clone:start");
    }

    @Test
    void aFailingEarlyStandbyStepIsReportedAfterThePrimaryIsDoneAndOtherStandbysGoOn() {
        Map<String, List<Step>> standbys = new LinkedHashMap<>();
        standbys.put("s1", List.of(new Recorded("s1", "directory", false, () -> {
            throw new IllegalStateException("not empty");
        }), new Recorded("s1", "clone", true, () -> { })));
        standbys.put("s2", List.of(new Recorded("s2", "clone", true, () -> { })));

        assertThatThrownBy(() -> Applier.apply(context(true),
                List.of(new Recorded("p", "settings", true, () -> { })), standbys))
                .hasMessageContaining("Step failed on s1: directory")
                .hasMessageContaining("not empty");

        assertThat(events).contains("p:settings:end", "s2:clone:end").doesNotContain("s1:clone:start");
    }

    @Test
    void withoutParallelismEverythingRunsInPlanOrder() {
        ApplyResult result = Applier.apply(context(false),
                List.of(new Recorded("p", "settings", true, () -> { })), standbys(() -> { }));

        assertThat(events).containsExactly("p:settings:start", "p:settings:end",
                "s1:passfile:start", "s1:passfile:end", "s1:clone:start", "s1:clone:end",
                "s2:passfile:start", "s2:passfile:end", "s2:clone:start", "s2:clone:end");
        assertThat(result.outcomes()).extracting(StepOutcome::status).containsOnly(StepOutcome.Status.APPLIED);
    }
}
