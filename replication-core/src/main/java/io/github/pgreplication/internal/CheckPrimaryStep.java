package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import java.time.Duration;
import java.util.List;

/**
 * Checks the primary before changing anything: reachable, not itself a standby, PostgreSQL 13 or later, and
 * enough WAL senders and slots for the standbys (using the values the plan will set, when it sets them).
 */
final class CheckPrimaryStep extends Step {
    /** How long the check waits for a primary that refuses connections or is starting up. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    CheckPrimaryStep(String node) {
        super(node, "primary is reachable, is not a standby, runs PostgreSQL 13+, has enough WAL senders and slots",
                Kind.CHECK, List.of(SqlText.psql("SELECT version(), pg_is_in_recovery(),"
                        + " current_setting('max_wal_senders'), current_setting('max_replication_slots')")));
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        Db db = ctx.primaryDb();
        String node = ctx.config().primary().name();
        // A login the server refuses fails at once; a server that is starting or not listening yet gets a moment.
        db.awaitReachable(CONNECT_WAIT);
        int version = Integer.parseInt(db.queryValue(Sql.SERVER_VERSION_NUM).orElseThrow());
        if (version < 130000) {
            throw new ReplicationException("Primary '" + node + "' runs PostgreSQL " + version / 10000
                    + "; this library needs 13 or later (for wal_status and wal_keep_size). Upgrade the server.");
        }
        if ("t".equals(db.queryValue(Sql.IN_RECOVERY).orElseThrow())) {
            throw new ReplicationException("Server '" + node + "' is in recovery (a standby), not a primary."
                    + " Point Replication.primary(...) at the read-write server.");
        }
        int standbys = ctx.config().standbys().size();
        int senders = effectiveInt(ctx, "max_wal_senders");
        int needed = Validator.requiredWalSenders(standbys, ctx.config().parallel());
        if (senders < needed) {
            throw new ReplicationException("max_wal_senders on '" + node + "' is " + senders + " but " + standbys
                    + " standbys cloned with pg_basebackup -Xs need " + needed + " (two per clone running at once, one"
                    + " per streaming standby). Add .settings(PrimarySettings.empty().withMaxWalSenders(" + needed
                    + ")) to the description.");
        }
        int slots = effectiveInt(ctx, "max_replication_slots");
        if (slots < standbys) {
            throw new ReplicationException("max_replication_slots on '" + node + "' is " + slots + " but " + standbys
                    + " standbys need one slot each. Add .settings(PrimarySettings.empty().withMaxReplicationSlots("
                    + standbys + ")).");
        }
        return "PostgreSQL " + version / 10000 + ", max_wal_senders " + senders + ", max_replication_slots " + slots;
    }

    private static int effectiveInt(ApplyContext ctx, String name) {
        return ctx.config().settings().get(name).map(Integer::parseInt)
                .orElseGet(() -> Integer.parseInt(ctx.primaryDb().queryValue(
                        "SELECT current_setting('" + name + "')").orElseThrow()));
    }
}
