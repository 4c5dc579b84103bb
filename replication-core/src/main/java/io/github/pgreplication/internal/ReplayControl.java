package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Pauses, resumes and targets a standby's replay, for a delayed standby from which a mistake made on the primary is
 * read back: {@code pg_wal_replay_pause()} and {@code pg_wal_replay_resume()} on the standby itself, and a replay up to
 * a moment through {@code recovery_target_time} (which PostgreSQL reads only at start, hence a restart). A standby
 * stopped at such a target must never be resumed with {@code pg_wal_replay_resume()}: that would end its recovery
 * and promote it. {@link #resume} therefore removes the target and restarts it instead.
 */
public final class ReplayControl {
    static final String PAUSE = "SELECT pg_wal_replay_pause()";
    static final String RESUME = "SELECT pg_wal_replay_resume()";
    /** Whether replay is paused (14+: the pause took effect, not only asked), the replay position, the target. */
    static final String STATE_14 = "SELECT pg_get_wal_replay_pause_state() = 'paused', pg_last_wal_replay_lsn(),"
            + " current_setting('recovery_target_time') <> '', pg_is_in_recovery()";
    static final String STATE_13 = "SELECT pg_is_wal_replay_paused(), pg_last_wal_replay_lsn(),"
            + " current_setting('recovery_target_time') <> '', pg_is_in_recovery()";
    /** Relations the startup process holds an AccessExclusiveLock on: a DDL replayed up to its delayed commit. */
    static final String LOCKED_BY_REPLAY = "SELECT l.relation::regclass::text FROM pg_locks l JOIN pg_stat_activity a"
            + " ON a.pid = l.pid WHERE a.backend_type = 'startup' AND l.locktype = 'relation'"
            + " AND l.mode = 'AccessExclusiveLock' ORDER BY 1";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplayControl.class);
    private static final String DELAY = "recovery_min_apply_delay";
    private static final List<String> TARGET = List.of("recovery_target_time", "recovery_target_inclusive",
            "recovery_target_action");

    private ReplayControl() {
    }

    /**
     * @param ops     the set-up's connections
     * @param name    a standby of it
     * @param timeout how long the pause may take to take effect
     * @return where replay stands, paused
     */
    public static Lsn pause(Operations ops, String name, Duration timeout) {
        NodeClient c = ops.client(standby(ops, name).node());
        c.value(PAUSE);
        Lsn at = awaitPaused(c, name, timeout, "the pause asked with pg_wal_replay_pause()");
        List<String> locked = c.rows(LOCKED_BY_REPLAY).stream().map(r -> r.get(0)).toList();
        if (!locked.isEmpty()) {
            LOG.warn("[{}] replay paused at {} holding the exclusive lock of a replayed DDL whose commit is not"
                    + " replayed yet, on {}: queries on them wait until replay resumes. PostgreSQL replays a lock at"
                    + " once and only commits wait for the delay; pause while an earlier commit still waits, or use"
                    + " replayUpTo(...) to a moment before that DDL.", name, at, locked);
        }
        return at;
    }

    /**
     * @param ops     the set-up's connections
     * @param name    a standby of it
     * @param timeout how long it may take to run again
     */
    public static void resume(Operations ops, String name, Duration timeout) {
        Standby s = standby(ops, name);
        NodeClient c = ops.client(s.node());
        List<String> st = state(c);
        if ("t".equals(st.get(2))) {
            // Stopped at a target: pg_wal_replay_resume() would end recovery (a promotion). Remove it and restart.
            TARGET.forEach(p -> c.execute("ALTER SYSTEM RESET " + p)); // our own names, not input
            String delay = s.parameters().get(DELAY);
            c.execute(delay == null ? "ALTER SYSTEM RESET " + DELAY
                    : "ALTER SYSTEM SET " + DELAY + " = " + Operations.literal(c, delay));
            restart(ops, s);
            if (!ApplyContext.waitFor(timeout, () -> running(c))) {
                throw new ReplicationException("Standby '" + name + "' does not replay again after its restart"
                        + " without the recovery target (" + timeout.toSeconds() + " s): " + state(c) + ". See its"
                        + " server log.");
            }
            return;
        }
        c.value(RESUME);
    }

    /**
     * @param ops     the set-up's connections
     * @param name    a standby of it
     * @param moment  replay stops before the first transaction committed after it
     * @param timeout how long the restart and the replay may take
     * @return where replay stands, paused at the target
     */
    public static Lsn replayUpTo(Operations ops, String name, Instant moment, Duration timeout) {
        Standby s = standby(ops, name);
        NodeClient c = ops.client(s.node());
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC)
                .format(moment);
        c.execute("ALTER SYSTEM SET recovery_target_time = " + Operations.literal(c, at));
        c.execute("ALTER SYSTEM SET recovery_target_inclusive = off");
        c.execute("ALTER SYSTEM SET recovery_target_action = 'pause'");
        c.execute("ALTER SYSTEM SET " + DELAY + " = 0"); // up to the moment now, not a delay later
        restart(ops, s);
        return awaitPaused(c, name, timeout, "the replay up to " + at + " (no transaction committed after it may"
                + " have reached the standby yet: write on the primary, or choose an earlier moment)");
    }

    private static void restart(Operations ops, Standby s) {
        ops.perform(s.node(), ServiceAction.RESTART, ops.dataDirectory(s.node()));
    }

    private static Standby standby(Operations ops, String name) {
        ops.node(name); // an unknown name is refused with the list of nodes
        return ops.config().standby(name).orElseThrow(() -> new OperationRefusedException(Kind.WRONG_ROLE, name,
                "'" + name + "' is not a standby of " + ops.config().primary().name() + ": replay is paused and"
                        + " resumed on a standby. The standbys are " + ops.config().standbys().stream()
                        .map(Standby::name).toList() + "."));
    }

    private static Lsn awaitPaused(NodeClient c, String name, Duration timeout, String what) {
        if (!ApplyContext.waitFor(timeout, () -> "t".equals(state(c).get(0)))) {
            throw new ReplicationException("Standby '" + name + "' did not pause within " + timeout.toSeconds()
                    + " s after " + what + ": " + state(c) + " (paused, replayed, at a target, in recovery).");
        }
        return Lsn.parse(state(c).get(1));
    }

    private static boolean running(NodeClient c) {
        try {
            List<String> st = state(c);
            return "f".equals(st.get(0)) && "f".equals(st.get(2)) && "t".equals(st.get(3));
        } catch (RuntimeException e) {
            return false; // still starting
        }
    }

    private static List<String> state(NodeClient c) {
        int version = Integer.parseInt(c.value("SELECT current_setting('server_version_num')").orElseThrow());
        return c.rows(version >= 140000 ? STATE_14 : STATE_13).get(0);
    }
}
