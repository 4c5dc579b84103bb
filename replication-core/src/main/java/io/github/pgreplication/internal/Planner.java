package io.github.pgreplication.internal;

import io.github.pgreplication.Primary;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.ContributedStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated description into a {@link PhasedPlan}: the primary's steps, then each standby's, plus the steps
 * the standbys' clone methods contribute (equal ones once), each in its phase. A cascading standby's steps follow
 * its upstream's in the same lane.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * @param config the description
     * @return every step of {@code apply()}, per phase
     */
    public static PhasedPlan plan(ReplicationConfig config) {
        PhasedPlan plan = new PhasedPlan();
        primarySteps(config).forEach(step -> plan.add(Phase.PRIMARY, config.primary().name(), step));
        Map<String, List<Step>> standbySteps = standbySteps(config);
        // A cascading standby is set up in its upstream's lane, after it: the upstream streams, its pg_hba.conf
        // admits the standbys that stream from it and their slots exist there before they are cloned from it.
        for (Standby s : config.treeOrder()) {
            String lane = laneOf(config, s);
            List<Step> own = standbySteps.get(s.name());
            CloneContext context = new CloneContext(s, config.sourceOf(s), config.role(), s.effectiveSlotName());
            List<ContributedStepRunner> beforeClone = new ArrayList<>();
            for (CloneMethod method : s.cloneMethods()) {
                for (ContributedStep contributed : method.contributedSteps(context)) {
                    ContributedStepRunner step = new ContributedStepRunner(contributed);
                    Phase phase = Phase.of(contributed.phase());
                    if (phase == Phase.STANDBYS) {
                        beforeClone.add(step);
                    } else {
                        plan.addOnce(phase, lane, step.key(), step);
                    }
                }
            }
            for (Step step : own) {
                if (step instanceof CloneStep) {
                    // Once per standby, as when each had a lane of its own.
                    beforeClone.forEach(b -> plan.addOnce(Phase.STANDBYS, lane, s.name() + "\n" + b.key(), b));
                }
                plan.add(Phase.STANDBYS, lane, step);
            }
            upstreamSteps(config, s).forEach(step -> plan.add(Phase.STANDBYS, lane, step));
        }
        if (config.syncPolicy().synchronous()) {
            // Once every standby streams: no write on the primary waits for a standby during the clones.
            String p = config.primary().name();
            plan.add(Phase.AFTER_STREAMING, p, SyncPolicyStep.of(config, p, "every standby streams"));
            plan.add(Phase.AFTER_STREAMING, p, SyncStateStep.of(p, config, config.streamingTimeout()));
        }
        return plan;
    }

    /**
     * @param config the description
     * @return the primary's steps, in order
     */
    public static List<Step> primarySteps(ReplicationConfig config) {
        Primary p = config.primary();
        String node = p.name();
        List<Step> steps = new ArrayList<>();
        steps.add(new CheckPrimaryStep(node));
        steps.add(new RoleStep(node, config.role()));
        Map<String, String> settings = new LinkedHashMap<>(config.settings().asMap());
        if (p.node().tls().serves()) {
            steps.add(new TlsFilesStep(p.node()));
            settings.putAll(TlsRules.serverSettings(p.node().tls().server())); // ssl is reloadable: no restart
        }
        if (!settings.isEmpty()) {
            steps.add(new SettingsStep(node, settings, p.service()));
        }
        if (p.node().tls().serves()) {
            steps.add(new TlsVerifyStep(p));
        }
        if (!config.hbaRules().isEmpty()) {
            steps.add(new HbaStep(node, TlsRules.written(p, config.hbaRules()), p.node().tls().serves()));
        }
        for (Standby s : config.childrenOf(node)) {
            steps.add(new SlotStep(node, s.effectiveSlotName(), s.name()));
        }
        return steps;
    }

    /**
     * @param config   the description
     * @param upstream a standby
     * @return what its cascading standbys need on it once it streams: its pg_hba block (a standby reads its own
     *         pg_hba.conf, not the primary's; a clone copied the primary's when it lies in the data directory, and
     *         then this step only checks it), and a slot per standby; none when nothing streams from it
     */
    static List<Step> upstreamSteps(ReplicationConfig config, Standby upstream) {
        List<Standby> children = config.childrenOf(upstream.name());
        List<Step> steps = new ArrayList<>();
        if (children.isEmpty()) {
            return steps;
        }
        if (!config.hbaRules().isEmpty()) {
            steps.add(new HbaStep(upstream.name(), TlsRules.written(Primary.of(upstream.node()), config.hbaRules()),
                    upstream.node().tls().serves()));
        }
        children.forEach(c -> steps.add(new SlotStep(upstream.name(), c.effectiveSlotName(), c.name())));
        return steps;
    }

    /** @return the lane a standby is set up in: its own, or for a cascading standby its topmost upstream's */
    static String laneOf(ReplicationConfig config, Standby standby) {
        List<Standby> chain = config.chain(standby);
        return chain.get(chain.size() - 1).name();
    }

    /**
     * @param config the description
     * @return each standby's steps, in order, keyed by standby name
     */
    public static Map<String, List<Step>> standbySteps(ReplicationConfig config) {
        Map<String, List<Step>> out = new LinkedHashMap<>();
        for (Standby s : config.standbys()) {
            CloneContext context = new CloneContext(s, config.sourceOf(s), config.role(), s.effectiveSlotName());
            List<Step> steps = new ArrayList<>();
            if (s.node().tls().serves()) {
                // Its CA may be the root certificate its clone checks the primary with, and it serves TLS once it
                // becomes the primary: first, while the primary is being configured.
                steps.add(new TlsFilesStep(s.node()));
            }
            if (config.role().hasPassword()) {
                steps.add(PassfileStep.of(s, config));
            }
            DataDirectoryStep directory = new DataDirectoryStep(s);
            DataDirectoryModeStep mode = new DataDirectoryModeStep(s, directory);
            steps.add(directory);
            steps.add(mode);
            steps.add(new CloneStep(s, context, directory, mode));
            steps.add(new StandbyConfigStep(s, context));
            steps.add(new StartStandbyStep(s));
            steps.add(new VerifyStandbyStep(s, config.upstreamOf(s).map(Standby::name).orElse(null)));
            out.put(s.name(), steps);
        }
        return out;
    }
}
