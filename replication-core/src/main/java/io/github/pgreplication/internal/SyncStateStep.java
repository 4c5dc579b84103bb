package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.SyncPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks on the primary that {@code pg_stat_replication.sync_state} shows a topology's policy: under
 * {@code FIRST n}, n listed standbys {@code sync} and the other listed ones {@code potential}; under {@code ANY n},
 * every listed one {@code quorum}; and at least n of them streaming, so that commits do not wait. Waits for the
 * WAL senders to take a reload in.
 */
final class SyncStateStep extends Step {
    private final ReplicationConfig config;
    private final Duration timeout;
    private final boolean required;

    /**
     * What the primary shows of a policy.
     *
     * @param shown      whether every streaming listed standby has the sync_state the policy gives it
     * @param confirming how many listed standbys stream and may confirm commits now
     * @param needed     how many must confirm
     * @param states     sync_state of every streaming standby, by name
     */
    record Seen(boolean shown, int confirming, int needed, Map<String, String> states) {
        /** @return whether commits are confirmed now, and do not wait */
        boolean satisfied() {
            return confirming >= needed;
        }

        @Override
        public String toString() {
            return confirming + " listed standby(s) stream and may confirm, " + needed + " needed; sync_state "
                    + states;
        }
    }

    /**
     * @param node    the primary's name
     * @param config  the topology whose policy it checks
     * @param timeout how long to wait for the policy to show
     * @return the check; one that only reports, without waiting, when the topology lists fewer standbys than the
     *         policy needs (after a failover, say): commits then wait, and the message says how to release them
     */
    static SyncStateStep of(String node, ReplicationConfig config, Duration timeout) {
        return new SyncStateStep(node, config, timeout, SyncNames.eligible(config).size()
                >= config.syncPolicy().count());
    }

    /**
     * @param node   the primary's name
     * @param config the topology whose policy it checks
     * @return a check that reports, without failing, whether the policy is met (after a failover, where a listed
     *         standby may be down with the old primary), waiting up to 5 s for it to show
     */
    static SyncStateStep reporting(String node, ReplicationConfig config) {
        return new SyncStateStep(node, config, Duration.ofSeconds(5), false);
    }

    private SyncStateStep(String node, ReplicationConfig config, Duration timeout, boolean required) {
        super(node, "pg_stat_replication shows " + SyncNames.describe(config) + (required ? ""
                        : " (reported, not required: too few listed standbys may stream after this operation)"),
                Kind.CHECK, List.of(SqlText.psql("SELECT application_name, sync_state FROM pg_stat_replication")));
        this.config = config;
        this.timeout = timeout;
        this.required = required;
    }

    /**
     * @param config the topology
     * @param states the sync_state of every streaming standby, by name
     * @return what they show of its policy
     */
    static Seen judge(ReplicationConfig config, Map<String, String> states) {
        SyncPolicy policy = config.syncPolicy();
        List<String> eligible = SyncNames.eligible(config);
        List<String> streaming = eligible.stream().filter(n -> states.keySet().stream()
                .anyMatch(s -> s.equalsIgnoreCase(n))).toList();
        int confirming = streaming.size();
        boolean shown;
        if (policy.method() == SyncPolicy.Method.ANY) {
            shown = streaming.stream().allMatch(n -> "quorum".equals(state(states, n)));
        } else {
            long sync = streaming.stream().filter(n -> "sync".equals(state(states, n))).count();
            shown = sync == Math.min(policy.count(), confirming) && streaming.stream()
                    .allMatch(n -> "sync".equals(state(states, n)) || "potential".equals(state(states, n)));
        }
        return new Seen(shown, confirming, policy.count(), states);
    }

    private static String state(Map<String, String> states, String name) {
        return states.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private Seen read(ApplyContext ctx) {
        Map<String, String> states = new LinkedHashMap<>();
        ctx.primaryDb().queryRows(Sql.SYNC_STATES).forEach(r -> states.put(r.get(0), r.get(1)));
        return judge(config, states);
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        if (!config.syncPolicy().synchronous()) {
            return "asynchronous: no standby confirms commits";
        }
        Seen[] seen = {read(ctx)};
        boolean ok = ApplyContext.waitFor(timeout, () -> {
            seen[0] = read(ctx);
            return seen[0].shown() && seen[0].satisfied();
        });
        if (ok) {
            return seen[0].toString();
        }
        if (!required) {
            return "commits on " + node() + " wait until " + (seen[0].needed() - seen[0].confirming()) + " more"
                    + " listed standby(s) stream (" + seen[0] + "): bring one back (rejoin), or relax the policy"
                    + " with replication.setSyncPolicy(...)";
        }
        throw new ReplicationException(node() + " does not show " + SyncNames.describe(config) + " after "
                + timeout.toSeconds() + " s: " + seen[0] + ". " + (seen[0].satisfied() ? "Its WAL senders have not"
                + " taken the list in; see its server log." : "Commits wait until enough listed standbys stream:"
                + " start them, or relax the policy with replication.setSyncPolicy(...)."));
    }
}
