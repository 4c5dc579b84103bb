package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.ContributedStep;

/**
 * The plan of a standby-side join: each standby's own steps only, nothing on the primary. Passfile, data directory
 * check and mode, a replication connection (the primary's refusals said with their fix), the slot when one was
 * asked for, the clone methods' own standby steps, the clone with fallback, postgresql.auto.conf, then, unless the
 * caller starts PostgreSQL itself, start and a standby-side verification.
 */
public final class JoinPlanner {
    private JoinPlanner() {
    }

    /**
     * @param config the description; its primary is only an address
     * @param start  whether the plan starts and verifies the standbys
     * @return the steps, all in {@link Phase#STANDBYS}
     */
    public static PhasedPlan plan(ReplicationConfig config, boolean start) {
        PhasedPlan plan = new PhasedPlan();
        for (Standby s : config.standbys()) {
            CloneContext context = context(config, s);
            String lane = s.name();
            if (config.role().hasPassword()) {
                plan.add(Phase.STANDBYS, lane, new PassfileStep(s, java.util.List.of(config.primary().endpoint()), config.role()));
            }
            DataDirectoryStep directory = new DataDirectoryStep(s);
            DataDirectoryModeStep mode = new DataDirectoryModeStep(s, directory);
            plan.add(Phase.STANDBYS, lane, directory);
            plan.add(Phase.STANDBYS, lane, mode);
            plan.add(Phase.STANDBYS, lane, new ReplicationAccessStep(s, context));
            if (s.slotName() != null) {
                plan.add(Phase.STANDBYS, lane, new JoinSlotStep(s, context));
            }
            for (CloneMethod method : s.cloneMethods()) {
                for (ContributedStep contributed : method.contributedSteps(context)) {
                    // Only the standby's own: steps for the primary or the repository host are theirs to run.
                    if (contributed.phase() == ContributedStep.Phase.STANDBY) {
                        ContributedStepRunner step = new ContributedStepRunner(contributed);
                        plan.addOnce(Phase.STANDBYS, lane, step.key(), step);
                    }
                }
            }
            plan.add(Phase.STANDBYS, lane, new CloneStep(s, context, directory, mode));
            plan.add(Phase.STANDBYS, lane, new StandbyConfigStep(s, context));
            if (start) {
                plan.add(Phase.STANDBYS, lane, new StartStandbyStep(s));
                plan.add(Phase.STANDBYS, lane, new JoinVerifyStep(s));
            }
        }
        return plan;
    }

    /** @return the clone context: the slot asked for, or none (empty) */
    static CloneContext context(ReplicationConfig config, Standby s) {
        return new CloneContext(s, config.primary(), config.role(), s.slotName() != null ? s.effectiveSlotName() : "");
    }
}
