package io.github.pgreplication.samples.bench;

import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.TestDatabase;
import java.time.Duration;

/**
 * What a test pays for isolation and for noticing a partition, with the testkit's defaults: {@code freshDatabase()}
 * (until every standby has replayed it) against a new {@code ReplicationCluster.start(2)}, and the time from
 * {@code partition()} of a standby until the primary no longer lists it streaming (wal_sender_timeout 5 s).
 * A cluster's close() and a database's close() (DROP DATABASE) are timed apart.
 * Prints medians.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh isolation [repetitions]}.
 */
public final class IsolationBenchmark {
    private IsolationBenchmark() {
    }

    /**
     * @param args optional repetition count (default 5; fresh databases 4x as many)
     * @throws InterruptedException when interrupted while waiting for a partitioned standby to stop streaming
     */
    public static void main(String[] args) throws InterruptedException {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Stats start = new Stats();
        Stats close = new Stats();
        Stats fresh = new Stats();
        Stats drop = new Stats();
        Stats partition = new Stats();
        ReplicationCluster.start(2).close(); // untimed: the JVM's first Docker connection and class loading
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            ReplicationCluster cluster = ReplicationCluster.start(2);
            long t1 = System.nanoTime();
            cluster.close();
            start.add((t1 - t0) / 1_000_000);
            close.add((System.nanoTime() - t1) / 1_000_000);
        }
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            cluster.freshDatabase().close(); // untimed
            for (int i = 0; i < reps * 4; i++) {
                long t0 = System.nanoTime();
                TestDatabase db = cluster.freshDatabase();
                long t1 = System.nanoTime();
                db.close();
                fresh.add((t1 - t0) / 1_000_000);
                drop.add((System.nanoTime() - t1) / 1_000_000);
            }
            ClusterNode standby = cluster.standby(0);
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                standby.partition();
                while (cluster.replication().status().standby(standby.name()).orElseThrow().streaming()) {
                    Thread.sleep(10);
                }
                partition.add((System.nanoTime() - t0) / 1_000_000);
                standby.heal();
                cluster.replication().awaitStreaming(Duration.ofSeconds(60));
            }
        }
        System.out.println();
        System.out.println("Load at the end " + Load.now());
        System.out.println("ReplicationCluster.start(2): " + start);
        System.out.println("  its close(): " + close);
        System.out.println("freshDatabase() until every standby replayed it: " + fresh);
        System.out.println("  its close() (DROP DATABASE): " + drop);
        System.out.printf("  ratio start/fresh: %.1fx (target >= 8x, fresh < 300 ms)%n",
                (double) start.median() / fresh.median());
        System.out.println("partition() until the primary no longer lists the standby: " + partition);
    }
}
