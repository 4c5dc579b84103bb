package io.github.pgreplication.testkit.pgbackrest;

import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig.TlsServer;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import io.github.pgreplication.testkit.TestCa;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * pgBackRest through its TLS server, real on both ends (issue 22): the repository host ({@code main}, no sshd at
 * all) runs {@code pgbackrest server} started by this set-up, with a server certificate from the testkit's
 * {@link TestCa} and {@code tls-server-auth=s1=main}; the standby {@code s1} is restored through it with its client
 * certificate ({@code repo1-host-type=tls}), proves archive-get through it, and streams. A client certificate of
 * the same CA whose CN the allow list does not name is refused by the server, as a typed exception naming the CN and
 * the line to add. One cluster per class; {@link #major()} picks PostgreSQL (and with it pgBackRest: 2.55.1 with 17,
 * 2.45 with 15).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractPgBackRestTlsIT {
    private static final String STANZA = "main";
    private static final String DIR = PostgresMachines.DATA_DIRECTORY;
    private static final String TLS_DIR = "/var/lib/postgresql/tls";
    private static final String CA = TLS_DIR + "/ca.crt";
    /**
     * The repository host's pgbackrest.conf, not at pgBackRest's default path, and a repository not at the default
     * {@code repo1-path}: the server's child for a standby reads the file the standby names
     * ({@code repo1-host-config}), which the restore must therefore write, or it looks for backups in the default
     * path and finds none.
     */
    private static final String REPO_CONFIG = "/var/lib/postgresql/pgbackrest-repo.conf";
    private static final String REPO_PATH = "/var/lib/pgbackrest/over-tls";

    private PostgresMachines machines;
    private ClusterNode main;
    private Host standby;
    private PgBackRest repository;

    /** @return the PostgreSQL major version of both machines */
    abstract int major();

    @BeforeAll
    void start() {
        TestCa ca = TestCa.create("pgreplication pgBackRest test CA");
        TestCa.Issued server = ca.issueServer("main", List.of("main"));
        machines = PostgresMachines.start(PostgresImage.resolve(major()), "main", "s1");
        main = machines.initDatabase("main");
        standby = machines.machine("s1").host();
        install(main.host(), ca.certificatePem(), "server", server);
        install(standby, ca.certificatePem(), "s1", ca.issueClient("s1"));
        install(standby, ca.certificatePem(), "intruder", ca.issueClient("intruder"));
        RepositoryMachine.repositoryConfig(main, REPO_PATH)
                .tlsServer(TlsServer.of(TLS_DIR + "/server.crt", TLS_DIR + "/server.key", CA).allow("s1", STANZA))
                .build()
                .writeTo(main.host(), REPO_CONFIG);
        // The repository host's daemon, as its user would run it (systemd, rcctl): a real process in the container,
        // detached from this exec (all its descriptors redirected), reading the file just written.
        main.host().run(Command.of("sh", "-c", TlsServer.startCommand(REPO_CONFIG)
                + " > /var/log/pgbackrest/server-console.log 2>&1 < /dev/null &"));
        repository = PgBackRest.on(main.host(), STANZA).withConfigPath(REPO_CONFIG).withNodeName("main");
        awaitListening(main.host(), RepositoryHost.TLS_PORT);
    }

    /** Waits until something listens on the port (ss, iproute2), at most 10 s. */
    private static void awaitListening(Host host, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (host.execute(Command.of("ss", "-Hltn", "sport = :" + port)).stdout().isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pgbackrest server does not listen on " + port + ": "
                        + host.readFile("/var/log/pgbackrest/server-console.log").orElse(""));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @AfterAll
    void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    /** Writes the CA, a certificate and its key (0600) under {@link #TLS_DIR} on a host, as postgres. */
    private static void install(Host host, String caPem, String name, TestCa.Issued issued) {
        host.createDirectories(TLS_DIR, "0700");
        host.writeFile(CA, caPem, "0644");
        host.writeFile(TLS_DIR + "/" + name + ".crt", issued.certificatePem(), "0644");
        host.writeFile(TLS_DIR + "/" + name + ".key", issued.privateKeyPem(), "0600");
    }

    private static RepositoryHost through(String client) {
        return RepositoryHost.at("main").withTls(CA, TLS_DIR + "/" + client + ".crt", TLS_DIR + "/" + client + ".key")
                .withConfigPath(REPO_CONFIG);
    }

    private String psql(String sql) {
        return standby.run(Command.of("psql", "-X", "-A", "-t", "-d", "postgres", "-c", sql)
                .withTimeout(Duration.ofSeconds(30))).stdout().strip();
    }

    @Test
    void aStandbyIsRestoredThroughTheTlsServerFetchesWalThroughItAndStreams() {
        Replication replication = RepositoryMachine.primaryArchivingInto(main, repository)
                .addStandby(Standby.named("s1").withHost(standby).withDataDirectory(DIR)
                        .withCloneMethods(PgBackRestRestore.from(through("s1"), STANZA)
                                .withRepositoryPreparedBy(repository)))
                .load();
        try (replication) {
            String runbook = replication.plan().toRunbook();
            assertThat(runbook).as("the runbook names the files, never a key's content")
                    .contains("repo1-host-type=tls", "repo1-host-key-file=" + TLS_DIR + "/s1.key")
                    .doesNotContain("PRIVATE KEY", "ssh-keygen", "authorized_keys");
            ApplyResult result = replication.apply(); // verifies that s1 streams
            assertThat(result.cloneMethodUsed("s1")).as(result.summary()).contains("cloned with pgbackrest-restore");
        }
        assertThat(main.host().exists("/run/sshd.pid")).as("no sshd on the repository host: TLS only").isFalse();
        assertThat(standby.exists("/var/lib/postgresql/.ssh/id_ed25519")).as("no SSH key made").isFalse();
        assertThat(psql("SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
        assertThat(psql("SHOW restore_command")).as("archive-get with the standby's TLS configuration")
                .contains("archive-get");
        // archive-get through the TLS server, as the standby's restore_command runs it: a segment the primary
        // archived after the restore
        String segment = main.query("SELECT pg_walfile_name(pg_current_wal_lsn())");
        main.query("SELECT pg_switch_wal()");
        repository.check();
        PgBackRest onStandby = PgBackRest.on(standby, STANZA).withNodeName("s1");
        assertThat(onStandby.archiveGet(segment, "/tmp/fetched-segment", DIR)).as("archive-get %s over TLS", segment)
                .isTrue();
        assertThat(standby.run(Command.of("wc", "-c", "/tmp/fetched-segment")).stdout().strip())
                .startsWith("16777216");
    }

    @Test
    void aClientCertificateTheAllowListDoesNotNameIsRefusedWithItsCnAndTheFix() {
        PgBackRestRestore intruder = PgBackRestRestore.from(through("intruder"), STANZA)
                .withConfigPath("/var/lib/postgresql/intruder.conf");
        CloneContext context = new CloneContext(Standby.named("intruder").withHost(standby)
                .withDataDirectory("/var/lib/postgresql/intruder-data"), Primary.at(main.internalEndpoint()),
                ReplicationRole.named("replicator"), "intruder_slot");
        assertThatThrownBy(() -> intruder.cloneInto(context))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.TLS_CLIENT_REFUSED))
                .hasMessageContaining("'intruder'")
                .hasMessageContaining("tls-server-auth=intruder=" + STANZA);
        assertThat(standby.exists("/var/lib/postgresql/intruder-data/PG_VERSION")).as("nothing restored").isFalse();
    }
}
