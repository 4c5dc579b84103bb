package io.github.pgreplication.internal;

import io.github.pgreplication.ConnectionFailedException;
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
        List<String> r = facts(db);
        int version = Integer.parseInt(r.get(0));
        if (version < 130000) {
            throw new ReplicationException("Primary '" + node + "' runs PostgreSQL " + version / 10000
                    + "; this library needs 13 or later (for wal_status and wal_keep_size). Upgrade the server.");
        }
        if ("t".equals(r.get(1))) {
            throw new ReplicationException("Server '" + node + "' is in recovery (a standby), not a primary."
                    + " Point Replication.primary(...) at the read-write server.");
        }
        int standbys = ctx.config().standbys().size();
        int senders = effectiveInt(ctx, "max_wal_senders", r.get(2));
        int needed = Validator.requiredWalSenders(standbys, ctx.config().parallel());
        if (senders < needed) {
            throw new ReplicationException("max_wal_senders on '" + node + "' is " + senders + " but " + standbys
                    + " standbys cloned with pg_basebackup -Xs need " + needed + " (two per clone running at once, one"
                    + " per streaming standby). Add .settings(PrimarySettings.empty().withMaxWalSenders(" + needed
                    + ")) to the description.");
        }
        int slots = effectiveInt(ctx, "max_replication_slots", r.get(3));
        if (slots < standbys) {
            throw new ReplicationException("max_replication_slots on '" + node + "' is " + slots + " but " + standbys
                    + " standbys need one slot each. Add .settings(PrimarySettings.empty().withMaxReplicationSlots("
                    + standbys + ")).");
        }
        return "PostgreSQL " + version / 10000 + ", max_wal_senders " + senders + ", max_replication_slots " + slots;
    }

    /**
     * @return version, in recovery, max_wal_senders, max_replication_slots, in one statement; a login the server
     *         refuses fails at once, a server that is starting or not listening yet gets a moment
     */
    private static List<String> facts(Db db) {
        try {
            return db.queryRows(Sql.PRIMARY_FACTS).get(0);
        } catch (ConnectionFailedException e) {
            if (e.kind().permanent()) {
                throw e;
            }
            db.awaitReachable(CONNECT_WAIT);
            return db.queryRows(Sql.PRIMARY_FACTS).get(0);
        }
    }

    private static int effectiveInt(ApplyContext ctx, String name, String serverValue) {
        return ctx.config().settings().get(name).map(Integer::parseInt).orElseGet(() -> Integer.parseInt(serverValue));
    }
}
