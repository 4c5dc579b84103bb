package io.github.pgreplication.samples.standby;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ContainerHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.LogUtils;

/**
 * The second runbook end to end with the real container: the primary set up through the library as steps 1-7 say,
 * the container started with the runbook's variables (defaults), its public key read from its log and appended to
 * the primary's authorized_keys the runbook's way; then restore, streaming, rows, no published port; docker restart
 * without a second restore; docker stop within 10 s leaving "shut down in recovery". The tests run in order on one
 * container.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyContainerIT {
    static final String PRIMARY = "postgres_master"; // PG_PRIMARY_HOST's default
    static final Pattern KEY = Pattern.compile("SSH public key of this standby[^\\n]*\\n  (ssh-ed25519 \\S+ \\S*)");
    static PostgresMachines machines;
    static GenericContainer<?> standby;

    @BeforeAll
    static void start() {
        String image = StandbyImage.ensure();
        machines = PostgresMachines.start(PostgresImage.resolve(17), PRIMARY);
        ClusterNode primary = machines.initDatabase(PRIMARY).startSshd();
        setUpPrimary(primary);
        standby = new GenericContainer<>(image)
                .withNetwork(machines.network())
                .withEnv("BACKREST_PRIMARY_HOST", PRIMARY) // the one required variable; every other one defaults
                .waitingFor(Wait.forLogMessage(".*SSH public key of this standby.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        standby.start();
    }

    /** Runbook steps 1-5 and 7 through the library; step 6 (the key) is the test's, below. */
    static void setUpPrimary(ClusterNode primary) {
        PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .processMax(4)
                .logPath("/var/log/pgbackrest")
                .addStanza(StanzaSection.named("psql").withPgPath(PostgresMachines.DATA_DIRECTORY).withPgPort(5432))
                .build()
                .writeTo(primary.host());
        PgBackRest repository = PgBackRest.on(primary.host(), "psql");
        try (Replication admin = Replication.primary(Primary.at(primary.internalEndpoint()).withName(PRIMARY)
                        .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                        .withHost(primary.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of("replication")))
                .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty().withMaxWalSenders(10)
                        .withWalLevel(WalLevel.REPLICA), repository))
                .allow(HbaRule.parse("host replication replicator 0.0.0.0/0 md5"))
                .load()) {
            admin.apply();
        }
        PgBackRestPrimary.prepare(repository); // stanza-create, check, backup
    }

    @AfterAll
    static void stop() {
        if (standby != null) {
            System.out.println("---- standby container log ----\n" + logs()); // kept in failsafe's -output.txt
            standby.stop();
        }
        if (machines != null) {
            machines.close();
        }
    }

    static String logs() {
        return standby.getLogs();
    }

    static ContainerHost standbyHost() {
        return ContainerHost.of(standby, "postgres");
    }

    static String standbyQuery(String sql) {
        return standbyHost().run(Command.of("psql", "-X", "-A", "-t", "-q", "-d", "postgres", "-c", sql)).stdout()
                .strip();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition, StandbyContainerIT::logs);
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static void awaitStreamingAndRows(String table) {
        ClusterNode primary = machines.machine(PRIMARY);
        await("the standby streams", Duration.ofMinutes(2), () -> standbyQuery("SELECT pg_is_in_recovery(), status"
                + " FROM pg_stat_wal_receiver").equals("t|streaming"));
        primary.query("CREATE TABLE " + table + " AS SELECT 42 AS answer");
        await("rows written on the primary appear on the standby", Duration.ofSeconds(30),
                () -> standbyQuery("SELECT answer FROM " + table).equals("42"));
    }

    @Test
    @Order(1)
    void theRunbookEndToEnd() {
        Matcher m = KEY.matcher(logs());
        assertThat(m.find()).as("the public key is in the log:\n" + logs()).isTrue();
        assertThat(logs()).contains("Ajoutez-la au fichier authorized_keys de l'utilisateur postgres sur le serveur"
                + " principal " + PRIMARY).contains(">> /var/lib/postgresql/.ssh/authorized_keys")
                .contains("chmod 600 /var/lib/postgresql/.ssh/authorized_keys");
        // Step 6, as the runbook writes it, on the primary as postgres.
        machines.machine(PRIMARY).host().run(Command.of("sh", "-c", "mkdir -p -m 700 /var/lib/postgresql/.ssh"
                + " && echo \"$1\" >> /var/lib/postgresql/.ssh/authorized_keys"
                + " && chmod 600 /var/lib/postgresql/.ssh/authorized_keys", "sh", m.group(1)));

        awaitStreamingAndRows("written_after_restore");
        String log = logs();
        assertThat(log).contains(StandbyContainer.RESTORED + " (cloned with pgbackrest-restore)")
                .contains("trusted on first use and pinned").contains("ssh-ed25519 SHA256:");
        assertThat(log).as("the password never shows").doesNotContain("'replication'")
                .doesNotContain(":replicator:replication").doesNotContain("PG_REPLICATION_PASSWORD=replication")
                .contains("PG_REPLICATION_PASSWORD=****");
        assertThat(standbyQuery("SHOW restore_command")).contains("archive-get %f \"%p\"");
        assertThat(machines.machine(PRIMARY).query("SELECT application_name, state FROM pg_stat_replication"))
                .isEqualTo("slave|streaming");
        InspectContainerResponse info = standby.getContainerInfo();
        assertThat(info.getConfig().getExposedPorts()).as("no EXPOSE").isNull();
        assertThat(info.getNetworkSettings().getPorts().getBindings().values()).as("no published port")
                .allMatch(b -> b == null || b.length == 0);
        await("the health check reports healthy", Duration.ofSeconds(40), () -> "healthy".equals(
                standby.getCurrentContainerInfo().getState().getHealth().getStatus()));
    }

    @Test
    @Order(2)
    void dockerRestartReusesTheDataDirectoryAndStreamsAgain() {
        DockerClient docker = DockerClientFactory.instance().client();
        docker.restartContainerCmd(standby.getContainerId()).withTimeout(10).exec();
        await("the restarted container reused its data directory", Duration.ofMinutes(1),
                () -> logs().contains(StandbyContainer.REUSED));
        awaitStreamingAndRows("written_after_restart");
        assertThat(count(logs(), StandbyContainer.RESTORED)).as("one restore, across both starts").isEqualTo(1);
    }

    @Test
    @Order(3)
    void aLaterStartRunsWithoutSshAndRefusesAChangedHostKey() {
        DockerClient docker = DockerClientFactory.instance().client();
        ClusterNode primary = machines.machine(PRIMARY);
        ContainerHost root = primary.host().as("root");
        root.run(Command.of("sh", "-c", "kill $(cat /run/sshd.pid) && rm -f /run/sshd.pid"));
        int reusedBefore = count(logs(), StandbyContainer.REUSED);
        docker.restartContainerCmd(standby.getContainerId()).withTimeout(10).exec();
        await("restarted with the primary's sshd down", Duration.ofMinutes(1),
                () -> count(logs(), StandbyContainer.REUSED) == reusedBefore + 1);
        assertThat(logs()).contains("WARNING: SSH to " + PRIMARY + " fails; starting the standby already in")
                .contains("TROUBLESHOOTING 3. Erreur de connexion SSH");
        awaitStreamingAndRows("written_without_ssh");

        // The primary's host key changes (reinstall): the pinned one is kept and the new one refused.
        root.run(Command.of("sh", "-c", "rm -f /etc/ssh/ssh_host_* && ssh-keygen -A && /usr/sbin/sshd"));
        int warnings = count(logs(), "WARNING: SSH to " + PRIMARY + " fails");
        docker.restartContainerCmd(standby.getContainerId()).withTimeout(10).exec();
        await("restarted with a changed host key", Duration.ofMinutes(1),
                () -> count(logs(), "WARNING: SSH to " + PRIMARY + " fails") == warnings + 1);
        String last = logs().substring(logs().lastIndexOf("WARNING: SSH to " + PRIMARY + " fails"));
        assertThat(last).containsIgnoringCase("host key").contains("TROUBLESHOOTING 3. Erreur de connexion SSH")
                .contains("remove the old pin (ssh-keygen -R " + PRIMARY);
        assertThat(count(logs(), StandbyContainer.RESTORED)).as("still one restore").isEqualTo(1);
        awaitStreamingAndRows("written_after_key_change");
    }

    @Test
    @Order(4)
    void dockerStopIsAFastCleanShutdownInRecovery() {
        DockerClient docker = DockerClientFactory.instance().client();
        long start = System.nanoTime();
        docker.stopContainerCmd(standby.getContainerId()).withTimeout(10).exec();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("docker stop returns before Docker's 10 s kill").isLessThan(Duration.ofSeconds(9));
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(standby.getContainerId()).exec()
                .getState();
        assertThat(state.getExitCodeLong()).as("PostgreSQL's own exit, not a kill").isEqualTo(0L);
        try (GenericContainer<?> reader = new GenericContainer<>(PostgresImage.resolve(17))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withVolumesFrom(
                        new com.github.dockerjava.api.model.VolumesFrom(standby.getContainerId())))
                .withCommand("pg_controldata", "/var/lib/postgresql/data")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            reader.start();
            assertThat(reader.getLogs()).contains("Database cluster state:               shut down in recovery");
        }
    }

    @Test
    @Order(6)
    void dockerStopWhileWaitingForTheKeyIsFastToo() {
        try (GenericContainer<?> waiting = new GenericContainer<>(StandbyImage.NAME)
                .withNetwork(machines.network())
                .withEnv("BACKREST_PRIMARY_HOST", "no_such_primary")
                .waitingFor(Wait.forLogMessage(".*TROUBLESHOOTING 3\\. Erreur de connexion SSH.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(1)))) {
            waiting.start();
            DockerClient docker = DockerClientFactory.instance().client();
            long start = System.nanoTime();
            docker.stopContainerCmd(waiting.getContainerId()).withTimeout(10).exec();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the waiting program stops on SIGINT")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    @Order(5)
    void aMissingPrimaryHostStopsAtOnceNamingIt() {
        DockerClient docker = DockerClientFactory.instance().client();
        String id = docker.createContainerCmd(StandbyImage.NAME).exec().getId();
        try {
            long start = System.nanoTime();
            docker.startContainerCmd(id).exec();
            Integer code = docker.waitContainerCmd(id).start().awaitStatusCode(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(code).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            String out = LogUtils.getOutput(docker, id);
            assertThat(out).contains("BACKREST_PRIMARY_HOST is required and not set");
        } finally {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        }
    }
}
