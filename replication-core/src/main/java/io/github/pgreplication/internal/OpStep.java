package io.github.pgreplication.internal;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A step of an operation on a running set-up (switchover, failover, rejoin, removal): a plan line with the
 * commands a person would type, a test of whether it is already done, the work, and what to run next if it fails.
 * What it needs (clients, what earlier steps learned) it captures when built, so it ignores the apply context.
 */
public final class OpStep extends Step {
    private final BooleanSupplier done;
    private final Supplier<String> work;
    private final String next;

    private OpStep(String node, String title, Kind kind, List<String> runbook, BooleanSupplier done,
            Supplier<String> work, String next) {
        super(node, title, kind, runbook);
        this.done = done;
        this.work = work;
        this.next = next;
    }

    /**
     * @param node    where it acts
     * @param title   one line
     * @param runbook the manual equivalent
     * @param done    whether it is already done
     * @param work    the work; returns a short detail
     * @return a change step
     */
    public static OpStep change(String node, String title, List<String> runbook, BooleanSupplier done,
            Supplier<String> work) {
        return new OpStep(node, title, Kind.CHANGE, runbook, done, work, null);
    }

    /**
     * @param node    where it looks
     * @param title   one line
     * @param runbook the manual equivalent
     * @param work    the check; throws when it does not hold, returns a short detail
     * @return a check step
     */
    public static OpStep check(String node, String title, List<String> runbook, Supplier<String> work) {
        return new OpStep(node, title, Kind.CHECK, runbook, () -> false, work, null);
    }

    /**
     * @param step a step of apply(), run against the given context
     * @param ctx  the context it runs in (for example the new primary's)
     * @return it as an operation step
     */
    public static OpStep of(Step step, ApplyContext ctx) {
        return new OpStep(step.node(), step.title(), step.kind(), step.runbook(), () -> step.kind() == Kind.CHANGE
                && step.isDone(ctx), () -> step.run(ctx), null);
    }

    /**
     * @param hint what to run next when this step fails
     * @return a copy
     */
    public OpStep withNext(String hint) {
        return new OpStep(node(), title(), kind(), runbook(), done, work, hint);
    }

    /** @return whether it is already done */
    boolean isDone() {
        return done.getAsBoolean();
    }

    /** @return a short detail of what it did */
    String run() {
        return work.get();
    }

    @Override
    public boolean isDone(ApplyContext ignored) {
        return isDone();
    }

    @Override
    public String run(ApplyContext ignored) {
        return run();
    }

    /** @return what to run next when it fails, or null for the generic advice */
    String next() {
        return next;
    }
}
