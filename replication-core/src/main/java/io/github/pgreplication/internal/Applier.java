package io.github.pgreplication.internal;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * Runs a {@link PhasedPlan} phase after phase: the primary's preparation, what comes after it, each standby's work
 * (standbys in parallel when allowed), what needs every standby streaming, the final checks. In parallel mode,
 * each standby's leading steps that need nothing from the primary (its passfile, the check of its data directory
 * and its mode) run while the primary is being checked and prepared and the phase after it runs; the rest waits for
 * both. Nothing changes anywhere before the primary is known to be usable: until its checks passed, those steps only
 * look (a check, or a change finding out whether it is done), and the first that would act waits.
 * Every change step is skipped when already done, so a re-run after a failure converges.
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
        PhasedPlan plan = new PhasedPlan();
        primary.forEach(step -> plan.add(Phase.PRIMARY, step.node(), step));
        standbys.forEach((name, steps) -> steps.forEach(step -> plan.add(Phase.STANDBYS, name, step)));
        return apply(ctx, plan);
    }

    /**
     * @param ctx  the run
     * @param plan the steps, per phase
     * @return what was done, in plan order
     */
    public static ApplyResult apply(ApplyContext ctx, PhasedPlan plan) {
        List<StepOutcome> done = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<String>> finished = new HashMap<>();
        List<Step> primary = plan.steps(Phase.PRIMARY);
        List<Step> afterPrimary = plan.steps(Phase.AFTER_PRIMARY);
        Map<String, List<Step>> standbys = plan.lanes(Phase.STANDBYS);
        int checks = leading(primary, s -> s.kind() == Step.Kind.CHECK);
        List<Step> primaryChecks = primary.subList(0, checks);
        List<Step> beforeClones = new ArrayList<>(primary.subList(checks, primary.size()));
        beforeClones.addAll(afterPrimary);
        if (!ctx.config().parallel() || standbys.isEmpty()) {
            runAll(ctx, primaryChecks, done, finished);
            prefetch(ctx, beforeClones);
            runAll(ctx, beforeClones, done, finished);
            standbys.values().forEach(steps -> runAll(ctx, steps, done, new HashMap<>()));
        } else {
            done.addAll(standbysInParallel(ctx, primaryChecks, beforeClones, standbys, done, finished));
        }
        runAll(ctx, plan.steps(Phase.AFTER_STREAMING), done, finished);
        runAll(ctx, plan.steps(Phase.VERIFICATION), done, finished);
        return new ApplyResult(done, ctx.cloneMethods());
    }

    /**
     * Runs the standbys' leading steps that need nothing from the primary while the primary's checks and then
     * {@code beforeClones} run here, then the rest of each standby's steps. Until the primary's checks passed, those
     * leading steps only look (a check, or a change finding out whether it is done): the first change waits for them.
     *
     * @return the standbys' outcomes, standby after standby
     */
    private static List<StepOutcome> standbysInParallel(ApplyContext ctx, List<Step> primaryChecks,
            List<Step> beforeClones, Map<String, List<Step>> standbys, List<StepOutcome> done,
            Map<String, List<String>> finished) {
        CompletableFuture<Void> primaryChecked = new CompletableFuture<>();
        CompletableFuture<Void> primaryDone = new CompletableFuture<>();
        Runnable afterChecks = () -> {
            try {
                primaryChecked.join();
            } catch (CompletionException e) {
                throw new PrimaryFailed();
            }
        };
        // A thread per standby, and one per standby for the leading steps that run beside the others.
        ExecutorService pool = Executors.newFixedThreadPool(2 * standbys.size(), r -> {
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
                    List<StepOutcome> mine = Collections.synchronizedList(new ArrayList<>());
                    Map<String, List<String>> mineFinished = new java.util.concurrent.ConcurrentHashMap<>();
                    try {
                        runLeading(ctx, pool, before, mine, mineFinished, afterChecks);
                    } catch (PrimaryFailed e) {
                        return mine; // the primary's checks failed: their error is the one reported
                    }
                    try {
                        primaryDone.join();
                    } catch (CompletionException e) {
                        return mine; // the primary failed: its error is the one reported
                    }
                    runAll(ctx, after, mine, mineFinished);
                    return mine;
                }));
            }
            try {
                try {
                    runAll(ctx, primaryChecks, done, finished);
                } catch (RuntimeException e) {
                    primaryChecked.completeExceptionally(e);
                    throw e;
                }
                primaryChecked.complete(null);
                prefetch(ctx, beforeClones);
                runAll(ctx, beforeClones, done, finished);
            } catch (RuntimeException e) {
                primaryDone.completeExceptionally(e);
                throw withMeanwhile(e, futures);
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
            return ordered;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Nothing goes on behind the caller's back: the standbys' early steps finish, and stop there; when one of them
     * changed something, the failure lists them.
     */
    private static RuntimeException withMeanwhile(RuntimeException e, List<Future<List<StepOutcome>>> futures) {
        List<String> meanwhile = new ArrayList<>();
        boolean[] changed = {false};
        for (Future<List<StepOutcome>> f : futures) {
            try {
                f.get().forEach(o -> {
                    meanwhile.add(o.node() + ": " + o.title());
                    changed[0] |= o.status() == StepOutcome.Status.APPLIED;
                });
            } catch (ExecutionException other) {
                e.addSuppressed(other.getCause());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // Looks alone (the checks, and changes found done, while the primary was being checked) are not told.
        if (e instanceof StepFailedException failed && changed[0]) {
            StepFailedException told = new StepFailedException(failed.step(), failed.alreadyDone(),
                    failed.getMessage() + "\nMeanwhile on the standbys (steps that need nothing from the"
                            + " primary): " + String.join("; ", meanwhile), failed.getCause());
            for (Throwable suppressed : failed.getSuppressed()) {
                told.addSuppressed(suppressed);
            }
            return told;
        }
        return e;
    }

    /** @return how many steps at the start of {@code steps} satisfy {@code condition} */
    private static int leading(List<Step> steps, Predicate<Step> condition) {
        int n = 0;
        while (n < steps.size() && condition.test(steps.get(n))) {
            n++;
        }
        return n;
    }

    /**
     * Runs a standby's leading steps: those that {@link Step#runsBeside run beside} the others on another thread,
     * the rest here in order; returns once all ended, their outcomes in plan order.
     */
    private static void runLeading(ApplyContext ctx, ExecutorService pool, List<Step> steps, List<StepOutcome> done,
            Map<String, List<String>> finished, Runnable beforeChange) {
        List<Step> beside = steps.stream().filter(Step::runsBeside).toList();
        if (beside.isEmpty() || beside.size() == steps.size()) {
            runAll(ctx, steps, done, finished, beforeChange);
            return;
        }
        List<StepOutcome> besideDone = Collections.synchronizedList(new ArrayList<>());
        Future<?> besideRun = pool.submit(() -> runAll(ctx, beside, besideDone, finished, beforeChange));
        List<StepOutcome> chainDone = new ArrayList<>();
        RuntimeException failure = null;
        try {
            runAll(ctx, steps.stream().filter(s -> !s.runsBeside()).toList(), chainDone, finished, beforeChange);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            besideRun.get();
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                    : new ReplicationException(String.valueOf(e.getCause()), e.getCause());
            if (failure == null || failure instanceof PrimaryFailed) {
                failure = cause;
            } else if (!(cause instanceof PrimaryFailed)) {
                failure.addSuppressed(cause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("interrupted while a standby was being set up", e);
        }
        for (Step step : steps) { // in plan order
            (step.runsBeside() ? besideDone : chainDone).stream().filter(o -> o.title().equals(step.title()))
                    .findFirst().ifPresent(done::add);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Lets the steps about to run start, on other channels, what they will need ({@link Step#prefetch}). */
    private static void prefetch(ApplyContext ctx, List<Step> steps) {
        steps.forEach(step -> step.prefetch(ctx));
    }

    /** Thrown into a standby's lane when the primary's checks failed, before the lane changed anything. */
    private static final class PrimaryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PrimaryFailed() {
            super("the primary's checks failed", null, false, false);
        }
    }

    /**
     * @param finished per node, the titles of its steps done so far in this lane (for failure messages)
     */
    private static void runAll(ApplyContext ctx, List<Step> steps, List<StepOutcome> done,
            Map<String, List<String>> finished) {
        runAll(ctx, steps, done, finished, () -> { });
    }

    /**
     * @param finished     per node, the titles of its steps done so far in this lane (for failure messages)
     * @param beforeChange what must hold before a change step acts ({@link StepRun#run(Step, ApplyContext, Runnable)})
     */
    private static void runAll(ApplyContext ctx, List<Step> steps, List<StepOutcome> done,
            Map<String, List<String>> finished, Runnable beforeChange) {
        for (Step step : steps) {
            List<String> doneOnNode = finished.computeIfAbsent(step.node(),
                    n -> Collections.synchronizedList(new ArrayList<>()));
            StepOutcome outcome;
            try {
                outcome = StepRun.run(step, ctx, beforeChange);
            } catch (PrimaryFailed e) {
                throw e;
            } catch (RuntimeException e) {
                String message = "Step failed on " + step.node() + ": " + step.title() + "\nCause: "
                        + step.describeFailure(e) + "\nAlready done on " + step.node() + ": "
                        + (doneOnNode.isEmpty() ? "nothing" : String.join("; ", doneOnNode))
                        + "\nNext: fix the cause and run apply() again; steps already done are skipped.";
                throw new StepFailedException(step.title(), doneOnNode, message, e);
            }
            LOG.info("[{}] {}", step.node(), outcome);
            done.add(outcome);
            doneOnNode.add(step.title());
        }
    }

}
