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

    /** @param args optional image, default {@code pgreplication/postgres:17-local} */
    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "pgreplication/postgres:17-local";
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        String prefix = "jc" + UUID.randomUUID().toString().substring(0, 8);
        List<String> names = List.of("primary", "standby1", "standby2");
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        String network = null;
        long b0 = FirstClusterBenchmark.busyMillis();
        long j0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            network = JdkDocker.id(JdkDocker.call("POST", "/networks/create", "{\"Name\":\"" + prefix + "\"}"));
            String net = prefix;
            List<CompletableFuture<Void>> up = new ArrayList<>();
            for (String name : names) {
                int port = freePort();
                ports.put(name, port);
                boolean copy = name.equals("primary");
                up.add(CompletableFuture.runAsync(() -> {
                    String id = JdkDocker.run(prefix + "-" + name, image, List.of("sh", "-c", "set -e; chown postgres:"
                            + "postgres \"$1\"; chmod 0700 \"$1\"; if [ \"$2\" = copy ] && [ -d \"$3\" ]; then"
                            + " cp -a -T \"$3\" \"$1\"; fi; echo " + READY + "; exec sleep infinity", "sh", DATA,
                            copy ? "copy" : "no-copy", TEMPLATE), net, name, Map.of(5432, port), true, DATA);
                    synchronized (ids) {
                        ids.put(name, id);
                    }
                    JdkDocker.awaitLine(id, READY);
                }));
            }
            up.get(0).join();
            long tContainers = System.nanoTime();
            Secret password = Secret.of("super-" + UUID.randomUUID());
            Host primaryHost = new JdkContainerHost(ids.get("primary"), "postgres", "primary");
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
            up.forEach(CompletableFuture::join);
            long tPrimary = System.nanoTime();
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
                            .withHost(primaryHost)
                            .withDataDirectory(DATA)
                            .withService(ServiceControl.pgCtl()))
                    .settings(settings)
                    .replicationRole(role)
                    .allow(HbaRule.replication(role.name(), "samenet", "scram-sha-256"))
                    .streamingTimeout(Duration.ofSeconds(60));
            for (String name : names.subList(1, names.size())) {
                builder.addStandby(Standby.named(name).withHost(new JdkContainerHost(ids.get(name), "postgres", name))
                        .withDataDirectory(DATA).withEndpoint(Endpoint.of(name, 5432))
                        .withCloneMethods(BaseBackup.defaults().withSync(false))
                        .withAdminEndpoint(Endpoint.of("localhost", ports.get(name)), "postgres", password));
            }
            ApplyResult result = builder.load().apply();
            long tEnd = System.nanoTime();
            long b1 = FirstClusterBenchmark.busyMillis();
            long j1 = os.getProcessCpuTime();
            if (result.cloneMethodUsed("standby2").isEmpty()) {
                throw new IllegalStateException("unexpected result: " + result);
            }
            System.out.printf("jdkFirst=%d jdkFirstContainers=%d jdkFirstPrimary=%d jdkFirstSetUp=%d jdkFirstCpu=%d"
                    + " jdkFirstJvmCpu=%d%n", ms(tEnd - t0), ms(tContainers - t0), ms(tPrimary - tContainers),
                    ms(tEnd - tPrimary), b0 < 0 || b1 < 0 ? -1 : b1 - b0, (j1 - j0) / 1_000_000);
        } finally {
            for (String id : ids.values()) {
                JdkDocker.call("DELETE", "/containers/" + id + "?force=true&v=true", null);
            }
            if (network != null) {
                JdkDocker.call("DELETE", "/networks/" + network, null);
            }
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
