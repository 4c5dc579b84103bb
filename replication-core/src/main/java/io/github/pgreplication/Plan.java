package io.github.pgreplication;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ordered steps {@link Replication#apply()} will take, computed without touching any server, in phases (the
 * primary's preparation, what comes after it, each standby's work, what needs every standby streaming, final
 * checks). {@link #toRunbook()} renders them as text a person could follow by hand; secrets appear as {@code ****}.
 *
 * <pre>{@code
 * System.out.println(replication.plan().toRunbook());
 * }</pre>
 */
public final class Plan {
    private final String heading;
    private final List<Section> sections;
    private final List<PlanStep> steps;

    /**
     * One phase of a plan.
     *
     * @param title what the phase does, e.g. {@code prepare the primary}; empty for a plan without phases
     * @param steps its steps, in order
     */
    public record Section(String title, List<PlanStep> steps) {
        /**
         * Checks and copies.
         *
         * @param title what the phase does, e.g. {@code prepare the primary}; empty for a plan without phases
         * @param steps its steps, in order
         */
        public Section {
            Objects.requireNonNull(title, "title");
            steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        }
    }

    /**
     * @param heading one line describing the topology
     * @param steps the steps in order, in one section
     */
    public Plan(String heading, List<PlanStep> steps) {
        this(List.of(new Section("", steps)), heading);
    }

    private Plan(List<Section> sections, String heading) {
        this.heading = Objects.requireNonNull(heading, "heading");
        this.sections = List.copyOf(sections);
        List<PlanStep> all = new ArrayList<>();
        this.sections.forEach(s -> all.addAll(s.steps()));
        this.steps = List.copyOf(all);
    }

    /**
     * @param heading  one line describing the topology
     * @param sections the phases in order, each with its steps
     * @return the plan
     */
    public static Plan of(String heading, List<Section> sections) {
        return new Plan(Objects.requireNonNull(sections, "sections"), heading);
    }

    /** @return every step in the order of the phases: the primary's first, then each standby's in order */
    public List<PlanStep> steps() {
        return steps;
    }

    /** @return the phases, each with its steps */
    public List<Section> sections() {
        return sections;
    }

    /**
     * @return the plan as a runbook: steps numbered across the whole plan, grouped by node, under a heading per
     *         phase when there is more than one
     */
    public String toRunbook() {
        StringBuilder sb = new StringBuilder(heading).append('\n');
        List<Section> shown = sections.stream().filter(s -> !s.steps().isEmpty()).toList();
        int n = 0;
        for (int i = 0; i < shown.size(); i++) {
            Section section = shown.get(i);
            String node = null;
            if (shown.size() > 1) {
                sb.append('\n').append("Phase ").append(i + 1).append(" of ").append(shown.size())
                        .append(section.title().isEmpty() ? "" : ": " + section.title()).append('\n');
            }
            for (PlanStep step : section.steps()) {
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
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toRunbook();
    }

    /** One step of a {@link Plan}: what it does, on which node, and how a person would do it by hand. */
    public interface PlanStep {
        /** Whether a step changes something or only checks. */
        enum Kind {
            /** Changes the system; skipped when already done. */
            CHANGE,
            /** Only checks; always runs. */
            CHECK
        }

        /** @return the node the step acts on */
        String node();

        /** @return a one-line description */
        String title();

        /** @return whether it changes or checks */
        Kind kind();

        /** @return commands or SQL a person would type, one per line, secrets as {@code ****} */
        List<String> runbook();
    }
}
