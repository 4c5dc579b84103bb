package io.github.pgreplication;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Replication#apply()} did, step by step. A second apply on a healthy set-up reports
 * {@link #changed()} false: every change step is {@link StepOutcome.Status#ALREADY_DONE}.
 *
 * @param outcomes    every step's outcome, in plan order (standbys' steps grouped per standby)
 * @param cloneMethods per standby cloned during this apply, the clone method used and why others were not
 */
public record ApplyResult(List<StepOutcome> outcomes, Map<String, String> cloneMethods) {
    /**
     * Copies the lists.
     *
     * @param outcomes    every step's outcome, in plan order (standbys' steps grouped per standby)
     * @param cloneMethods per standby cloned during this apply, the clone method used and why others were not
     */
    public ApplyResult {
        outcomes = List.copyOf(outcomes);
        cloneMethods = Map.copyOf(cloneMethods);
    }

    /** @return the commands its steps ran on hosts, counted (see {@link StepOutcome#commands()}) */
    public int commands() {
        return outcomes.stream().mapToInt(StepOutcome::commands).sum();
    }

    /** @return the SQL statements its steps sent, counted (see {@link StepOutcome#queries()}) */
    public int queries() {
        return outcomes.stream().mapToInt(StepOutcome::queries).sum();
    }

    /** @return whether any step changed anything */
    public boolean changed() {
        return outcomes.stream().anyMatch(o -> o.status() == StepOutcome.Status.APPLIED);
    }

    /**
     * @param standby a standby's name
     * @return how it was cloned during this apply, if it was
     */
    public Optional<String> cloneMethodUsed(String standby) {
        return Optional.ofNullable(cloneMethods.get(standby));
    }

    /** @return one line per step, then a summary line */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        outcomes.forEach(o -> sb.append(o).append('\n'));
        long applied = outcomes.stream().filter(o -> o.status() == StepOutcome.Status.APPLIED).count();
        sb.append(applied == 0 ? "Nothing to change: everything was already in place."
                : applied + " step(s) applied.");
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
