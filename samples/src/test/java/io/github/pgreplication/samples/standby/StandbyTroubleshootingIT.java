package io.github.pgreplication.samples.standby;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The runbook's four troubleshooting cases, reproduced one after the other on one container, each asserted in its
 * log while the container keeps running, and each fixed on the primary's side so that it recovers; then the
 * streaming cut (the primary's pg_hba rule removed) with WAL still arriving through archive-get.
 */
class StandbyTroubleshootingIT {
    static final String PRIMARY = "postgres_master";
    PostgresMachines machines;
    GenericContainer<?> standby;

    @AfterEach
    void stop() {
        if (standby != null) {
            System.out.println("---- standby container log ----\n" + logs()); // kept in failsafe's -output.txt
            standby.stop();
        }
        if (machines != null) {
            machines.close();
        }
    }

    String logs() {
        return standby.getLogs();
    }

    void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition, this::logs);
    }

    void awaitCase(String title) {
        await("the log names " + title, Duration.ofSeconds(60), () -> logs().contains("TROUBLESHOOTING " + title));
        assertThat(standby.isRunning()).as("still running, waiting, not crash-looping: " + title).isTrue();
    }

    String standbyQuery(String sql) {
        return ContainerHost.of(standby, "postgres").run(Command.of("psql", "-X", "-A", "-t", "-q", "-d", "postgres",
                "-c", sql)).stdout().strip();
    }

    @Test
    void eachCaseIsNamedThenRecoversOnceFixedAndArchiveGetCarriesOnWhenStreamingIsCut() {
        String image = StandbyImage.ensure();
        machines = PostgresMachines.start(PostgresImage.resolve(17), PRIMARY);
        ClusterNode primary = machines.initDatabase(PRIMARY); // sshd not started yet: case 3 first
        ContainerHost root = primary.host().as("root");
        PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .logPath("/var/log/pgbackrest")
                .addStanza(StanzaSection.named("psql").withPgPath(PostgresMachines.DATA_DIRECTORY).withPgPort(5432))
                .build()
                .writeTo(primary.host());
        PgBackRest repository = PgBackRest.on(primary.host(), "psql");
        try (Replication admin = Replication.primary(Primary.at(primary.internalEndpoint()).withName(PRIMARY)
                        .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                        .withHost(primary.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of("replication")))
                .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA),
                        repository))
                .allow(HbaRule.parse("host replication replicator 0.0.0.0/0 md5"))
                .load()) {
            admin.apply();
        }
        standby = new GenericContainer<>(image)
                .withNetwork(machines.network())
                .withEnv("BACKREST_PRIMARY_HOST", PRIMARY)
                .withEnv("STANDBY_RETRY_MAX_SECONDS", "2") // retry fast in the test; 60 s by default
                .waitingFor(Wait.forLogMessage(".*SSH public key of this standby.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        standby.start();

        // 3. No SSH server answering.
        awaitCase("3. Erreur de connexion SSH");
        assertThat(logs()).contains("chmod 700 ~/.ssh and chmod 600 ~/.ssh/authorized_keys");
        primary.startSshd();

        // 1. The key is not authorized yet.
        awaitCase("1. Erreur \"clés SSH manquantes\"");
        await("a short reminder while the key is still not authorized", Duration.ofSeconds(30),
                () -> logs().contains("still waiting to SSH to postgres@" + PRIMARY + " with this key (attempt 2"));
        assertThat(standby.isRunning()).isTrue();
        Matcher m = StandbyContainerIT.KEY.matcher(logs());
        assertThat(m.find()).isTrue();
        primary.host().run(Command.of("sh", "-c", "mkdir -p -m 700 /var/lib/postgresql/.ssh"
                + " && echo \"$1\" >> /var/lib/postgresql/.ssh/authorized_keys"
                + " && chmod 600 /var/lib/postgresql/.ssh/authorized_keys", "sh", m.group(1)));

        // 2. No stanza on the primary.
        awaitCase("2. Erreur \"stanza non trouvé\"");
        assertThat(logs()).contains("pgbackrest --stanza=psql stanza-create");

        // 4. The repository's archive unreadable: the restore's archive-get fails. Paused while it is set up, so the
        // container cannot restore in between.
        DockerClient docker = DockerClientFactory.instance().client();
        docker.pauseContainerCmd(standby.getContainerId()).exec();
        try {
            PgBackRestPrimary.prepare(repository); // stanza-create, check, backup
            root.run(Command.of("chmod", "000", "/var/lib/pgbackrest/archive/psql"));
        } finally {
            docker.unpauseContainerCmd(standby.getContainerId()).exec();
        }
        awaitCase("4. Erreur lors de la restauration des WAL");
        assertThat(logs()).contains("Vérifiez que l'archive_command fonctionne correctement");
        root.run(Command.of("chmod", "750", "/var/lib/pgbackrest/archive/psql"));

        await("restored and streaming once every cause is fixed", Duration.ofMinutes(2),
                () -> standbyQuery("SELECT status FROM pg_stat_wal_receiver").equals("streaming"));
        assertThat(logs()).contains(StandbyContainer.RESTORED);

        // Streaming cut: the replication rule removed on the primary, the WAL sender ended; WAL comes by archive-get.
        String hba = primary.query("SHOW hba_file");
        primary.host().run(Command.of("sed", "-i", "/replication replicator/d", hba));
        primary.query("SELECT pg_reload_conf()");
        primary.query("SELECT pg_terminate_backend(pid) FROM pg_stat_replication");
        await("the standby no longer streams", Duration.ofSeconds(30),
                () -> !standbyQuery("SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')")
                        .equals("streaming"));
        int cut = logs().length();
        primary.query("CREATE TABLE through_the_archive AS SELECT 7 AS seven");
        primary.query("SELECT pg_switch_wal()");
        await("rows arrive through archive-get", Duration.ofSeconds(90),
                () -> standbyQuery("SELECT seven FROM through_the_archive").equals("7"));
        assertThat(standbyQuery("SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')"))
                .isNotEqualTo("streaming");
        String afterCut = logs().substring(cut);
        assertThat(afterCut).as("WAL restored by archive-get after the streaming cut")
                .containsPattern("restored log file \"[0-9A-F]{24}\" from archive");
    }
}
