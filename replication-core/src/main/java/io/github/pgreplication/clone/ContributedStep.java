package io.github.pgreplication.clone;

import io.github.pgreplication.Plan.PlanStep;
import java.util.List;
import java.util.Objects;

/**
 * A step that a {@link CloneMethod} adds to the plan of {@code apply()}, on any node and in any phase: it is listed
 * in the runbook, skipped when {@link #isDone()}, and reported with an outcome of its own. Steps contributed for
 * several standbys that have the same {@link #key()} in the same phase run once; pgBackRest's stanza-create, check
 * and first backup on the repository host is one such step, shared by every standby restored from it.
 *
 * <pre>{@code
 * public List<ContributedStep> contributedSteps(CloneContext context) {
 *     return List.of(new ContributedStep(ContributedStep.Phase.AFTER_PRIMARY, "eshua", "repository is ready",
 *             List.of("pgbackrest --stanza=psql check")) {
 *         public boolean isDone() { return repositoryReady(); }
 *         public String run() { prepareRepository(); return "prepared"; }
 *     });
 * }
 * }</pre>
 */
public abstract class ContributedStep implements PlanStep {
    /** When a contributed step runs, relative to the steps of {@code apply()} itself. */
    public enum Phase {
        /** With the primary's preparation, after the primary's own steps. */
        PRIMARY,
        /** Once the primary is prepared, before any standby is cloned (a repository's stanza and backup). */
        AFTER_PRIMARY,
        /** In the contributing standby's own work, in parallel with the other standbys, right before its clone. */
        STANDBY,
        /** Once every standby streams. */
        AFTER_STREAMING,
        /** Last, with the final checks. */
        VERIFICATION
    }

    private final Phase phase;
    private final String node;
    private final String title;
    private final Kind kind;
    private final List<String> runbook;

    /**
     * A step that changes something and is skipped when {@link #isDone()}.
     *
     * @param phase   when it runs
     * @param node    the name of the node it acts on, as shown in the plan
     * @param title   a one-line description
     * @param runbook the commands a person would type, one per line, secrets as {@code ****}
     */
    protected ContributedStep(Phase phase, String node, String title, List<String> runbook) {
        this(phase, node, title, Kind.CHANGE, runbook);
    }

    /**
     * @param phase   when it runs
     * @param node    the name of the node it acts on, as shown in the plan
     * @param title   a one-line description
     * @param kind    {@link Kind#CHANGE} (skipped when done) or {@link Kind#CHECK} (always runs)
     * @param runbook the commands a person would type, one per line, secrets as {@code ****}
     */
    protected ContributedStep(Phase phase, String node, String title, Kind kind, List<String> runbook) {
        this.phase = Objects.requireNonNull(phase, "phase");
        this.node = Objects.requireNonNull(node, "node");
        this.title = Objects.requireNonNull(title, "title");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.runbook = List.copyOf(Objects.requireNonNull(runbook, "runbook"));
    }

    /** @return when it runs */
    public final Phase phase() {
        return phase;
    }

    @Override
    public final String node() {
        return node;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final Kind kind() {
        return kind;
    }

    @Override
    public final List<String> runbook() {
        return runbook;
    }

    /**
     * @return what makes two contributed steps the same step, which then runs once; by default the node, the
     *         title and the runbook lines (so the same work on the same node, described the same way)
     */
    public String key() {
        return node + '\n' + title + '\n' + String.join("\n", runbook);
    }

    /** @return whether the work is already done, so the step is skipped (not asked for checks) */
    public abstract boolean isDone();

    /**
     * Does the work.
     *
     * @return a short detail for the step's outcome, may be empty
     * @throws io.github.pgreplication.ReplicationException with an actionable message on failure; {@code apply()}
     *                                                      reports it as the cause of its step failure
     */
    public abstract String run();

    @Override
    public String toString() {
        return phase + " " + node + ": " + title;
    }
}
