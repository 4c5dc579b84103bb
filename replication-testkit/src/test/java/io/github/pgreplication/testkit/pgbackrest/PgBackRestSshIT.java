package io.github.pgreplication.testkit.pgbackrest;

import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.REPOSITORY;
import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.STANZA;
import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ContainerNetwork;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.RestoreOptions;
import io.github.pgreplication.pgbackrest.SshTrust;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary.StanzaSetup;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ContainerHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;

/**
 * The second runbook's troubleshooting cases between a standby and the repository host reached over SSH, reproduced
 * for real: real sshd on the repository host, real OpenSSH client and pgBackRest on the standby. Missing and
 * unauthorized keys, unknown and changed host keys, a refused connection, a stanza that does not exist, a repository
 * the standby may not read through, a pgBackRest version mismatch (a PostgreSQL 15 machine with pgBackRest 2.45
 * against the 2.55.1 repository), a backup whose WAL is missing from the archive, and the restore itself as a clone
 * method.
 *
 * <p>Machines: {@code repo} (PostgreSQL 17 with archiving, the repository, sshd), {@code standby} (PostgreSQL 17
 * binaries, no database), {@code old} (the PostgreSQL 15 image, joined to the same network). Tests run in order:
 * the first two start from a standby without key pair and end with its key installed; every later test finds the
 * trust complete and puts back what it breaks (known_hosts, sshd, permissions) before it ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestSshIT {
    /** pgBackRest's configuration on the standby machines, naming the repository host. */
    static final String STANDBY_CONFIG = "/var/lib/postgresql/pgbackrest.conf";
    static final String SSH_DIR = "/var/lib/postgresql/.ssh";
    static final String DATA = PostgresMachines.DATA_DIRECTORY;

    static PostgresMachines machines;
    static PostgresMachines older;
    static ClusterNode repo;
    static ClusterNode standby;
    static ClusterNode old;
    static PgBackRest repository;
    static StanzaSetup setup;
    /** The repository host as the standby knows it, without a way for the library to reach it itself. */
    static RepositoryHost repositoryHost;
    /** The same, with the repository host's own Host: the library installs keys and reads the host key. */
    static RepositoryHost repositoryWithAccess;

    @BeforeAll
    static void start() {
        CompletableFuture<PostgresMachines> oldImage =
                CompletableFuture.supplyAsync(() -> PostgresMachines.start(PostgresImage.resolve(15), "old"));
        try {
            machines = PostgresMachines.start(PostgresImage.resolve(17), "repo", "standby");
        } finally {
            older = oldImage.join();
        }
        repo = machines.initDatabase("repo");
        standby = machines.machine("standby");
        old = older.machine("old");
        DockerClientFactory.instance().client().connectToNetworkCmd()
                .withNetworkId(machines.network().getId())
                .withContainerId(old.container().getContainerId())
                .withContainerNetwork(new ContainerNetwork().withAliases("old"))
                .exec();

        repository = RepositoryMachine.prepare(repo);
        RepositoryMachine.sql(repo.host(), "CREATE TABLE before_backup AS SELECT 'restored' AS word");
        setup = PgBackRestPrimary.prepare(repository);
        repo.startSshd();
        repositoryHost = RepositoryHost.at("repo").withConfigPath(RepositoryMachine.CONFIG);
        repositoryWithAccess = repositoryHost.withAccess(repo.host());
        for (ClusterNode node : new ClusterNode[] {standby, old}) {
            PgBackRestConfig.builder()
                    .repositoryHost(repositoryHost)
                    .addStanza(StanzaSection.named(STANZA).withPgPath(DATA))
                    .build()
                    .writeTo(node.host(), STANDBY_CONFIG);
        }
    }

    @AfterAll
    static void stop() {
        if (older != null) {
            older.close();
        }
        if (machines != null) {
            machines.close();
        }
    }

    /** @return pgBackRest on a standby machine, reading its configuration that names the repository host */
    static PgBackRest pgBackRestOn(ClusterNode node) {
        return PgBackRest.on(node.host(), STANZA).withConfigPath(STANDBY_CONFIG).withNodeName(node.name())
                .withRepositoryHost(repositoryHost);
    }

    static SshTrust trust() {
        return SshTrust.to(repositoryWithAccess);
    }

    static void deleteKeyPair(Host host) {
        host.run(Command.of("rm", "-f", SSH_DIR + "/id_ed25519", SSH_DIR + "/id_ed25519.pub"));
    }

    static String publicKeyOf(ClusterNode node) {
        return node.host().readFile(SSH_DIR + "/id_ed25519.pub").orElseThrow().strip();
    }

    static ContainerHost repoRoot() {
        return repo.host().as("root");
    }

    /** A restore that must fail before touching anything. */
    static RestoreOptions nowhere() {
        return RestoreOptions.standby("/var/lib/postgresql/nowhere");
    }

    @Test
    @Order(1)
    void aStandbyWithoutKeyPairIsToldToGenerateOneAndInstallIt() {
        deleteKeyPair(standby.host());
        trust().pinHostKey(standby.host());

        assertThatThrownBy(() -> trust().verify(standby.host()))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_MISSING))
                .hasMessageContaining("The standby container:standby:postgres has no SSH key pair at"
                        + " /var/lib/postgresql/.ssh/id_ed25519")
                .hasMessageContaining("ssh-keygen -t ed25519 -N \"\" -f /var/lib/postgresql/.ssh/id_ed25519")
                .hasMessageContaining("install its .pub line in ~postgres/.ssh/authorized_keys on repo")
                .satisfies(e -> assertThat(((PgBackRestException) e).keyPath())
                        .contains(SSH_DIR + "/id_ed25519"));
        assertThatThrownBy(() -> trust().authorize(standby.host()))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_MISSING));
        assertThatThrownBy(() -> pgBackRestOn(standby).restore(nowhere()))
                .as("pgBackRest itself, reached through ssh: Permission denied (publickey) with no key at all")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_MISSING))
                .hasMessageContaining("ssh-keygen -t ed25519 -N \"\" -f /var/lib/postgresql/.ssh/id_ed25519")
                .hasMessageContaining("authorized_keys")
                .hasMessageContaining("Permission denied (publickey");
        assertThatThrownBy(() -> pgBackRestOn(standby).info())
                .as("info exits with 0 and reports status 99 in its JSON: still the same diagnosis")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_MISSING))
                .hasMessageContaining("ssh-keygen -t ed25519");
        assertThat(standby.host().exists(SSH_DIR + "/id_ed25519")).as("nothing generated behind the user's back")
                .isFalse();
    }

    @Test
    @Order(2)
    void aKeyThatIsNotAuthorizedIsReportedWithThePublicKeyToInstallAsInTheRunbook() {
        deleteKeyPair(standby.host());
        repo.host().deleteFile(SSH_DIR + "/authorized_keys");
        // The runbook: the repository host's key is known out of band, the standby generates its key on first
        // start and prints it; nobody has installed it yet.
        SshTrust outOfBand = SshTrust.to(repositoryHost).withHostKey(repo.sshHostKey());
        PgBackRestRestore restore = PgBackRestRestore.from(repositoryHost, STANZA).withConfigPath(STANDBY_CONFIG)
                .withSshTrust(outOfBand);

        assertThatThrownBy(() -> restore.cloneInto(context(standby)))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_NOT_AUTHORIZED))
                .hasMessageContaining("The repository host postgres@repo refused the standby's SSH key")
                .hasMessageContaining("Permission denied (publickey")
                .satisfies(e -> {
                    String key = publicKeyOf(standby);
                    assertThat(key).startsWith("ssh-ed25519 ");
                    assertThat(((PgBackRestException) e).publicKey()).contains(key);
                    assertThat(e.getMessage()).contains("install -d -m 0700 ~/.ssh && echo '" + key
                            + "' >> ~/.ssh/authorized_keys && chmod 0600 ~/.ssh/authorized_keys");
                });
        assertThat(standby.host().exists(DATA)).as("nothing restored").isFalse();
        assertThatThrownBy(() -> pgBackRestOn(standby).restore(nowhere()))
                .as("pgBackRest itself names the key to install as well")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_KEY_NOT_AUTHORIZED))
                .hasMessageContaining(publicKeyOf(standby))
                .hasMessageContaining("[125]");

        // Step 6 by hand: the administrator appends the printed key on the repository host.
        repo.host().createDirectories(SSH_DIR, "0700");
        repo.host().writeFile(SSH_DIR + "/authorized_keys", publicKeyOf(standby) + "\n", "0600");
        outOfBand.verify(standby.host());
        assertThat(pgBackRestOn(standby).info().latestBackup()).isPresent();
    }

    @Test
    @Order(3)
    void anUnknownHostKeyIsRefusedNeverAccepted() {
        standby.host().deleteFile(SSH_DIR + "/known_hosts");
        try {
            assertThatThrownBy(() -> pgBackRestOn(standby).restore(nowhere()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .hasMessageContaining("The standby has no pinned SSH host key for postgres@repo (Host key"
                            + " verification failed)")
                    .hasMessageContaining("Do not use StrictHostKeyChecking=no");
            assertThatThrownBy(() -> trust().verify(standby.host()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .hasMessageContaining("Host key verification failed");
            assertThatThrownBy(() -> SshTrust.to(repositoryHost).establish(standby.host()))
                    .as("without access to the repository host nor a given key, there is nothing to pin")
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .hasMessageContaining("Cannot pin the host key of repo")
                    .hasMessageContaining("Unknown host keys are never accepted blindly");
            assertThat(standby.host().readFile(SSH_DIR + "/known_hosts").orElse(""))
                    .as("ssh did not add the key on its own").doesNotContain("repo");
        } finally {
            trust().pinHostKey(standby.host());
        }
        trust().verify(standby.host());
    }

    @Test
    @Order(4)
    void aChangedHostKeyIsRefusedUntilReplacingItIsAllowed() {
        standby.host().run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "impostor", "-f",
                "/tmp/impostor"));
        String impostor = standby.host().readFile("/tmp/impostor.pub").orElseThrow().strip();
        standby.host().writeFile(SSH_DIR + "/known_hosts", "repo " + impostor + "\n", "0644");
        String realKey = repo.host().run(Command.of("ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"))
                .stdout().strip().split("\\s+")[1];
        try {
            assertThatThrownBy(() -> pgBackRestOn(standby).restore(nowhere()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .satisfies(e -> assertThat(((PgBackRestException) e).hostKeyFingerprint())
                            .as("the key repo presented, as ssh printed it").contains(realKey))
                    .hasMessageContaining("The repository host postgres@repo presented an SSH host key that differs"
                            + " from the one pinned in the standby's known_hosts")
                    .hasMessageContaining("ssh-keygen -R repo -f ~/.ssh/known_hosts")
                    .hasMessageContaining("REMOTE HOST IDENTIFICATION HAS CHANGED");
            assertThatThrownBy(() -> trust().verify(standby.host()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .hasMessageContaining("differs");
            assertThatThrownBy(() -> trust().pinHostKey(standby.host()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_HOST_KEY))
                    .satisfies(e -> assertThat(((PgBackRestException) e).hostKeyFingerprint())
                            .as("the key repo has, read through its Host").contains(realKey))
                    .hasMessageContaining("pins another host key for repo than the one the repository host has")
                    .hasMessageContaining("SshTrust.withReplaceChangedHostKey(true)");
        } finally {
            assertThat(trust().withReplaceChangedHostKey(true).pinHostKey(standby.host())).isTrue();
        }
        trust().verify(standby.host());
    }

    @Test
    @Order(5)
    void aRefusedConnectionSaysToCheckSshdAndThePort() {
        assertThatThrownBy(() -> SshTrust.to(repositoryWithAccess.withPort(2222)).verify(standby.host()))
                .as("wrong port")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_CONNECTION))
                .hasMessageContaining("The standby cannot reach the SSH server of postgres@repo:2222 (Connection"
                        + " refused)")
                .hasMessageContaining("port 2222");

        repoRoot().run(Command.of("sh", "-c", "kill $(cat /run/sshd.pid) && rm -f /run/sshd.pid"));
        try {
            assertThatThrownBy(() -> pgBackRestOn(standby).restore(nowhere()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_CONNECTION))
                    .hasMessageContaining("The standby cannot reach the SSH server of postgres@repo (Connection"
                            + " refused)")
                    .hasMessageContaining("Check that sshd runs on the repository host")
                    .hasMessageContaining("[125]");
            assertThatThrownBy(() -> pgBackRestOn(standby).info())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_CONNECTION))
                    .hasMessageContaining("Connection refused");
            assertThatThrownBy(() -> trust().verify(standby.host()))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.SSH_CONNECTION))
                    .hasMessageContaining("Connection refused");
        } finally {
            repo.startSshd();
        }
        trust().verify(standby.host());
    }

    @Test
    @Order(6)
    void aStanzaTheRepositoryDoesNotHoldIsReportedOverSsh() {
        String ghostConfig = "/var/lib/postgresql/ghost.conf";
        PgBackRestConfig.builder()
                .repositoryHost(repositoryHost)
                .addStanza(StanzaSection.named("ghost").withPgPath("/var/lib/postgresql/ghost"))
                .build()
                .writeTo(standby.host(), ghostConfig);
        PgBackRest ghost = PgBackRest.on(standby.host(), "ghost").withConfigPath(ghostConfig)
                .withRepositoryHost(repositoryHost);

        assertThat(ghost.info().exists()).as("info over SSH: missing stanza path").isFalse();
        assertThatThrownBy(() -> ghost.restore(RestoreOptions.standby("/var/lib/postgresql/ghost")))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("Stanza 'ghost' does not exist in the repository on postgres@repo")
                .hasMessageContaining("run: pgbackrest --stanza=ghost stanza-create")
                .hasMessageContaining("[075]");
    }

    @Test
    @Order(7)
    void aStandbyIsRestoredOverSshByTheCloneMethodAndStartsInRecovery() {
        assertThat(standby.host().exists(DATA)).isFalse();
        PgBackRestRestore restore = PgBackRestRestore.from(repositoryWithAccess, STANZA)
                .withConfigPath(STANDBY_CONFIG);

        restore.cloneInto(context(standby));

        assertThat(standby.host().exists(DATA + "/standby.signal")).isTrue();
        String autoConf = standby.host().readFile(DATA + "/postgresql.auto.conf").orElseThrow();
        assertThat(autoConf).contains("archive-get").contains("--config=" + STANDBY_CONFIG)
                .contains("application_name=standby").contains("primary_slot_name = 'standby_slot'")
                .doesNotContain("s3cret-replicator");
        standby.host().run(Command.of("pg_ctl", "-D", DATA, "-w", "-t", "60", "-l", "/var/lib/postgresql/standby.log",
                "start").withTimeout(Duration.ofSeconds(90)));
        assertThat(standby.query("SELECT pg_is_in_recovery()")).isEqualTo("t");
        assertThat(standby.query("SELECT word FROM before_backup")).isEqualTo("restored");
    }

    @Test
    @Order(8)
    void aRepositoryTheStandbyCannotReadThroughSshIsReportedAsAPermissionProblem() {
        String archive = REPOSITORY + "/archive/" + STANZA;
        repo.host().run(Command.of("chmod", "000", archive));
        try {
            assertThatThrownBy(() -> pgBackRestOn(standby).archiveGet(setup.latestBackup().walStart(), "/tmp/segment",
                    DATA))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.REPOSITORY_PERMISSION))
                    .hasMessageContaining("pgBackRest was denied access to '" + archive + "/archive.info' in the"
                            + " repository")
                    .hasMessageContaining("chown -R postgres:postgres /var/lib/pgbackrest")
                    .hasMessageContaining("Until then the standby cannot restore WAL from the archive")
                    .hasMessageContaining("raised from remote-0 ssh protocol on 'repo'");
            assertThatThrownBy(() -> pgBackRestOn(standby).info())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.REPOSITORY_PERMISSION))
                    .hasMessageContaining("'" + archive + "/archive.info'");
        } finally {
            repo.host().run(Command.of("chmod", "750", archive));
        }
        assertThat(pgBackRestOn(standby).archiveGet(setup.latestBackup().walStart(), "/tmp/segment", DATA)).isTrue();
    }

    @Test
    @Order(9)
    void differentPgBackRestVersionsAreReportedWithBothVersions() {
        trust().establish(old.host());
        PgBackRest oldPgBackRest = pgBackRestOn(old);
        assertThat(oldPgBackRest.version().toString()).isEqualTo("2.45");

        assertThatThrownBy(() -> oldPgBackRest.restore(nowhere()))
                .as("pgBackRest's own protocol check, [039]")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("pgBackRest versions differ: 2.45 on container:old:postgres, 2.55.1 on"
                        + " postgres@repo")
                .hasMessageContaining("apt-get install pgbackrest=2.45-*")
                .hasMessageContaining("[039]")
                .satisfies(e -> {
                    assertThat(((PgBackRestException) e).localVersion()).contains("2.45");
                    assertThat(((PgBackRestException) e).remoteVersion()).contains("2.55.1");
                });
        assertThatThrownBy(() -> oldPgBackRest.info())
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("2.45 on container:old:postgres, 2.55.1 on postgres@repo");
        assertThatThrownBy(() -> PgBackRest.requireSameVersion(oldPgBackRest, repository))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("pgBackRest versions differ: 2.45 on old, 2.55.1 on repo");
        assertThatThrownBy(() -> PgBackRestRestore.from(repositoryWithAccess, STANZA).withConfigPath(STANDBY_CONFIG)
                .cloneInto(context(old)))
                .as("the clone method checks versions before restoring")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("2.45 on old, 2.55.1 on repo");
        assertThat(old.host().exists(DATA)).as("nothing restored").isFalse();
    }

    @Test
    @Order(10)
    void aBackupWhoseFirstWalSegmentIsMissingFromTheArchiveFailsTheRestoresArchiveGetCheck() {
        String segment = setup.latestBackup().walStart();
        String aside = "/var/lib/postgresql/wal-aside";
        repo.host().createDirectories(aside, "0700");
        repo.host().run(Command.of("find", REPOSITORY + "/archive/" + STANZA, "-name", segment + "-*", "-exec", "mv",
                "-t", aside, "{}", "+"));
        assertThat(repo.host().list(aside)).as("the segment was archived, and is now away").hasSize(1);
        String second = "/var/lib/postgresql/second";
        try {
            assertThat(pgBackRestOn(standby).archiveGet(segment, "/tmp/segment", DATA)).as("not in the archive")
                    .isFalse();
            assertThatThrownBy(() -> PgBackRestRestore.from(repositoryWithAccess, STANZA)
                    .withConfigPath("/var/lib/postgresql/pgbackrest-second.conf")
                    .cloneInto(context(standby, second)))
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.ARCHIVE_GET))
                    .hasMessageContaining("archive-get on container:standby:postgres cannot find WAL segment " + segment
                            + ", the first one backup " + setup.latestBackup().label() + " needs, in the archive")
                    .hasMessageContaining("check the primary's archive_command (pgbackrest --stanza=main check on the"
                            + " primary)");
        } finally {
            repo.host().run(Command.of("find", aside, "-type", "f", "-exec", "mv", "-t",
                    REPOSITORY + "/archive/" + STANZA + "/17-1/" + segment.substring(0, 16), "{}", "+"));
        }
        assertThat(pgBackRestOn(standby).archiveGet(segment, "/tmp/segment", DATA)).isTrue();
    }

    static CloneContext context(ClusterNode node) {
        return context(node, DATA);
    }

    static CloneContext context(ClusterNode node, String dataDirectory) {
        Standby s = Standby.named(node.name()).withHost(node.host()).withDataDirectory(dataDirectory);
        return new CloneContext(s, Primary.at(repo.internalEndpoint()).withName("repo"),
                ReplicationRole.named("replicator").withPassword(Secret.of("s3cret-replicator")),
                node.name() + "_slot");
    }
}
