package io.github.pgreplication.samples.bench;

import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;

/**
 * One run of "the first cluster of a fresh JVM", which is what a user's first test pays; the harness starts this
 * class in a new JVM per run ({@code scripts/run-benchmarks.sh first [repetitions]}) and interleaves the naive
 * baseline script. Prints one line {@code first=<ms> warm=<ms> fromJvmStart=<ms> docker=<ms> warmCpu=<ms>
 * warmJvmCpu=<ms> warmContainersCpu=<ms> afterUse=<ms> firstCpu=<ms> firstJvmCpu=<ms>}:
 * <ul>
 * <li>{@code first}: the first {@code ReplicationCluster.start(2)} of the JVM;</li>
 * <li>{@code warm}: a second one, started as soon as the first is closed: the worst case for the machines the testkit
 *     prepares in the background after each start (they are still starting);</li>
 * <li>{@code afterUse}: a third one, started after the second was kept {@value #USE_MS} ms (a short test class),
 *     which is what the next test class pays;</li>
 * <li>{@code fromJvmStart}: from the JVM's own start until the first cluster was up;</li>
 * <li>{@code warmCpu}, {@code warmJvmCpu}, {@code warmContainersCpu}: the CPU time the whole machine, this JVM and
 *     the containers' processes spent during the second start (where /proc and cgroup v1 are readable, else -1): on a
 *     machine of two cores, it tells whether the start waits for something or is CPU-bound;</li>
 * <li>{@code firstCpu}, {@code firstJvmCpu}: the same for the whole machine and this JVM during the first start.</li>
 * </ul>
 * With the argument {@code split}, Testcontainers' Docker client is set up first on its own
 * ({@code DockerClientFactory.instance().client()}), timed as {@code docker}, so the first start shows what is left
 * once it is paid. With {@code -Dpgreplication.prefetch=false}, every start begins from nothing.
 */
public final class FirstClusterBenchmark {
    private FirstClusterBenchmark() {
    }

    /** @return CPU time this JVM's process has spent so far, every thread, in nanoseconds */
    static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * @return CPU time spent by the whole machine (every process, every core: the JVM, Docker's daemons, the
     *         containers' processes) in ms, from Linux's /proc/stat, or -1 elsewhere
     */
    static long busyMillis() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal: not idle, not iowait
                busy += Long.parseLong(f[i]);
            }
            return busy * 10; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @return CPU time of the processes inside every running Docker container, in ms (cgroup v1's cpuacct under
     *         {@code docker/}), or -1 where that is not readable; the warm cluster's containers are the only ones
     */
    static long containersCpuMillis() {
        java.nio.file.Path root = java.nio.file.Path.of("/sys/fs/cgroup/cpuacct/docker");
        try (var dirs = java.nio.file.Files.list(root)) {
            long nanos = 0;
            for (java.nio.file.Path d : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
                nanos += Long.parseLong(java.nio.file.Files.readString(d.resolve("cpuacct.usage")).trim());
            }
            return nanos / 1_000_000;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How long the second cluster is kept before the third starts: a short test class. */
    static final long USE_MS = 2000;

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        long fb0 = busyMillis();
        long fj0 = jvmCpuNanos();
        long t0 = System.nanoTime();
        ReplicationCluster first = ReplicationCluster.start(2);
        long t1 = System.nanoTime();
        long fb1 = busyMillis();
        long fj1 = jvmCpuNanos();
        Instant up = Instant.now();
        first.close();
        long b0 = busyMillis();
        long j0 = jvmCpuNanos();
        long w0 = System.nanoTime();
        ReplicationCluster warm = ReplicationCluster.start(2);
        long w1 = System.nanoTime();
        long b1 = busyMillis();
        long j1 = jvmCpuNanos();
        long containers = containersCpuMillis();
        // A test class's worth of use (USE_MS), then the next class's cluster: by then the machines the testkit
        // prepares in the background after each start are up (unless -Dpgreplication.prefetch=false).
        sleep(USE_MS);
        warm.close();
        long a0 = System.nanoTime();
        ReplicationCluster afterUse = ReplicationCluster.start(2);
        long a1 = System.nanoTime();
        afterUse.close();
        System.out.printf("first=%d warm=%d fromJvmStart=%d docker=%d warmCpu=%d warmJvmCpu=%d warmContainersCpu=%d"
                + " afterUse=%d firstCpu=%d firstJvmCpu=%d%n",
                (t1 - t0) / 1_000_000, (w1 - w0) / 1_000_000,
                jvmStart == null ? -1 : Duration.between(jvmStart, up).toMillis(), docker,
                b0 < 0 || b1 < 0 ? -1 : b1 - b0, (j1 - j0) / 1_000_000, containers, (a1 - a0) / 1_000_000,
                fb0 < 0 || fb1 < 0 ? -1 : fb1 - fb0, (fj1 - fj0) / 1_000_000);
    }
}
