package io.github.pgreplication.internal;

import io.github.pgreplication.Plan;
import io.github.pgreplication.Plan.PlanStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of a plan, per {@link Phase} and, within a phase, per lane: in {@link Phase#STANDBYS} a lane is one
 * standby's work (lanes run in parallel when allowed); in the other phases lanes are nodes, run one after the other
 * in the order they were first given a step. Steps added with a key run once per phase (per lane in
 * {@link Phase#STANDBYS}).
 */
public final class PhasedPlan {
    private final Map<Phase, Map<String, List<Step>>> lanes = new EnumMap<>(Phase.class);
    private final Set<String> keys = new HashSet<>();

    /**
     * @param phase the phase
     * @param lane  the standby in {@link Phase#STANDBYS}; elsewhere ignored (the step's node is its lane)
     * @param step  the step, after the lane's earlier steps
     * @return this
     */
    public PhasedPlan add(Phase phase, String lane, Step step) {
        String key = phase == Phase.STANDBYS ? lane : step.node();
        lanes.computeIfAbsent(phase, p -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>())
                .add(step);
        return this;
    }

    /**
     * Adds a step unless one with the same key was added to the phase (to the lane in {@link Phase#STANDBYS}).
     *
     * @param phase the phase
     * @param lane  the standby in {@link Phase#STANDBYS}; elsewhere ignored
     * @param key   what makes two steps the same
     * @param step  the step
     * @return whether it was added
     */
    public boolean addOnce(Phase phase, String lane, String key, Step step) {
        if (!keys.add(phase + "\n" + (phase == Phase.STANDBYS ? lane : "") + "\n" + key)) {
            return false;
        }
        add(phase, lane, step);
        return true;
    }

    /**
     * @param phase a phase
     * @return its lanes in order, each with its steps in order
     */
    public Map<String, List<Step>> lanes(Phase phase) {
        return Collections.unmodifiableMap(lanes.getOrDefault(phase, Map.of()));
    }

    /**
     * @param phase a phase
     * @return its steps, lane after lane
     */
    public List<Step> steps(Phase phase) {
        List<Step> out = new ArrayList<>();
        lanes(phase).values().forEach(out::addAll);
        return out;
    }

    /** @return every step, phase after phase */
    public List<Step> steps() {
        List<Step> out = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            out.addAll(steps(phase));
        }
        return out;
    }

    /**
     * @param heading  the plan's first line
     * @param parallel whether standbys are set up in parallel (said in the standbys' heading)
     * @return the public plan, one section per phase that has steps
     */
    public Plan toPlan(String heading, boolean parallel) {
        List<Plan.Section> sections = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<PlanStep> steps = new ArrayList<>(steps(phase));
            if (steps.isEmpty()) {
                continue;
            }
            String title = phase.heading();
            if (phase == Phase.STANDBYS) {
                title += parallel ? ", in parallel (steps that need nothing from the primary start early)"
                        : ", one after the other";
            }
            sections.add(new Plan.Section(title, steps));
        }
        return Plan.of(heading, sections);
    }
}
