package io.github.pgreplication.internal;

import io.github.pgreplication.InvalidReplicationConfigException;
import io.github.pgreplication.Node;
import io.github.pgreplication.Problem;
import io.github.pgreplication.SyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changes the synchronous policy of a running set-up: checked as {@code load()} checks it, refused when the listed
 * standbys that stream now cannot meet it (every commit would wait), then written on the primary with ALTER SYSTEM and
 * a reload, and verified in {@code pg_stat_replication}. Relaxing a policy is how an operator releases the commits
 * that wait for a dead synchronous standby: the library never does it by itself.
 */
public final class SyncPolicyChange {
    private SyncPolicyChange() {
    }

    /**
     * @param ops    the current set-up
     * @param policy the new policy
     * @return the plan
     * @throws InvalidReplicationConfigException when the policy does not fit the set-up (count, names, level)
     */
    public static Operations.Planned plan(Operations ops, SyncPolicy policy) {
        ReplicationConfig config = ops.config();
        ReplicationConfig after = config.withSyncPolicy(policy);
        List<Problem> problems = SyncRules.problems(after);
        if (!problems.isEmpty()) {
            throw new InvalidReplicationConfigException(problems);
        }
        Node primary = config.primary().node();
        List<OpStep> steps = new ArrayList<>();
        if (policy.synchronous()) {
            steps.add(SyncSteps.satisfiable(ops, primary, after, "under " + policy.toCode(), primary.name(), "Make"
                    + " the listed standbys stream first (start them, or rejoin them), or choose a policy they can"
                    + " meet."));
        }
        steps.add(SyncSteps.configure(ops, primary, after, "the new policy"));
        steps.add(SyncSteps.verify(ops, primary, after, config.streamingTimeout()));
        return new Operations.Planned("Synchronous policy of " + primary.name() + ": " + policy, steps, () -> after,
                () -> List.of(primary.name() + " now has " + SyncNames.describe(after) + "."), Optional::empty,
                Optional::empty);
    }
}
