package io.github.pgreplication;

import java.util.List;

/**
 * The ordered steps {@link Replication#apply()} will take, computed without touching any server.
 * {@link #toRunbook()} renders them as text a person could follow by hand; secrets appear as {@code ****}.
 *
 * <pre>{@code
 * System.out.println(replication.plan().toRunbook());
 * }</pre>
 */
public final class Plan {
    private final String heading;
    private final List<PlanStep> steps;

    /** @param heading one line describing the topology @param steps the steps in order */
    public Plan(String heading, List<PlanStep> steps) {
        this.heading = heading;
        this.steps = List.copyOf(steps);
    }

    /** @return the steps, primary first, then each standby's in order */
    public List<PlanStep> steps() {
        return steps;
    }

    /** @return the plan as a numbered runbook grouped by node */
    public String toRunbook() {
        StringBuilder sb = new StringBuilder(heading).append('\n');
        String node = null;
        int n = 0;
        for (PlanStep step : steps) {
            if (!step.node().equals(node)) {
                node = step.node();
                sb.append('\n').append("On ").append(node).append(":\n");
            }
            n++;
            sb.append(String.format("%3d. %s%s%n", n, step.kind() == PlanStep.Kind.CHECK ? "Check: " : "",
                    step.title()));
            for (String line : step.runbook()) {
                sb.append("       ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toRunbook();
    }
}
