package io.github.pgreplication.internal;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the plan: the primary's steps in order, then each standby's steps in order, standbys in parallel when
 * allowed. Every change step is skipped when already done, so a re-run after a failure converges.
 */
public final class Applier {
    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    private Applier() {
    }

    /**
     * @param ctx      the run
     * @param primary  the primary's steps
     * @param standbys each standby's steps
     * @return what was done
     */
    public static ApplyResult apply(ApplyContext ctx, List<Step> primary, Map<String, List<Step>> standbys) {
        List<StepOutcome> done = Collections.synchronizedList(new ArrayList<>());
        runAll(ctx, primary, done);
        if (ctx.config().parallel() && standbys.size() > 1) {
            ExecutorService pool = Executors.newFixedThreadPool(standbys.size(), r -> {
                Thread t = new Thread(r, "pgreplication-standby");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<List<StepOutcome>>> futures = new ArrayList<>();
                for (List<Step> steps : standbys.values()) {
                    futures.add(pool.submit(() -> {
                        List<StepOutcome> mine = new ArrayList<>();
                        runAll(ctx, steps, mine);
                        return mine;
                    }));
                }
                RuntimeException first = null;
                List<StepOutcome> ordered = new ArrayList<>();
                for (Future<List<StepOutcome>> f : futures) {
                    try {
                        ordered.addAll(f.get());
                    } catch (ExecutionException e) {
                        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                                : new ReplicationException(String.valueOf(e.getCause()), e.getCause());
                        if (first == null) {
                            first = cause;
                        } else {
                            first.addSuppressed(cause);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ReplicationException("interrupted while standbys were being set up", e);
                    }
                }
                if (first != null) {
                    throw first;
                }
                done.addAll(ordered);
            } finally {
                pool.shutdownNow();
            }
        } else {
            standbys.values().forEach(steps -> runAll(ctx, steps, done));
        }
        return new ApplyResult(done, ctx.cloneMethods());
    }

    private static void runAll(ApplyContext ctx, List<Step> steps, List<StepOutcome> done) {
        List<String> finished = new ArrayList<>();
        for (Step step : steps) {
            long start = System.nanoTime();
            StepOutcome outcome;
            try {
                if (step.kind() == Step.Kind.CHANGE && step.isDone(ctx)) {
                    outcome = new StepOutcome(step.node(), step.title(), StepOutcome.Status.ALREADY_DONE, "",
                            Duration.ofNanos(System.nanoTime() - start));
                } else {
                    String detail = step.run(ctx);
                    outcome = new StepOutcome(step.node(), step.title(), step.kind() == Step.Kind.CHECK
                            ? StepOutcome.Status.CHECKED : StepOutcome.Status.APPLIED, detail,
                            Duration.ofNanos(System.nanoTime() - start));
                }
            } catch (RuntimeException e) {
                String message = "Step failed on " + step.node() + ": " + step.title() + "\nCause: " + e.getMessage()
                        + "\nAlready done on " + step.node() + ": " + (finished.isEmpty() ? "nothing"
                                : String.join("; ", finished))
                        + "\nNext: fix the cause and run apply() again; steps already done are skipped.";
                throw new StepFailedException(step.title(), finished, message, e);
            }
            LOG.info("[{}] {}", step.node(), outcome);
            done.add(outcome);
            finished.add(step.title());
        }
    }
}
