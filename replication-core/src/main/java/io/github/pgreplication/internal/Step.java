package io.github.pgreplication.internal;

import io.github.pgreplication.Plan.PlanStep;
import java.util.List;

/** A plan step that knows how to tell whether it is done, and how to do it. */
public abstract class Step implements PlanStep {
    private final String node;
    private final String title;
    private final Kind kind;
    private final List<String> runbook;

    /**
     * @param node    node name as shown in the plan
     * @param title   one-line description
     * @param kind    change or check
     * @param runbook manual equivalent
     */
    protected Step(String node, String title, Kind kind, List<String> runbook) {
        this.node = node;
        this.title = title;
        this.kind = kind;
        this.runbook = List.copyOf(runbook);
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public List<String> runbook() {
        return runbook;
    }

    /**
     * @param ctx the run
     * @return whether the work is already done (checks return false)
     */
    public abstract boolean isDone(ApplyContext ctx);

    /**
     * @return whether this step needs the primary's steps done first; a standby's leading steps that do not (its
     *         passfile, the check of its data directory and its mode) run while the primary is being configured
     */
    public boolean needsPrimary() {
        return true;
    }

    /**
     * @return whether this step, one of a standby's leading steps that need nothing from the primary, also needs
     *         nothing from the steps beside it and none of them needs it (its passfile, beside the look at its data
     *         directory): the runner may run it on another thread at the same time as them
     */
    public boolean runsBeside() {
        return false;
    }

    /**
     * Called by {@code apply()}'s runner once the primary's checks passed, before the steps that precede this one on
     * the same node run: a step may start here what it will need and what takes a while on another channel (a
     * file's look on the host while the steps before it talk SQL), counting it into its own round trips when it
     * uses it. It must change nothing, and a failure here must only mean the step does its work the usual way.
     *
     * @param ctx the run
     */
    public void prefetch(ApplyContext ctx) {
    }

    /**
     * @param failure what {@link #run} or {@link #isDone} threw
     * @return the failure's account in the step's error message; by default its message
     */
    public String describeFailure(RuntimeException failure) {
        return failure.getMessage();
    }

    /**
     * @param ctx the run
     * @return a short detail for the outcome, may be empty
     */
    public abstract String run(ApplyContext ctx);
}
