package io.github.pgreplication.samples.bench;

import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;

/**
 * One run of "the first cluster of a fresh JVM", which is what a user's first test pays; the harness starts this
 * class in a new JVM per run ({@code scripts/run-benchmarks.sh first [repetitions]}) and interleaves the naive
 * baseline script. Prints one line {@code first=<ms> warm=<ms> fromJvmStart=<ms> docker=<ms>}: the first
 * {@code ReplicationCluster.start(2)} of the JVM, a second one in the same JVM, and the time from the JVM's own
 * start until the first cluster was up. With the argument {@code split}, Testcontainers' Docker client is set up
 * first on its own ({@code DockerClientFactory.instance().client()}), timed as {@code docker}, so the first start
 * shows what is left once it is paid.
 */
public final class FirstClusterBenchmark {
    private FirstClusterBenchmark() {
    }

    /** @param args optional {@code split} */
    public static void main(String[] args) {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(null);
        long docker = -1;
        if (args.length > 0 && args[0].equals("split")) {
            long d0 = System.nanoTime();
            DockerClientFactory.instance().client();
            docker = (System.nanoTime() - d0) / 1_000_000;
        }
        long t0 = System.nanoTime();
        ReplicationCluster first = ReplicationCluster.start(2);
        long t1 = System.nanoTime();
        Instant up = Instant.now();
        first.close();
        long w0 = System.nanoTime();
        ReplicationCluster warm = ReplicationCluster.start(2);
        long w1 = System.nanoTime();
        warm.close();
        System.out.printf("first=%d warm=%d fromJvmStart=%d docker=%d%n", (t1 - t0) / 1_000_000,
                (w1 - w0) / 1_000_000, jvmStart == null ? -1 : Duration.between(jvmStart, up).toMillis(), docker);
    }
}
