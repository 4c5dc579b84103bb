package io.github.pgreplication.samples.bench;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.internal.ReadWithMode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.postgresql.util.PasswordUtil;

/**
 * An experiment for the cold start of issue 10: the first cluster of a fresh JVM as {@code ReplicationCluster.start(2)}
 * builds it (the same image, an in-memory data directory per node, the primary copied from the image's template as
 * its container starts, the same settings, role, pg_hba rule and pg_basebackup clones through the core library's
 * {@code apply()}), but with Docker reached through {@link JdkDocker} (the JDK alone) instead of Testcontainers and
 * docker-java. Nothing of Testcontainers is loaded. It answers: how fast would the first cluster be with a Docker
 * client of the testkit's own? Prints one line {@code jdkFirst=<ms> jdkFirstContainers=<ms> jdkFirstPrimary=<ms>
 * jdkFirstSetUp=<ms> jdkFirstCpu=<ms> jdkFirstJvmCpu=<ms>}, then removes everything.
 *
 * <p>Its modes {@code prepare}, {@code kept} and {@code keptTc} (see {@link #main}) answer a second question: how
 * fast would the first cluster of a JVM be on machines kept from an earlier JVM, with and without Testcontainers?
 * They print {@code kept=<ms> keptClient=<ms> keptPrimary=<ms> keptSetUp=<ms> keptJvmCpu=<ms>} (or the same with
 * {@code keptTc}). {@code scripts/run-benchmarks.sh kept [reps]} runs them.
 */
public final class JdkFirstClusterBenchmark {
    private static final String DATA = "/var/lib/postgresql/data";
    private static final String TEMPLATE = "/var/lib/postgresql/template";
    private static final String READY = "pgreplication-machine-ready";

    private JdkFirstClusterBenchmark() {
    }

    /** A {@link Host} in a container, through {@link JdkDocker#exec}. */
    private record JdkContainerHost(String container, String user, String alias) implements Host {
        @Override
        public String name() {
            return "jdk-container:" + alias;
        }

        @Override
        public CommandResult execute(Command command) {
            List<String> env = new ArrayList<>();
            command.environment().forEach((k, v) -> env.add(k + "=" + v));
            JdkDocker.Exec e = JdkDocker.exec(container, user, command.argv(), env, command.stdin());
            if (command.outputListener() != null) {
                e.stdout().lines().forEach(command.outputListener());
                e.stderr().lines().forEach(command.outputListener());
            }
            return new CommandResult(e.exitCode(), e.stdout(), e.stderr());
        }

        @Override
        public Optional<FileWithMode> readFileWithMode(String path) {
            return ReadWithMode.read(this, path);
        }
    }

