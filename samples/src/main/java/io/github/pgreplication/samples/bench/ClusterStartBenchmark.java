package io.github.pgreplication.samples.bench;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.ReplicationCluster;

/**
 * Cold start of "primary + 2 standbys streaming" with images present: the testkit (set up by the library) against a
 * naive baseline script (bench/baseline-cluster.sh: containers started one by one, standbys cloned one after the
 * other with pg_basebackup, no slots, default checkpoint), interleaved in one run. Prints medians.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh start [repetitions]}.
 */
public final class ClusterStartBenchmark {
    private ClusterStartBenchmark() {
    }

    /** @param args optional repetition count (default 7) */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String image = PostgresImage.resolve(17);
        Stats library = new Stats();
        Stats baseline = new Stats();
        // One untimed start each: the JVM's first Docker connection and class loading are not what we measure.
        ReplicationCluster.start(2).close();
        runBaseline(image);
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
                library.add((System.nanoTime() - t0) / 1_000_000);
            }
            baseline.add(runBaseline(image));
        }
        System.out.println();
        System.out.println("Cold start to primary + 2 standbys streaming, image " + image + ", " + reps + " runs each");
        System.out.println("  testkit (library) : " + library);
        System.out.println("  naive baseline    : " + baseline);
        System.out.printf("  speed-up          : %.2fx (target >= 2x, and library < 6000 ms)%n",
                (double) baseline.median() / library.median());
    }

    private static long runBaseline(String image) {
        String out = LocalHost.current().run(Command.of("bash", "bench/baseline-cluster.sh", image)).stdout().strip();
        return Long.parseLong(out.substring(out.lastIndexOf('\n') + 1).strip());
    }
}
