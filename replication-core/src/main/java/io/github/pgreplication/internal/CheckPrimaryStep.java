package io.github.pgreplication.internal;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the primary before changing anything: reachable, not itself a standby, PostgreSQL 13 or later (15 or later
 * when a standby is cloned with pg_basebackup's server-side compression), and enough WAL senders and slots for the
 * standbys (using the values the plan will set, when it sets them).
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
        Optional<String> compression = serverCompressionRefusal(node, version, ctx.config().standbys());
        if (compression.isPresent()) {
            throw new ReplicationException(compression.get());
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

    /**
     * @param primary  the primary's name
     * @param version  its {@code server_version_num}
     * @param standbys the standbys
     * @return the refusal when the primary is older than 15 and a standby's clone methods ask pg_basebackup for
     *         server-side compression (the primary's version is only known here, not at {@code load()})
     */
    static Optional<String> serverCompressionRefusal(String primary, int version, List<Standby> standbys) {
        if (version >= 150000) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        String example = null;
        for (Standby s : standbys) {
            for (CloneMethod m : s.cloneMethods()) {
                if (m instanceof BaseBackup b && b.compression().serverSide()) {
                    if (!names.contains(s.name())) {
                        names.add(s.name());
                    }
                    example = example == null ? b.compression().toString() : example;
                }
            }
        }
        return names.isEmpty() ? Optional.empty() : Optional.of(Refusals.serverCompression(primary,
                Integer.toString(version / 10000), names, example, "Nothing was changed"));
    }

    private static int effectiveInt(ApplyContext ctx, String name, String serverValue) {
        return ctx.config().settings().get(name).map(Integer::parseInt).orElseGet(() -> Integer.parseInt(serverValue));
    }
}
