package io.github.pgreplication.internal;

import io.github.pgreplication.Problem;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SynchronousCommit;
import io.github.pgreplication.SyncPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules of a {@link SyncPolicy} in a description: its count, its names, its commit level, and no raw twin. */
public final class SyncRules {
    private static final Set<SynchronousCommit> LEVELS = Set.of(SynchronousCommit.REMOTE_WRITE,
            SynchronousCommit.ON, SynchronousCommit.REMOTE_APPLY);

    /** @return " but the delayed ones", " but the cascading ones", both, or nothing */
    private static String butThose(ReplicationConfig config) {
        List<String> kinds = new ArrayList<>();
        if (config.standbys().stream().anyMatch(Standby::delayed)) {
            kinds.add("delayed");
        }
        if (config.standbys().stream().anyMatch(config::cascading)) {
            kinds.add("cascading");
        }
        return kinds.isEmpty() ? "" : " but the " + String.join(" and ", kinds) + " ones";
    }

    private SyncRules() {
    }

    /**
     * @param config the description
     * @return every problem of its policy, empty when it has none or it is sound
     */
    public static List<Problem> problems(ReplicationConfig config) {
        List<Problem> out = new ArrayList<>();
        SyncPolicy policy = config.syncPolicy();
        if (!policy.synchronous()) {
            return out;
        }
        String code = Text.printable(policy.toCode());
        List<String> standbys = config.standbys().stream().map(Standby::name).toList();
        Set<String> seen = new HashSet<>();
        for (String name : policy.names()) {
            if (!standbys.contains(name)) {
                String fix = standbys.isEmpty() ? "Add the standby with addStandby(Standby.named(\""
                        + SlotName.suggest(Text.withoutControl(name)) + "\"))"
                        : "Name standbys of the set-up, " + standbys + ", or none for every standby: SyncPolicy."
                        + (policy.method() == SyncPolicy.Method.FIRST ? "first" : "any") + "(" + policy.count() + ")";
                out.add(new Problem("sync policy " + code + " name '" + Text.printable(name) + "'",
                        name.equals(config.primary().name()) ? "the primary cannot confirm its own commits: a policy"
                                + " names standbys (after a switchover the library gives the promoted standby's"
                                + " place to the old primary)" : "a policy names standbys of the set-up", fix));
            } else if (config.standby(name).map(Standby::delayed).orElse(false)) {
                out.add(new Problem("sync policy " + code + " name '" + name + "'", "a delayed standby ("
                        + name + " replays " + config.standby(name).orElseThrow().applyDelay() + " late) confirms no"
                        + " commit for a policy: a failover never promotes it, so a commit only it confirmed would"
                        + " be lost", "Remove '" + name + "' from the policy's names, or its delay:"
                        + " .withApplyDelay(Duration.ZERO)"));
                seen.add(name);
            } else if (config.standby(name).map(config::cascading).orElse(false)) {
                out.add(new Problem("sync policy " + code + " name '" + name + "'", "a cascading standby (" + name
                        + " streams from " + config.upstreamOf(config.standby(name).orElseThrow()).orElseThrow()
                        .name() + ") confirms no commit: the primary counts only the standbys that stream from it",
                        "Remove '" + name + "' from the policy's names, or make it stream from the primary (remove"
                        + " its streamingFrom(...))"));
                seen.add(name);
            } else if (!seen.add(name)) {
                out.add(new Problem("sync policy " + code + " name '" + name + "'", "each standby is listed once",
                        "Remove the second '" + name + "'"));
            }
        }
        int names = policy.names().isEmpty() ? (int) config.standbys().stream()
                .filter(s -> SyncNames.confirms(config, s)).count() : policy.names().size();
        if (policy.count() < 1 || policy.count() > names) {
            out.add(new Problem("sync policy " + code + " count " + policy.count(), "between 1 and the number of"
                    + " standbys it names (" + names + (policy.names().isEmpty() ? ": every standby of the set-up"
                    + butThose(config) : "")
                    + "); 0 would be asynchronous, more would make every commit wait forever",
                    names == 0 ? "Add a standby, or use SyncPolicy.none()" : "Use SyncPolicy." + (policy.method()
                    == SyncPolicy.Method.FIRST ? "first" : "any") + "(" + Math.max(1, Math.min(policy.count(), names))
                    + (policy.names().isEmpty() ? "" : ", ...") + "), or add standbys"));
        }
        if (!LEVELS.contains(policy.commitLevel())) {
            out.add(new Problem("sync policy commit level " + policy.commitLevel(), "a synchronous policy commits at"
                    + " remote_write, on or remote_apply: off and local wait for no standby",
                    "Use .withCommitLevel(SynchronousCommit.ON), or SyncPolicy.none() for asynchronous replication"));
        }
        config.settings().get("synchronous_standby_names").ifPresent(raw -> out.add(new Problem(
                "synchronous_standby_names = '" + Text.printable(raw) + "' beside sync policy " + code, "the policy"
                + " writes synchronous_standby_names itself, for every topology the operations make",
                "Remove withSynchronousStandbyNames(...) from the settings and keep .syncPolicy(" + code + ")")));
        config.settings().get("synchronous_commit").filter(v -> !v.equals(policy.commitLevel().toPostgres()))
                .ifPresent(raw -> out.add(new Problem("synchronous_commit = '" + Text.printable(raw)
                        + "' beside sync policy " + code, "the policy sets synchronous_commit to its commit level, "
                        + policy.commitLevel().toPostgres(), "Remove withSynchronousCommit(...) from the settings,"
                        + " or give the level to the policy: .withCommitLevel(SynchronousCommit."
                        + levelName(raw) + ")")));
        return out;
    }

    private static String levelName(String raw) {
        for (SynchronousCommit c : LEVELS) {
            if (c.toPostgres().equalsIgnoreCase(raw.strip())) {
                return c.name();
            }
        }
        return "ON";
    }
}
