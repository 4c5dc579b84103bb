package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.SyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link SyncPolicy} for one topology: which standbys are listed, the {@code synchronous_standby_names} that says
 * so, and how the policy's own names follow a promotion or a removal.
 */
public final class SyncNames {
    /**
     * Listed when no standby may confirm (the last standby was promoted): a name no standby of the library can have
     * (standby names are letters, digits and underscores), so commits wait, as the policy asks, instead of the list
     * becoming empty, which would make replication asynchronous without a word.
     */
    static final String PLACEHOLDER = "pgreplication-no-standby";

    private SyncNames() {
    }

    /**
     * @param config a set-up
     * @return the standbys that may confirm commits in it: the policy's names that are standbys now (in the policy's
     *         order), or every standby when the policy names none; empty for {@link SyncPolicy#none()}
     */
    public static List<String> eligible(ReplicationConfig config) {
        SyncPolicy policy = config.syncPolicy();
        if (!policy.synchronous()) {
            return List.of();
        }
        List<String> standbys = config.standbys().stream().filter(s -> confirms(config, s)).map(Standby::name)
                .toList();
        if (policy.names().isEmpty()) {
            return standbys;
        }
        return policy.names().stream().filter(standbys::contains).toList();
    }

    /**
     * @param config  a set-up
     * @param standby one of its standbys
     * @return whether it may confirm commits: not a delayed standby (a failover never promotes it) and not a
     *         cascading one (the primary waits for its own WAL senders only); load() refuses a policy naming either
     */
    public static boolean confirms(ReplicationConfig config, Standby standby) {
        return !standby.delayed() && !config.cascading(standby);
    }

    /**
     * @param config a set-up
     * @return its {@code synchronous_standby_names}: empty when asynchronous, else {@code ANY n ("a", "b")} or
     *         {@code FIRST n (...)} over {@link #eligible}, a placeholder when none is
     */
    public static String value(ReplicationConfig config) {
        SyncPolicy policy = config.syncPolicy();
        if (!policy.synchronous()) {
            return "";
        }
        List<String> names = eligible(config);
        if (names.isEmpty()) {
            names = List.of(PLACEHOLDER);
        }
        return policy.method().name() + " " + policy.count() + " (" + names.stream().map(n -> "\"" + n + "\"")
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * @param config a set-up
     * @return its {@code synchronous_commit} under the policy, or null when asynchronous (the settings' value, if
     *         any, stays)
     */
    static String commitLevel(ReplicationConfig config) {
        SyncPolicy policy = config.syncPolicy();
        return policy.synchronous() ? policy.commitLevel().toPostgres() : null;
    }

    /**
     * @param policy   a policy
     * @param promoted the standby that becomes the primary
     * @param demoted  the primary it replaces (a standby after a switchover, detached after a failover)
     * @return the policy whose names give the promoted standby's place to the demoted primary; the same policy when it
     *         names none or not the promoted one
     */
    public static SyncPolicy afterPromotion(SyncPolicy policy, String promoted, String demoted) {
        if (!policy.names().contains(promoted) || policy.names().contains(demoted)) {
            return policy.names().contains(promoted) ? without(policy, promoted) : policy;
        }
        List<String> names = new ArrayList<>(policy.names());
        names.set(names.indexOf(promoted), demoted);
        return new SyncPolicy(policy.method(), policy.count(), names, policy.commitLevel());
    }

    /**
     * @param policy  a policy
     * @param removed a standby that leaves the set-up
     * @return the policy without that name
     */
    public static SyncPolicy without(SyncPolicy policy, String removed) {
        if (!policy.names().contains(removed)) {
            return policy;
        }
        List<String> names = new ArrayList<>(policy.names());
        names.remove(removed);
        return new SyncPolicy(policy.method(), policy.count(), names, policy.commitLevel());
    }

    /**
     * @param config a set-up
     * @return a sentence for messages, e.g. {@code ANY 1 ("s1", "s2"), synchronous_commit on}
     */
    static String describe(ReplicationConfig config) {
        return config.syncPolicy().synchronous() ? value(config) + ", synchronous_commit " + commitLevel(config)
                : "asynchronous (synchronous_standby_names = '')";
    }
}
