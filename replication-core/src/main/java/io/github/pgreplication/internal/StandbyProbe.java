package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import java.time.Duration;
import java.util.List;

/**
 * Asks a standby about itself (in recovery? WAL receiver status? last replayed LSN?), reached as {@link NodeClient}
 * reaches a node: through the caller's data source when it has one (whose own timeouts then bound each probe), else
 * through JDBC to its admin endpoint (500 ms to connect), else through {@code psql} on its host over the local socket;
 * in its database.
 */
public final class StandbyProbe implements AutoCloseable {
    /**
     * @param reachable      whether the server answered
     * @param inRecovery     {@code pg_is_in_recovery()}
     * @param receiverStatus {@code pg_stat_wal_receiver.status}, {@code none} without a receiver
     * @param replayLsn      {@code pg_last_wal_replay_lsn()}, may be null
     * @param error          why it did not answer, when it did not
     */
    public record State(boolean reachable, boolean inRecovery, String receiverStatus, Lsn replayLsn, String error) {
        /** @return whether it is a standby streaming from its primary */
        public boolean streaming() {
            return reachable && inRecovery && "streaming".equals(receiverStatus);
        }

        @Override
        public String toString() {
            return reachable ? "in recovery: " + inRecovery + ", WAL receiver: " + receiverStatus + ", replayed: "
                    + replayLsn : "not reachable (" + error + ")";
        }
    }

    private final Standby standby;
    private final NodeClient client;
    private final Db db;

    /** @param standby the standby to probe */
    public StandbyProbe(Standby standby) {
        this.standby = standby;
        this.client = NodeClient.of(standby.node(), 500);
        this.db = client.db().orElse(null);
    }

    /** @return the standby's state now */
    public State probe() {
        if (db != null) {
            try {
                List<List<String>> rows = db.queryRows(Sql.STANDBY_PROBE);
                List<String> r = rows.get(0);
                return new State(true, "t".equals(r.get(0)), r.get(1), r.get(2).isEmpty() ? null : Lsn.parse(r.get(2)),
                        null);
            } catch (RuntimeException e) {
                return new State(false, false, "none", null, e.getMessage());
            }
        }
        CommandResult result;
        try {
            result = standby.host().execute(Command.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                    "-p", Integer.toString(standby.port()), "-d", standby.node().database(), "-c", Sql.STANDBY_PROBE)
                    .withTimeout(Duration.ofSeconds(20)));
        } catch (RuntimeException e) {
            return new State(false, false, "none", null, e.getMessage());
        }
        if (!result.succeeded()) {
            return new State(false, false, "none", null, result.tail(2));
        }
        String[] f = result.stdout().strip().split("\\|", -1);
        if (f.length < 3) {
            return new State(false, false, "none", null, "unexpected psql output: " + result.stdout().strip());
        }
        return new State(true, "t".equals(f[0]), f[1], f[2].isEmpty() ? null : Lsn.parse(f[2]), null);
    }

    /**
     * @param sql a one-row query without parameters
     * @return its row's values as text (NULL as empty), or empty when the standby did not answer
     */
    public java.util.Optional<List<String>> row(String sql) {
        try {
            if (db != null) {
                List<List<String>> rows = db.queryRows(sql);
                return rows.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rows.get(0));
            }
            CommandResult r = standby.host().execute(Command.of("psql", "-X", "-A", "-t", "-q", "-v",
                    "ON_ERROR_STOP=1", "-p", Integer.toString(standby.port()), "-d", standby.node().database(),
                    "-c", sql)
                    .withTimeout(Duration.ofSeconds(20)));
            return r.succeeded() ? java.util.Optional.of(List.of(r.stdout().strip().split("\\|", -1)))
                    : java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * @param names parameter names
     * @return their values as the standby's sessions see them, by name (null when unset), through JDBC; empty when
     *         the standby is reached through psql (whose statements take no parameters) or does not answer
     */
    public java.util.Optional<java.util.Map<String, String>> settings(java.util.Collection<String> names) {
        if (db == null) {
            return java.util.Optional.empty();
        }
        try {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            db.queryRows(Sql.CURRENT_SETTINGS, (Object) names.toArray(String[]::new))
                    .forEach(r -> out.put(r.get(0), r.get(1)));
            return java.util.Optional.of(out);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * @return statements to this standby: its JDBC connections, else psql on its host with the parameters written
     *         in as literals (a row's SQL NULL then reads as empty text)
     */
    public SqlSession session() {
        return client.session();
    }

    /** @return whether it is reached through JDBC (a look costs no command on its host) */
    public boolean overJdbc() {
        return db != null;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