    /**
     * @param args optional image (default {@code pgreplication/postgres:17-local}), then optional mode: {@code all}
     *             (default: the first cluster from nothing), {@code prepare FILE} (starts the network and the three
     *             machines, the primary's data directory copied from the template, writes what it started to FILE and
     *             leaves it all running, as machines kept from an earlier JVM would be), {@code kept FILE} or
     *             {@code keptTc FILE} (the first cluster on those machines: the primary's database started and the
     *             replication set up, then everything removed; {@code kept} through {@link JdkDocker},
     *             {@code keptTc} through Testcontainers' client and the testkit's {@code ContainerHost}, its set-up
     *             timed too)
     * @throws Exception when Docker refuses a request, a machine does not start, or FILE cannot be read or written:
     *                   the benchmark stops there
     */
    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "pgreplication/postgres:17-local";
        String mode = args.length > 1 ? args[1] : "all";
        switch (mode) {
            case "all" -> all(image);
            case "prepare" -> prepare(image, java.nio.file.Path.of(args[2]));
            case "kept" -> kept(java.nio.file.Path.of(args[2]), false);
            case "keptTc" -> kept(java.nio.file.Path.of(args[2]), true);
            default -> throw new IllegalArgumentException("mode " + mode + ": use all, prepare, kept or keptTc");
        }
    }

    private static void all(String image) throws Exception {
        String prefix = "jc" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        String[] network = new String[1];
        long b0 = FirstClusterBenchmark.busyMillis();
        long j0 = FirstClusterBenchmark.jvmCpuNanos();
        long t0 = System.nanoTime();
        try {
            List<CompletableFuture<Void>> up = startMachines(image, prefix, network, ids, ports);
            up.get(0).join();
            long tContainers = System.nanoTime();
            Secret password = Secret.of("super-" + UUID.randomUUID());
            startPrimaryDatabase(new JdkContainerHost(ids.get("primary"), "postgres", "primary"), password);
            up.forEach(CompletableFuture::join);
            long tPrimary = System.nanoTime();
            Map<String, Host> hosts = new LinkedHashMap<>();
            ids.forEach((name, id) -> hosts.put(name, new JdkContainerHost(id, "postgres", name)));
            setUp(hosts, ports, password);
            long tEnd = System.nanoTime();
            long b1 = FirstClusterBenchmark.busyMillis();
            long j1 = FirstClusterBenchmark.jvmCpuNanos();
            System.out.printf("jdkFirst=%d jdkFirstContainers=%d jdkFirstPrimary=%d jdkFirstSetUp=%d jdkFirstCpu=%d"
                    + " jdkFirstJvmCpu=%d%n", ms(tEnd - t0), ms(tContainers - t0), ms(tPrimary - tContainers),
                    ms(tEnd - tPrimary), b0 < 0 || b1 < 0 ? -1 : b1 - b0, (j1 - j0) / 1_000_000);
        } finally {
            remove(ids.values(), network[0]);
        }
    }

    /** Starts the network and the three machines, and leaves them running; FILE tells {@link #kept} what they are. */
    private static void prepare(String image, java.nio.file.Path file) throws Exception {
        String prefix = "jk" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        String[] network = new String[1];
        try {
            startMachines(image, prefix, network, ids, ports).forEach(CompletableFuture::join);
            StringBuilder sb = new StringBuilder("network " + network[0] + "\n");
            ids.forEach((name, id) -> sb.append(name).append(' ').append(id).append(' ').append(ports.get(name))
                    .append('\n'));
            java.nio.file.Files.writeString(file, sb);
        } catch (RuntimeException e) {
            remove(ids.values(), network[0]);
            throw e;
        }
    }

    /**
     * The first cluster of this JVM on machines started by an earlier one ({@link #prepare}): what a testkit that keeps
     * its machines across JVMs would pay. With Testcontainers, its client is set up and the containers listed first,
     * as adopting them would need; the containers are then handed to the testkit's {@code ContainerHost} through a
     * {@code GenericContainer} whose id is set by reflection (an experiment's shortcut: Testcontainers has no public
     * way to adopt a container).
     */
    private static void kept(java.nio.file.Path file, boolean testcontainers) throws Exception {
        long j0 = FirstClusterBenchmark.jvmCpuNanos();
        long t0 = System.nanoTime();
        List<String> lines = java.nio.file.Files.readAllLines(file);
        String network = lines.get(0).split(" ")[1];
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            ids.put(f[0], f[1]);
            ports.put(f[0], Integer.parseInt(f[2]));
        }
        try {
            Map<String, Host> hosts = new LinkedHashMap<>();
            if (testcontainers) {
                var docker = org.testcontainers.DockerClientFactory.instance().client();
                if (docker.listContainersCmd().withIdFilter(ids.values()).exec().size() != ids.size()) {
                    throw new IllegalStateException("the kept containers are not all running: " + ids);
                }
                String image = docker.inspectContainerCmd(ids.get("primary")).exec().getConfig().getImage();
                java.lang.reflect.Field id = org.testcontainers.containers.GenericContainer.class
                        .getDeclaredField("containerId");
                id.setAccessible(true);
                for (Map.Entry<String, String> e : ids.entrySet()) {
                    var container = new org.testcontainers.containers.GenericContainer<>(
                            org.testcontainers.utility.DockerImageName.parse(image)).withNetworkAliases(e.getKey());
                    id.set(container, e.getValue());
                    hosts.put(e.getKey(), io.github.pgreplication.testkit.ContainerHost.of(container, "postgres"));
                }
            } else {
                if (JdkDocker.call("GET", "/containers/json?filters=" + java.net.URLEncoder.encode(
                        "{\"network\":[\"" + network + "\"]}", StandardCharsets.UTF_8), null).split("\"Id\"").length
                        != ids.size() + 1) {
                    throw new IllegalStateException("the kept containers are not all running: " + ids);
                }
                ids.forEach((name, id) -> hosts.put(name, new JdkContainerHost(id, "postgres", name)));
            }
            long tClient = System.nanoTime();
            Secret password = Secret.of("super-" + UUID.randomUUID());
            startPrimaryDatabase(hosts.get("primary"), password);
            long tPrimary = System.nanoTime();
            setUp(hosts, ports, password);
            long tEnd = System.nanoTime();
            String p = testcontainers ? "keptTc" : "kept";
            System.out.printf("%s=%d %sClient=%d %sPrimary=%d %sSetUp=%d %sJvmCpu=%d%n", p, ms(tEnd - t0), p,
                    ms(tClient - t0), p, ms(tPrimary - tClient), p, ms(tEnd - tPrimary), p,
                    (FirstClusterBenchmark.jvmCpuNanos() - j0) / 1_000_000);
        } finally {
            remove(ids.values(), network);
        }
    }

    /** Creates the network and starts the three containers, in parallel; the primary's copies the template. */
    private static List<CompletableFuture<Void>> startMachines(String image, String prefix, String[] network,
            Map<String, String> ids, Map<String, Integer> ports) throws java.io.IOException {
        network[0] = JdkDocker.id(JdkDocker.call("POST", "/networks/create", "{\"Name\":\"" + prefix + "\"}"));
        List<CompletableFuture<Void>> up = new ArrayList<>();
        for (String name : List.of("primary", "standby1", "standby2")) {
            int port = freePort();
            ports.put(name, port);
            boolean copy = name.equals("primary");
            up.add(CompletableFuture.runAsync(() -> {
                String id = JdkDocker.run(prefix + "-" + name, image, List.of("sh", "-c", "set -e; chown postgres:"
                        + "postgres \"$1\"; chmod 0700 \"$1\"; if [ \"$2\" = copy ] && [ -d \"$3\" ]; then"
                        + " cp -a -T \"$3\" \"$1\"; fi; echo " + READY + "; exec sleep infinity", "sh", DATA,
                        copy ? "copy" : "no-copy", TEMPLATE), prefix, name, Map.of(5432, port), true, DATA);
                synchronized (ids) {
                    ids.put(name, id);
                }
                JdkDocker.awaitLine(id, READY);
            }));
        }
        return up;
    }

    /** The testkit's own start of the primary's database: pg_hba, listen_addresses, start, the superuser's password. */
    private static void startPrimaryDatabase(Host primaryHost, Secret password) {
        primaryHost.writeFile(DATA + "/pg_hba.conf", "local all all trust\nhost all all all scram-sha-256\n"
                + "local replication all trust\n", "0600");
        primaryHost.writeFile(DATA + "/postgresql.auto.conf", "listen_addresses = '*'\nwal_log_hints = 'on'\n",
                "0600");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        String verifier = PasswordUtil.encodeScramSha256(password.reveal().orElseThrow().toCharArray(), 64, salt);
        primaryHost.run(Command.of("sh", "-c", "pg_ctl -D \"$1\" -w -t 120 -l \"$1.log\" start >/dev/null && exec"
                + " psql -X -q -v ON_ERROR_STOP=1 -d postgres -f -", "sh", DATA).withStdin(("ALTER ROLE postgres"
                + " PASSWORD '" + verifier + "';\nALTER ROLE postgres SET scram_iterations = 64;\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The replication set-up of {@code ReplicationCluster.start(2)}, through the core's {@code apply()}. */
    private static void setUp(Map<String, Host> hosts, Map<String, Integer> ports, Secret password) {
        PrimarySettings settings = PrimarySettings.nonDurable().withFullPageWrites(true)
                .withWalKeepSize(DataSize.parse("64MB"))
                .withParameter("wal_sender_timeout", "5000ms")
                .withParameter("wal_receiver_timeout", "5000ms")
                .withParameter("wal_retrieve_retry_interval", "1s")
                .withParameter("wal_receiver_status_interval", "1s");
        ReplicationRole role = ReplicationRole.named("replicator").withPassword(Secret.of("repl-" + UUID.randomUUID()));
        Replication.Builder builder = Replication.primary(Primary.at(Endpoint.of("primary", 5432))
                        .withName("primary")
                        .withAdminEndpoint(Endpoint.of("localhost", ports.get("primary")))
                        .withAdmin("postgres", password)
                        .withHost(hosts.get("primary"))
                        .withDataDirectory(DATA)
                        .withService(ServiceControl.pgCtl()))
                .settings(settings)
                .replicationRole(role)
                .allow(HbaRule.replication(role.name(), "samenet", "scram-sha-256"))
                .streamingTimeout(Duration.ofSeconds(60));
        for (String name : List.of("standby1", "standby2")) {
            builder.addStandby(Standby.named(name).withHost(hosts.get(name))
                    .withDataDirectory(DATA).withEndpoint(Endpoint.of(name, 5432))
                    .withCloneMethods(BaseBackup.defaults().withSync(false))
                    .withAdminEndpoint(Endpoint.of("localhost", ports.get(name)), "postgres", password));
        }
        ApplyResult result = builder.load().apply();
        if (result.cloneMethodUsed("standby2").isEmpty()) {
            throw new IllegalStateException("unexpected result: " + result);
        }
    }

    private static void remove(java.util.Collection<String> containers, String network) {
        for (String id : containers) {
            JdkDocker.call("DELETE", "/containers/" + id + "?force=true&v=true", null);
        }
        if (network != null) {
            JdkDocker.call("DELETE", "/networks/" + network, null);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
