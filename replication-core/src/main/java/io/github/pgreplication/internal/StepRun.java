package io.github.pgreplication.internal;

import io.github.pgreplication.StepOutcome;
import java.time.Duration;

/**
 * Runs one step as both runners do (apply()'s {@link Applier}, the operations' {@link OpRunner}): a change already
 * done is skipped, anything else runs; what it took is timed and its round trips counted ({@link RoundTrips}).
 */
final class StepRun {
    private StepRun() {
    }

    /**
     * @param step the step
     * @param ctx  the run it belongs to (ignored by operation steps)
     * @return what it did
     * @throws RuntimeException what the step threw
     */
    static StepOutcome run(Step step, ApplyContext ctx) {
        return run(step, ctx, () -> { });
    }

    /**
     * @param step         the step
     * @param ctx          the run it belongs to (ignored by operation steps)
     * @param beforeChange run after a change step found it is not done and before it acts (a wait for what must
     *                     hold before anything changes); may throw to stop the step unchanged
     * @return what it did
     * @throws RuntimeException what the step or {@code beforeChange} threw
     */
    static StepOutcome run(Step step, ApplyContext ctx, Runnable beforeChange) {
        long start = System.nanoTime();
        RoundTrips.Tally tally = new RoundTrips.Tally();
        String[] detail = {""};
        StepOutcome.Status status = RoundTrips.within(tally, () -> {
            if (step.kind() == Step.Kind.CHANGE && step.isDone(ctx)) {
                return StepOutcome.Status.ALREADY_DONE;
            }
            if (step.kind() == Step.Kind.CHANGE) {
                beforeChange.run();
            }
            detail[0] = step.run(ctx);
            return step.kind() == Step.Kind.CHECK ? StepOutcome.Status.CHECKED : StepOutcome.Status.APPLIED;
        });
        return new StepOutcome(step.node(), step.title(), status, detail[0] == null ? "" : detail[0],
                Duration.ofNanos(System.nanoTime() - start), tally.commands(), tally.queries(), tally.polls());
    }
}
