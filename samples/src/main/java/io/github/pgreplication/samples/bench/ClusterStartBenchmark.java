package io.github.pgreplication.samples.bench;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.ReplicationCluster;

/**
 * Cold start of "primary + 2 standbys streaming" with images present: the testkit (set up by the library) against a
 * naive baseline script (bench/baseline-cluster.sh: containers started one by one, standbys cloned one after the
 * other with pg_basebackup, no slots, default checkpoint), interleaved in one run. Prints medians. The same script
 * with its data directories on tmpfs volumes runs too, to show how much of the difference is the testkit keeping a
 * non-durable cluster's data in memory and how much the rest.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh start [repetitions]}.
 */
public final class ClusterStartBenchmark {
    private ClusterStartBenchmark() {
    }

    /** @param args optional repetition count (default 7) */
    @SuppressWarnings("try") // the timed cluster is only started and closed: what is measured is the start
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String image = PostgresImage.resolve(17);
        Stats library = new Stats();
        Stats baseline = new Stats();
        Stats baselineInMemory = new Stats();
        Stats again = new Stats();
        // One untimed start each: the JVM's first Docker connection and class loading are not what we measure.
        ReplicationCluster.start(2).close();
        runBaseline(image, "disk");
        runBaseline(image, "memory");
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
                library.add((System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                cluster.replication().apply(); // a second apply(): nothing to change
                again.add((System.nanoTime() - t1) / 1_000_000);
            }
            baseline.add(runBaseline(image, "disk"));
            baselineInMemory.add(runBaseline(image, "memory"));
        }
        System.out.println();
        System.out.println("Cold start to primary + 2 standbys streaming, image " + image + ", " + reps + " runs each");
        System.out.println("  testkit (library, non-durable: data in memory) : " + library);
        System.out.println("  naive baseline script (data on disk)           : " + baseline);
        System.out.println("  same script, data directories in memory        : " + baselineInMemory);
        System.out.println("  a second apply() that changes nothing          : " + again + "  (target < 150 ms)");
        System.out.printf("  speed-up vs naive baseline : %.2fx (target >= 2x, and library < 6000 ms)%n",
                (double) baseline.median() / library.median());
        System.out.printf("  speed-up vs in-memory script: %.2fx (what is left once both keep data in memory)%n",
                (double) baselineInMemory.median() / library.median());
    }

    private static long runBaseline(String image, String storage) {
        String out = LocalHost.current().run(Command.of("bash", "bench/baseline-cluster.sh", image, storage)).stdout()
                .strip();
        return Long.parseLong(out.substring(out.lastIndexOf('\n') + 1).strip());
    }
}
