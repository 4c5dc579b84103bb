package io.github.pgreplication.internal;

import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps by which every operation keeps a {@link io.github.pgreplication.SyncPolicy}: the new topology's
 * {@code synchronous_standby_names} written where it must hold (on a standby before its promotion, so that it
 * enforces the policy from its first write; on the primary before a standby leaves, or once a node rejoined), a check
 * that the list can be met without a standby before it goes, and the final check of
 * {@code pg_stat_replication.sync_state}.
 */
final class SyncSteps {
    private SyncSteps() {
    }

    /**
     * @param before the set-up before the operation
     * @param after  the set-up after it
     * @return whether the operation has synchronous replication to keep (either side has a policy); a set-up without
     *         one keeps whatever synchronous_standby_names its settings give
     */
    static boolean kept(ReplicationConfig before, ReplicationConfig after) {
        return before.syncPolicy().synchronous() || after.syncPolicy().synchronous();
    }

    /**
     * @param before the set-up before a promotion
     * @param after  the set-up after it
     * @return whether the standby about to be promoted gets the new topology's list written first: under a policy,
     *         and also without one when the settings give no raw synchronous_standby_names, so that a list the node kept
     *         in its postgresql.auto.conf from an earlier time as the primary is emptied before it could make every
     *         commit wait for standbys that are gone
     */
    static boolean writtenBeforePromotion(ReplicationConfig before, ReplicationConfig after) {
        return kept(before, after) || after.settings().get("synchronous_standby_names").isEmpty();
    }

    /**
     * @param ops   the operation's clients
     * @param node  where the list is written (administered over JDBC)
     * @param after the topology it is for
     * @param why   what for, in the plan
     * @return the step writing {@code after}'s list and commit level on {@code node}
     */
    static OpStep configure(Operations ops, Node node, ReplicationConfig after, String why) {
        SyncPolicyStep step = SyncPolicyStep.of(after, node.name(), why);
        return OpStep.of(step, context(ops, node, after));
    }

    /**
     * @param ops     the operation's clients
     * @param primary the primary of {@code after}
     * @param after   the topology
     * @param timeout how long the policy may take to show
     * @return the check of {@code pg_stat_replication.sync_state} on the primary
     */
    static OpStep verify(Operations ops, Node primary, ReplicationConfig after, Duration timeout) {
        return OpStep.of(SyncStateStep.of(primary.name(), after, timeout), context(ops, primary, after));
    }

    /**
     * @param ops     the operation's clients
     * @param primary the primary of {@code after}
     * @param after   the topology
     * @return a check of {@code pg_stat_replication.sync_state} that reports whether commits wait, without failing
     */
    static OpStep report(Operations ops, Node primary, ReplicationConfig after) {
        return OpStep.of(SyncStateStep.reporting(primary.name(), after), context(ops, primary, after));
    }

    /**
     * A check that the standbys a topology's list names and that stream now are enough for its policy: else every
     * commit would wait once the list is written.
     *
     * @param ops     the operation's clients
     * @param primary the primary
     * @param after   the topology whose list will be written
     * @param change  what makes it, for messages: e.g. {@code without s2}, {@code under the new policy}
     * @param node    the node the refusal names
     * @param fix     what to do instead, for the refusal
     * @return the check
     */
    static OpStep satisfiable(Operations ops, Node primary, ReplicationConfig after, String change, String node,
            String fix) {
        return OpStep.check(primary.name(), "the policy is met " + change + ": " + SyncNames.describe(after)
                        + " needs " + after.syncPolicy().count() + " listed standby(s) streaming",
                List.of(SqlText.psql("SELECT application_name, sync_state FROM pg_stat_replication WHERE state ="
                        + " 'streaming'") + "   # on " + primary.name()),
                () -> {
                    SyncStateStep.Seen seen = seen(ops, primary, after);
                    if (!seen.satisfied()) {
                        throw new OperationRefusedException(Kind.SYNC_UNSATISFIABLE, node, "Refused: " + change
                                + ", " + SyncNames.describe(after) + " would have " + seen.confirming() + " listed"
                                + " standby(s) streaming for the " + seen.needed() + " it needs, so every commit on "
                                + primary.name() + " would wait (" + seen + "). " + fix);
                    }
                    return seen.toString();
                });
    }

    /**
     * @param ops     the operation's clients
     * @param primary the primary
     * @param config  a topology
     * @return what the primary shows of its policy now
     */
    static SyncStateStep.Seen seen(Operations ops, Node primary, ReplicationConfig config) {
        Map<String, String> states = new LinkedHashMap<>();
        ops.client(primary).rows(Sql.SYNC_STATES).forEach(r -> states.put(r.get(0), r.get(1)));
        return SyncStateStep.judge(config, states);
    }

    private static ApplyContext context(Operations ops, Node node, ReplicationConfig after) {
        Optional<Db> db = ops.client(node).db();
        return new ApplyContext(after, db.orElseThrow(() -> new OperationRefusedException(Kind.MISSING_CAPABILITY,
                node.name(), node.name() + " is reached through psql only; the library writes"
                + " synchronous_standby_names over JDBC. Give it .withAdminEndpoint(endpoint, \"postgres\","
                + " password).")), new LinkedHashMap<>());
    }
}
