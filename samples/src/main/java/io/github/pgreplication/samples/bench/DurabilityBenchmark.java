package io.github.pgreplication.samples.bench;

import io.github.pgreplication.Failover;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.SynchronousCommit;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.Ledger;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a synchronous policy costs and how fast a failover under it is, on one durable primary + 2 standbys test
 * cluster (fsync on, data on disk), all in one run:
 * <ul>
 * <li>Commit throughput and latency of a {@link Ledger} (4 writers, 5 s per measurement) with no policy and under
 * {@code ANY 1} at commit level remote_write, on and remote_apply; the policies interleaved in every round, switched
 * with {@code setSyncPolicy}.</li>
 * <li>Failover under {@code ANY 1}, then without a policy as the baseline, alternating: a ledger writer runs, the
 * primary is killed with SIGKILL and {@code failover(Failover.toMostAdvanced())} is called; measured is the ledger's
 * longest stretch without an acknowledged commit, from the old primary's last to the new primary's first (under the
 * policy, that one needs the other standby streaming from the new primary); the old primary rejoins untimed.</li>
 * </ul>
 * Prints medians. Run with {@code scripts/run-benchmarks.sh durability [rounds]}.
 */
public final class DurabilityBenchmark {
    private static final Duration WINDOW = Duration.ofSeconds(5);

    private DurabilityBenchmark() {
    }

    /** @param args optional number of rounds (default 5) */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, SyncPolicy> policies = new LinkedHashMap<>();
        policies.put("no policy (asynchronous)", SyncPolicy.none());
        policies.put("ANY 1, remote_write", SyncPolicy.any(1).withCommitLevel(SynchronousCommit.REMOTE_WRITE));
        policies.put("ANY 1, on", SyncPolicy.any(1));
        policies.put("ANY 1, remote_apply", SyncPolicy.any(1).withCommitLevel(SynchronousCommit.REMOTE_APPLY));
        Results results = new Results();
        try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2).durable(true).start()) {
            results.commits(cluster, rounds, policies);
            results.failovers(cluster, rounds);
        }
        results.print(rounds);
    }

    /** What every round measured, per policy; durations in ms, latencies in us. */
    private static final class Results {
        private final Map<String, Stats> throughput = new LinkedHashMap<>();
        private final Map<String, Stats> p50 = new LinkedHashMap<>();
        private final Map<String, Stats> p99 = new LinkedHashMap<>();
        private final Stats syncFailover = new Stats();
        private final Stats syncCall = new Stats();
        private final Stats asyncFailover = new Stats();
        private final Stats asyncCall = new Stats();
        private final Map<String, Stats> steps = new LinkedHashMap<>();

        /** Measures a ledger's commits under each policy in turn, every round; round 0 untimed. */
        void commits(ReplicationCluster cluster, int rounds, Map<String, SyncPolicy> policies) {
            for (int round = 0; round <= rounds; round++) {
                for (Map.Entry<String, SyncPolicy> e : policies.entrySet()) {
                    cluster.setSyncPolicy(e.getValue());
                    Ledger.Report r = measure(cluster);
                    String line = String.format("round %d %-26s %6.0f commits/s, p50 %5d us, p99 %6d us, load %s",
                            round, e.getKey(), r.commitsPerSecond(), r.commitP50().toNanos() / 1000,
                            r.commitP99().toNanos() / 1000, Load.now());
                    if (round == 0) {
                        System.out.println("untimed " + line);
                        continue;
                    }
                    System.out.println(line);
                    throughput.computeIfAbsent(e.getKey(), k -> new Stats()).add(Math.round(r.commitsPerSecond()));
                    p50.computeIfAbsent(e.getKey(), k -> new Stats()).add(r.commitP50().toNanos() / 1000);
                    p99.computeIfAbsent(e.getKey(), k -> new Stats()).add(r.commitP99().toNanos() / 1000);
                }
            }
        }

        /** Fails over under ANY 1, then without a policy, every round; round 0 untimed. */
        void failovers(ReplicationCluster cluster, int rounds) {
            for (int round = 0; round <= rounds; round++) {
                cluster.setSyncPolicy(SyncPolicy.any(1));
                long[] sync = failover(cluster, round == 0 ? null : steps);
                cluster.setSyncPolicy(SyncPolicy.none());
                long[] async = failover(cluster, null);
                String line = String.format("round %d failover until the next acknowledged write: ANY 1 %d ms (call %d"
                        + " ms), asynchronous %d ms (call %d ms), load %s", round, sync[0], sync[1], async[0],
                        async[1], Load.now());
                if (round == 0) {
                    System.out.println("untimed " + line);
                    continue;
                }
                System.out.println(line);
                syncFailover.add(sync[0]);
                syncCall.add(sync[1]);
                asyncFailover.add(async[0]);
                asyncCall.add(async[1]);
            }
        }

        void print(int rounds) {
            System.out.println();
            System.out.println("Durable primary + 2 standbys, ledger of 4 writers, " + rounds + " rounds, load at the"
                    + " end " + Load.now());
            throughput.forEach((k, v) -> System.out.printf("  %-26s throughput %s%n  %-26s commit p50 %s%n"
                    + "  %-26s commit p99 %s%n", k, v.toString("commits/s"), "", p50.get(k).toString("us"), "",
                    p99.get(k).toString("us")));
            System.out.println("  failover under ANY 1, kill9 until the next acknowledged write: " + syncFailover
                    + "  (target < 1500 ms)");
            System.out.println("    of which the failover call                                 : " + syncCall);
            System.out.println("  the same without a policy (baseline)                         : " + asyncFailover);
            System.out.println("    of which the failover call                                 : " + asyncCall);
            OperationsBenchmark.print(steps);
        }
    }

    private static Ledger.Report measure(ReplicationCluster cluster) {
        try (Ledger ledger = Ledger.start(cluster, 4)) {
            sleep(WINDOW.toMillis());
            return ledger.verify();
        }
    }

    /**
     * @return the ledger's longest stretch without an acknowledged commit, which spans the kill: from the last commit
     *         acknowledged by the old primary to the first acknowledged by the new one; and the failover call; in ms
     */
    private static long[] failover(ReplicationCluster cluster, Map<String, Stats> steps) {
        try (Ledger ledger = Ledger.start(cluster, 1)) {
            ledger.awaitAcknowledged(100, Duration.ofSeconds(30));
            ClusterNode old = cluster.primary();
            Map<String, String> roles = OperationsBenchmark.roles(cluster, null);
            old.kill9();
            long t1 = System.nanoTime();
            OperationResult result = cluster.failover(Failover.toMostAdvanced());
            long t2 = System.nanoTime();
            ledger.awaitAcknowledged(10, Duration.ofSeconds(30));
            Ledger.Report report = ledger.verify();
            if (steps != null) {
                roles.put(cluster.primary().name(), "promoted");
                OperationsBenchmark.collect(steps, result.steps(), roles);
            }
            cluster.rejoin(old.name());
            return new long[] {report.longestOutage().toMillis(), (t2 - t1) / 1_000_000};
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
