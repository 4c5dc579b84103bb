package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a topology's {@code synchronous_standby_names} (and the policy's {@code synchronous_commit}) on one node with
 * ALTER SYSTEM, then reloads: on the primary, or on a standby about to be promoted, so that it enforces the policy
 * from its first write. Done when the node's sessions already get both values. The library's own sessions commit with
 * {@code synchronous_commit = local}, so this step never waits for a standby.
 */
final class SyncPolicyStep extends Step {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPolicyStep.class);

    private final String names;
    private final String commit;

    /**
     * @param node   where it is written
     * @param names  the synchronous_standby_names to write ({@link SyncNames#value})
     * @param commit the synchronous_commit to write, or null to leave it as it is
     * @param why    what the list is for, for the plan line
     */
    SyncPolicyStep(String node, String names, String commit, String why) {
        super(node, "synchronous_standby_names = '" + names + "'" + (commit == null ? ""
                : ", synchronous_commit = " + commit) + " with ALTER SYSTEM, reload (" + why + ")", Kind.CHANGE,
                runbook(names, commit));
        this.names = names;
        this.commit = commit;
    }

    private static List<String> runbook(String names, String commit) {
        List<String> lines = new ArrayList<>();
        lines.add(SqlText.psql("ALTER SYSTEM SET synchronous_standby_names = " + SqlText.displayLiteral(names)));
        if (commit != null) {
            lines.add(SqlText.psql("ALTER SYSTEM SET synchronous_commit = " + SqlText.displayLiteral(commit)));
        }
        lines.add(SqlText.psql(Sql.RELOAD));
        return lines;
    }

    /**
     * @param config the set-up whose list it writes
     * @param node   where
     * @param why    what for
     * @return the step for that set-up's policy
     */
    static SyncPolicyStep of(ReplicationConfig config, String node, String why) {
        return new SyncPolicyStep(node, SyncNames.value(config), SyncNames.commitLevel(config), why);
    }

    /** @return the names it writes */
    String names() {
        return names;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        List<String> r = ctx.primaryDb().queryRows(Sql.SYNC_SETTINGS).get(0);
        return names.equals(r.get(0)) && (commit == null || commit.equals(r.get(1)));
    }

    @Override
    public String run(ApplyContext ctx) {
        ctx.primaryDb().with(c -> {
            try (Statement st = c.createStatement()) {
                String sql = "ALTER SYSTEM SET synchronous_standby_names = " + SqlText.literal(c, names);
                LOG.debug("[{}] {}", node(), sql);
                st.execute(sql);
                if (commit != null) {
                    st.execute("ALTER SYSTEM SET synchronous_commit = " + SqlText.literal(c, commit));
                }
                st.execute(Sql.RELOAD);
            }
            return null;
        });
        // A reload is asynchronous: the node's sessions see the values once they processed it.
        if (!ApplyContext.waitFor(Duration.ofSeconds(10), () -> isDone(ctx))) {
            List<String> r = ctx.primaryDb().queryRows(Sql.SYNC_SETTINGS).get(0);
            throw new ReplicationException("After ALTER SYSTEM and reload, " + node() + " still has"
                    + " synchronous_standby_names = '" + r.get(0) + "' and synchronous_commit = " + r.get(1)
                    + " instead of '" + names + "'" + (commit == null ? "" : " and " + commit) + ". Another"
                    + " configuration file may set them: SELECT name, setting, sourcefile FROM pg_settings WHERE name"
                    + " IN ('synchronous_standby_names', 'synchronous_commit').");
        }
        return "set";
    }
}
