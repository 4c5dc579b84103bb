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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the plan: the primary's steps in order, then each standby's steps in order, standbys in parallel when
 * allowed. In parallel mode, once the primary's leading checks passed (so nothing changes anywhere before the primary
 * is known to be usable), each standby's leading steps that need nothing from the primary (its passfile, the check of
 * its data directory) run while the primary is being configured; the rest waits for the primary. Every change step
 * is skipped when already done, so a re-run after a failure converges.
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
        if (!ctx.config().parallel() || standbys.isEmpty()) {
            runAll(ctx, primary, done, new ArrayList<>());
            standbys.values().forEach(steps -> runAll(ctx, steps, done, new ArrayList<>()));
            return new ApplyResult(done, ctx.cloneMethods());
        }
        List<String> primaryFinished = new ArrayList<>();
        int checks = leading(primary, s -> s.kind() == Step.Kind.CHECK);
        runAll(ctx, primary.subList(0, checks), done, primaryFinished);
        List<Step> primaryChanges = primary.subList(checks, primary.size());
        CompletableFuture<Void> primaryDone = new CompletableFuture<>();
        ExecutorService pool = Executors.newFixedThreadPool(standbys.size(), r -> {
            Thread t = new Thread(r, "pgreplication-standby");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<StepOutcome>>> futures = new ArrayList<>();
            for (List<Step> steps : standbys.values()) {
                int split = leading(steps, s -> !s.needsPrimary());
                List<Step> before = steps.subList(0, split);
                List<Step> after = steps.subList(split, steps.size());
                futures.add(pool.submit(() -> {
                    List<StepOutcome> mine = new ArrayList<>();
                    List<String> finished = new ArrayList<>();
                    runAll(ctx, before, mine, finished);
                    try {
                        primaryDone.join();
                    } catch (CompletionException e) {
                        return mine; // the primary failed: its error is the one reported
                    }
                    runAll(ctx, after, mine, finished);
                    return mine;
                }));
            }
            try {
                runAll(ctx, primaryChanges, done, primaryFinished);
            } catch (RuntimeException e) {
                primaryDone.completeExceptionally(e);
                // Nothing goes on behind the caller's back: the standbys' early steps finish, and stop there.
                List<String> meanwhile = new ArrayList<>();
                for (Future<List<StepOutcome>> f : futures) {
                    try {
                        f.get().forEach(o -> meanwhile.add(o.node() + ": " + o.title()));
                    } catch (ExecutionException other) {
                        e.addSuppressed(other.getCause());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (e instanceof StepFailedException failed && !meanwhile.isEmpty()) {
                    StepFailedException told = new StepFailedException(failed.step(), failed.alreadyDone(),
                            failed.getMessage() + "\nMeanwhile on the standbys (steps that need nothing from the"
                                    + " primary): " + String.join("; ", meanwhile), failed.getCause());
                    for (Throwable suppressed : failed.getSuppressed()) {
                        told.addSuppressed(suppressed);
                    }
                    throw told;
                }
                throw e;
            }
            primaryDone.complete(null);
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
        return new ApplyResult(done, ctx.cloneMethods());
    }

    /** @return how many steps at the start of {@code steps} satisfy {@code condition} */
    private static int leading(List<Step> steps, Predicate<Step> condition) {
        int n = 0;
        while (n < steps.size() && condition.test(steps.get(n))) {
            n++;
        }
        return n;
    }

    private static void runAll(ApplyContext ctx, List<Step> steps, List<StepOutcome> done, List<String> finished) {
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
