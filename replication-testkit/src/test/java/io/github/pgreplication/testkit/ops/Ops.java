package io.github.pgreplication.testkit.ops;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.testkit.ClusterNode;
import java.time.Duration;

/** Small things the operation ITs do to servers, as a person would with pg_ctl and psql. */
final class Ops {
    private Ops() {
    }

    static void stopImmediate(ClusterNode node) {
        node.host().run(Command.of("pg_ctl", "-D", node.dataDirectory(), "-w", "stop", "-m", "immediate"));
    }

    static void kill9(ClusterNode node) {
        node.host().run(Command.of("sh", "-c", "kill -9 $(head -1 \"$1/postmaster.pid\")", "sh",
                node.dataDirectory()));
    }

    static void start(ClusterNode node) {
        node.host().run(Command.of("pg_ctl", "-D", node.dataDirectory(), "-w", "-t", "60", "-l",
                node.dataDirectory() + ".log", "start").withTimeout(Duration.ofSeconds(90)));
    }

    static String timeline(ClusterNode node) {
        return node.query("SELECT CASE WHEN pg_is_in_recovery() THEN (SELECT received_tli::text FROM"
                + " pg_stat_wal_receiver) ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)"
                + "::int::text END");
    }

    static String senderHost(ClusterNode node) {
        return node.query("SELECT coalesce((SELECT sender_host || ' ' || status FROM pg_stat_wal_receiver), 'none')");
    }
}
