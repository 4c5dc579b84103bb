package io.github.pgreplication.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The floor of {@link DockerFloorBenchmark} without Testcontainers: the same network, three idle containers started
 * in parallel (network alias and a published port each) and one {@code true} run in each, through Docker's Engine API
 * over its Unix socket with the JDK alone ({@link JdkDocker}). It answers one question for the cold start of issue 10:
 * what a Docker client of the testkit's own would cost in a fresh JVM. Prints one line {@code jdkFloor=<ms>
 * jdkFloorNetwork=<ms> jdkFloorContainers=<ms> jdkFloorExecs=<ms> jdkFloorCpu=<ms> jdkFloorJvmCpu=<ms>}.
 */
public final class JdkDockerFloorBenchmark {
    private JdkDockerFloorBenchmark() {
    }

    /**
     * @param args optional image, default {@code pgreplication/postgres:17-local}
     * @throws Exception when Docker refuses a request or a container does not start: the benchmark stops there
     */
    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "pgreplication/postgres:17-local";
        String prefix = "jf" + UUID.randomUUID().toString().substring(0, 8);
        List<String> containers = new ArrayList<>();
        String network = null;
        long b0 = FirstClusterBenchmark.busyMillis();
        long j0 = FirstClusterBenchmark.jvmCpuNanos();
        long t0 = System.nanoTime();
        try {
            network = JdkDocker.id(JdkDocker.call("POST", "/networks/create", "{\"Name\":\"" + prefix + "\"}"));
            long t1 = System.nanoTime();
            List<CompletableFuture<String>> started = new ArrayList<>();
            for (String name : List.of("primary", "standby1", "standby2")) {
                started.add(CompletableFuture.supplyAsync(() -> {
                    // Port 0: Docker picks a free host port, as Testcontainers' exposed ports do.
                    String id = JdkDocker.run(prefix + "-" + name, image, List.of("sleep", "infinity"), prefix, name,
                            Map.of(5432, 0), false, null);
                    synchronized (containers) {
                        containers.add(id);
                    }
                    JdkDocker.call("GET", "/containers/" + id + "/json", null);
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            started.forEach(f -> ids.add(f.join()));
            long t2 = System.nanoTime();
            for (String id : ids) {
                JdkDocker.Exec e = JdkDocker.exec(id, "root", List.of("true"), List.of(), null);
                if (e.exitCode() != 0) {
                    throw new IllegalStateException("true in " + id + " exited with " + e.exitCode());
                }
            }
            long t3 = System.nanoTime();
            long b1 = FirstClusterBenchmark.busyMillis();
            long j1 = FirstClusterBenchmark.jvmCpuNanos();
            System.out.printf("jdkFloor=%d jdkFloorNetwork=%d jdkFloorContainers=%d jdkFloorExecs=%d jdkFloorCpu=%d"
                    + " jdkFloorJvmCpu=%d%n", (t3 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000, b0 < 0 || b1 < 0 ? -1 : b1 - b0, (j1 - j0) / 1_000_000);
        } finally {
            for (String id : containers) {
                JdkDocker.call("DELETE", "/containers/" + id + "?force=true&v=true", null);
            }
            if (network != null) {
                JdkDocker.call("DELETE", "/networks/" + network, null);
            }
        }
    }
}
