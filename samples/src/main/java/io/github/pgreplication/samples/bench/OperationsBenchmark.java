package io.github.pgreplication.samples.bench;

import io.github.pgreplication.Failover;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.StopMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switchover and failover times on a primary + 2 standbys test cluster, as an application sees them.
 * <ul>
 * <li>Switchover: from {@code cluster.switchover(target)} until it returns (the core verifies that every standby,
 * the old primary included, streams from the new primary on its timeline) and a new JDBC connection to the new
 * primary committed an INSERT. One cluster, switched back and forth between {@code primary} and
 * {@code standby1}.</li>
 * <li>Failover: the primary stopped with {@code pg_ctl stop -m immediate}, then at once
 * {@code cluster.failover(Failover.toMostAdvanced())}, until a new connection to the promoted standby committed an
 * INSERT. Between runs the old primary is rejoined (untimed), so each run fails over the current primary of the
 * same cluster.</li>
 * </ul>
 * One untimed run of each first (class loading, first connections). Prints medians and, per step of the
 * operation, its median duration ({@link StepOutcome#elapsed()}), so a missed target shows where the time goes.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh operations [repetitions]}.
 */
public final class OperationsBenchmark {
    private OperationsBenchmark() {
    }

    /**
     * @param args optional repetition count (default 7)
     * @throws SQLException when the write on a new primary after a switchover or failover fails
     */
    public static void main(String[] args) throws SQLException {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Results results = new Results();
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            cluster.primary().query("CREATE TABLE bench_writes (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
            cluster.awaitReplication();
            results.switchovers(cluster, reps);
            results.failovers(cluster, reps);
        }
        results.print(reps);
    }

    /** The durations of every run, per operation and per step, in milliseconds. */
    private static final class Results {
        private final Stats switchover = new Stats();
        private final Stats switchoverCall = new Stats();
        private final Stats failover = new Stats();
        private final Stats failoverCall = new Stats();
        private final Stats stop = new Stats();
        private final Stats rejoin = new Stats();
        private final Map<String, Stats> switchoverSteps = new LinkedHashMap<>();
        private final Map<String, Stats> failoverSteps = new LinkedHashMap<>();

        /** Switches over back and forth between primary and standby1, once untimed, and ends on primary. */
        void switchovers(ReplicationCluster cluster, int reps) throws SQLException {
            // Untimed: one switchover there and back.
            cluster.switchover("standby1");
            write(cluster.primary());
            cluster.switchover("primary");
            write(cluster.primary());
            for (int i = 0; i < reps; i++) {
                String target = cluster.primary().name().equals("primary") ? "standby1" : "primary";
                Map<String, String> roles = roles(cluster, target);
                long t0 = System.nanoTime();
                OperationResult result = cluster.switchover(target);
                long t1 = System.nanoTime();
                write(cluster.primary());
                long t2 = System.nanoTime();
                switchover.add((t2 - t0) / 1_000_000);
                switchoverCall.add((t1 - t0) / 1_000_000);
                collect(switchoverSteps, result.steps(), roles);
                System.out.printf("switchover %d to %s: %d ms (call %d ms, write %d ms), load %s%n", i + 1, target,
                        (t2 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Load.now());
            }
            if (!cluster.primary().name().equals("primary")) {
                cluster.switchover("primary");
            }
        }

        /** Fails over from the current primary, once untimed, rejoining the old primary after each run. */
        void failovers(ReplicationCluster cluster, int reps) throws SQLException {
            for (int i = -1; i < reps; i++) {
                ClusterNode old = cluster.primary();
                Map<String, String> roles = roles(cluster, null);
                long t0 = System.nanoTime();
                old.stop(StopMode.IMMEDIATE);
                long t1 = System.nanoTime();
                OperationResult result = cluster.failover(Failover.toMostAdvanced());
                long t2 = System.nanoTime();
                write(cluster.primary());
                long t3 = System.nanoTime();
                long r0 = System.nanoTime();
                cluster.rejoin(old.name());
                long r1 = System.nanoTime();
                String line = String.format("failover %d from %s to %s: %d ms after the stop (call %d ms, write %d"
                        + " ms; stop -m immediate %d ms; rejoin afterwards %d ms), load %s", i + 1, old.name(),
                        cluster.primary().name(), (t3 - t1) / 1_000_000, (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (t1 - t0) / 1_000_000, (r1 - r0) / 1_000_000, Load.now());
                if (i < 0) {
                    System.out.println("untimed " + line);
                    continue;
                }
                System.out.println(line);
                failover.add((t3 - t1) / 1_000_000);
                failoverCall.add((t2 - t1) / 1_000_000);
                stop.add((t1 - t0) / 1_000_000);
                rejoin.add((r1 - r0) / 1_000_000);
                roles.put(cluster.primary().name(), "promoted");
                collect(failoverSteps, result.steps(), roles);
            }
        }

        void print(int reps) {
            System.out.println();
            System.out.println("Operations on primary + 2 standbys (ReplicationCluster.start(2)), " + reps + " runs"
                    + " each, load at the end " + Load.now());
            System.out.println("  switchover, call + write on the new primary : " + switchover
                    + "  (target < 1200 ms)");
            System.out.println("    of which the switchover call          : " + switchoverCall);
            OperationsBenchmark.print(switchoverSteps);
            System.out.println("  failover, after the stop, call + write     : " + failover + "  (target < 600 ms)");
            System.out.println("    of which the failover call            : " + failoverCall);
            System.out.println("    pg_ctl stop -m immediate (before)     : " + stop);
            System.out.println("    rejoin of the old primary (between)   : " + rejoin + "  (target < 1000 ms)");
            OperationsBenchmark.print(failoverSteps);
        }
    }

    /** One INSERT through a new JDBC connection, as an application's first write on the new primary. */
    private static void write(ClusterNode primary) throws SQLException {
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), primary.username(),
                primary.password().reveal().orElseThrow()); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO bench_writes DEFAULT VALUES");
        }
    }

    /** Names each node by its part in the operation, so steps of runs in both directions line up. */
    static Map<String, String> roles(ReplicationCluster cluster, String target) {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(cluster.primary().name(), "old primary");
        for (ClusterNode s : cluster.standbys()) {
            roles.put(s.name(), s.name().equals(target) ? "target" : "sibling");
        }
        return roles;
    }

    /** Step i of every run (the same plan each time, in either direction), labelled as in the first run. */
    static void collect(Map<String, Stats> steps, List<StepOutcome> outcomes, Map<String, String> roles) {
        List<String> keys = List.copyOf(steps.keySet());
        for (int i = 0; i < outcomes.size(); i++) {
            StepOutcome o = outcomes.get(i);
            String key = i < keys.size() ? keys.get(i) : String.format("%2d [%d commands, %d SQL] %s (%s): %s", i + 1,
                    o.commands(), o.queries(), o.node(), roles.getOrDefault(o.node(), "-"), o.title());
            steps.computeIfAbsent(key, k -> new Stats()).add(o.elapsed().toMillis());
        }
    }

    static void print(Map<String, Stats> steps) {
        System.out.println("    steps (StepOutcome.elapsed, median; round trips counted in the first run):");
        steps.forEach((k, v) -> System.out.printf("      %5d ms  %s  %s%n", v.median(),
                k.length() > 110 ? k.substring(0, 110) + "..." : k, v.values()));
    }
}
