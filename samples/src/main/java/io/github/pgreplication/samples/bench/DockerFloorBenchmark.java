package io.github.pgreplication.samples.bench;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * The floor under the first cluster of a fresh JVM: what Testcontainers alone costs there, with no PostgreSQL work
 * and no library code. In a new JVM (the harness starts one per run, {@code scripts/run-benchmarks.sh first}): set up
 * Testcontainers' Docker client, create a network, start three idle containers of the cluster's image in parallel
 * (each with a network alias and a published port, as the testkit's machines), run one {@code true} in each, then
 * remove everything. {@code bench/baseline-floor.sh} does the same with the Docker CLI. Prints one line
 * {@code floor=<ms> floorClient=<ms> floorNetwork=<ms> floorContainers=<ms> floorExecs=<ms> floorCpu=<ms>
 * floorJvmCpu=<ms>} (the CPU of the whole machine and of this JVM over {@code floor}).
 */
public final class DockerFloorBenchmark {
    private DockerFloorBenchmark() {
    }

    /** A wait strategy that waits for nothing: the containers run {@code sleep}. */
    private static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }

    /**
     * @param args optional image, default {@code pgreplication/postgres:17-local}
     * @throws Exception when Docker refuses a request, or an exec in a container fails or is interrupted
     */
    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "pgreplication/postgres:17-local";
        long b0 = FirstClusterBenchmark.busyMillis();
        long j0 = FirstClusterBenchmark.jvmCpuNanos();
        long t0 = System.nanoTime();
        DockerClientFactory.instance().client();
        long t1 = System.nanoTime();
        Network network = Network.newNetwork();
        network.getId();
        long t2 = System.nanoTime();
        List<GenericContainer<?>> containers = new ArrayList<>();
        for (String name : List.of("primary", "standby1", "standby2")) {
            containers.add(new GenericContainer<>(image).withCommand("sleep", "infinity").withNetwork(network)
                    .withNetworkAliases(name).withExposedPorts(5432)
                    .withStartupCheckStrategy(new IsRunningStartupCheckStrategy()).waitingFor(new NoWait()));
        }
        try {
            containers.parallelStream().forEach(GenericContainer::start);
            long t3 = System.nanoTime();
            for (GenericContainer<?> c : containers) {
                c.execInContainer("true");
            }
            long t4 = System.nanoTime();
            long b1 = FirstClusterBenchmark.busyMillis();
            long j1 = FirstClusterBenchmark.jvmCpuNanos();
            System.out.printf("floor=%d floorClient=%d floorNetwork=%d floorContainers=%d floorExecs=%d floorCpu=%d"
                    + " floorJvmCpu=%d%n", (t4 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, b0 < 0 || b1 < 0 ? -1 : b1 - b0,
                    (j1 - j0) / 1_000_000);
        } finally {
            containers.forEach(GenericContainer::stop);
            network.close();
        }
    }
}
