package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Plan;
import io.github.pgreplication.Plan.PlanStep;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.ContributedStep;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Steps contributed by clone methods: in their phase, equal ones once, rendered in the runbook. */
class PlannerTest {
    /** A clone method that needs a repository prepared once, and a step on its standby before its clone. */
    private static final class RepositoryClone implements CloneMethod {
        @Override
        public String name() {
            return "repo-restore";
        }

        @Override
        public List<String> runbook(CloneContext context) {
            return List.of("repo-tool restore " + context.dataDirectory());
        }

        @Override
        public void cloneInto(CloneContext context) {
        }

        @Override
        public List<ContributedStep> contributedSteps(CloneContext context) {
            return List.of(step(ContributedStep.Phase.AFTER_PRIMARY, "repohost", "repository has a backup",
                            "repo-tool backup --password=****"),
                    step(ContributedStep.Phase.STANDBY, context.standby().name(), "repository key is trusted",
                            "repo-tool trust"),
                    step(ContributedStep.Phase.AFTER_STREAMING, "repohost", "repository watches the standbys",
                            "repo-tool watch"));
        }

        private static ContributedStep step(ContributedStep.Phase phase, String node, String title, String line) {
            return new ContributedStep(phase, node, title, List.of(line)) {
                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public String run() {
                    return "";
                }
            };
        }
    }

    private static ReplicationConfig config() {
        CloneMethod repo = new RepositoryClone();
        List<Standby> standbys = List.of("s1", "s2").stream().map(n -> Standby.named(n)
                .withDataDirectory("/srv/" + n).withCloneMethods(repo, BaseBackup.defaults())).toList();
        return new ReplicationConfig(Primary.at(Endpoint.of("p.example", 5432)).withName("p"),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(), standbys,
                Duration.ofSeconds(1), true);
    }

    @Test
    void equalContributedStepsArePlannedOnceInTheirPhase() {
        PhasedPlan plan = Planner.plan(config());

        assertThat(plan.steps(Phase.AFTER_PRIMARY)).extracting(PlanStep::node, PlanStep::title)
                .as("one repository step for both standbys")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("repohost", "repository has a backup"));
        assertThat(plan.steps(Phase.AFTER_STREAMING)).extracting(PlanStep::title)
                .containsExactly("repository watches the standbys");
        assertThat(plan.steps(Phase.VERIFICATION)).isEmpty();
        assertThat(plan.lanes(Phase.STANDBYS)).containsOnlyKeys("s1", "s2");
        for (String s : List.of("s1", "s2")) {
            List<String> titles = plan.lanes(Phase.STANDBYS).get(s).stream().map(PlanStep::title).toList();
            assertThat(titles).as("the standby's own contributed step, right before its clone")
                    .containsSubsequence("repository key is trusted", "clone /srv/" + s + " with repo-restore,"
                            + " else pg_basebackup");
            assertThat(titles.get(titles.indexOf("repository key is trusted") + 1)).startsWith("clone ");
        }
    }

    @Test
    void theRunbookShowsEachPhaseWithItsContributedStepsOnce() {
        Plan plan = Planner.plan(config()).toPlan("heading", true);
        String runbook = plan.toRunbook();

        assertThat(runbook).containsSubsequence("heading\n",
                "Phase 1 of 4: prepare the primary", "On p:", "  1. Check: primary is reachable",
                "Phase 2 of 4: once the primary is prepared, before the clones", "On repohost:",
                "repository has a backup", "       repo-tool backup --password=****",
                "Phase 3 of 4: each standby up to streaming, in parallel (steps that need nothing from the primary"
                        + " start early)", "On s1:", "repository key is trusted",
                "On s2:", "repository key is trusted",
                "Phase 4 of 4: once every standby streams", "On repohost:", "repository watches the standbys");
        assertThat(Pattern.compile("repo-tool backup").matcher(runbook).results().count()).as("planned once")
                .isEqualTo(1);
        assertThat(runbook).as("numbering runs across phases up to the last step")
                .containsPattern("(?m)^ *" + plan.steps().size() + "\\. repository watches the standbys$");
        assertThat(plan.sections()).extracting(Plan.Section::title).hasSize(4);
    }

    @Test
    void aPlanWithOnlyThePrimaryHasNoPhaseHeadings() {
        ReplicationConfig primaryOnly = new ReplicationConfig(Primary.at(Endpoint.of("p.example", 5432))
                .withName("p"), ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(), List.of(),
                Duration.ofSeconds(1), true);

        assertThat(Planner.plan(primaryOnly).toPlan("heading", true).toRunbook()).doesNotContain("Phase ")
                .contains("On p:");
    }
}
