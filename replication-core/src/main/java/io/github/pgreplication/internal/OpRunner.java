package io.github.pgreplication.internal;

import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation's steps in order, skipping those already done. On failure it throws a
 * {@link StepFailedException} whose cause is the typed exception, and whose message says what was done, where
 * every server stands now (each asked at once), and what to run next.
 */
public final class OpRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OpRunner.class);

    private OpRunner() {
    }

    /**
     * @param operation how to name it in messages, e.g. {@code switchover to eshub}
     * @param steps     the steps
     * @param where     describes every server's state, asked when a step fails
     * @param rerun     the call that resumes it, e.g. {@code replication.switchover(Switchover.to("eshub"))}
     * @return what each step did
     */
    public static List<StepOutcome> run(String operation, List<OpStep> steps, Supplier<String> where, String rerun) {
        List<StepOutcome> done = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        for (OpStep step : steps) {
            StepOutcome outcome;
            try {
                outcome = StepRun.run(step, null);
            } catch (OperationRefusedException e) {
                if (done.stream().allMatch(o -> o.status() == StepOutcome.Status.CHECKED)) {
                    throw e; // refused before anything changed: the refusal itself is the answer
                }
                throw failed(operation, step, finished, e, where, rerun);
            } catch (RuntimeException e) {
                throw failed(operation, step, finished, e, where, rerun);
            }
            LOG.info("[{}] {}", step.node(), outcome);
            done.add(outcome);
            finished.add(step.node() + ": " + step.title());
        }
        return done;
    }

    private static StepFailedException failed(String operation, OpStep step, List<String> finished,
            RuntimeException e, Supplier<String> where, String rerun) {
        String state;
        try {
            state = where.get();
        } catch (RuntimeException other) {
            state = "(could not be asked: " + other.getMessage() + ")";
        }
        String next = step.next() != null ? step.next()
                : "fix the cause and run " + rerun + " again: steps already done are skipped.";
        String message = operation + " failed on " + step.node() + ": " + step.title() + "\nCause: " + e.getMessage()
                + "\nAlready done: " + (finished.isEmpty() ? "nothing" : String.join("; ", finished))
                + "\nWhere every server stands now:\n" + state + "\nNext: " + next;
        return new StepFailedException(step.title(), finished, message, e);
    }
}
