package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each diagnostic against the real output pgBackRest 2.45 printed for it (fixtures under
 * {@code pgbackrest-2.45/errors}), through {@link PgBackRest#run}: the exception type, and a message that says
 * what failed, what to do, and what pgBackRest said.
 */
class DiagnosticsTest {
    private static final RepositoryHost REPO = RepositoryHost.at("eshua").withPort(2222);

    /** Runs {@code pgbackrest COMMAND} on a host that answers with the fixture and its exit code. */
    private static PgBackRestException fail(String command, String fixture, int exit) {
        FakeHost host = FakeHost.postgres("eshub").on(List.of("pgbackrest"),
                c -> new CommandResult(exit, "", Fixtures.error(fixture)));
        PgBackRest pg = PgBackRest.on(host, "lab").withRepositoryHost(REPO);
        return catchThrowableOfType(PgBackRestException.class, () -> pg.run(pg.command(command, List.of())));
    }

    @Test
    void everyExceptionIsAReplicationException() {
        assertThat(fail("check", "check-no-stanza", 55)).isInstanceOf(ReplicationException.class);
    }

    @Test
    void stanzaNotFound055OnCheck() {
        PgBackRestException e = fail("check", "check-no-stanza", 55);
        assertThat(e.kind()).isEqualTo(Kind.STANZA_NOT_FOUND);
        assertThat(e.errorCode()).isEqualTo(55);
        assertThat(e.getMessage())
                .startsWith("Stanza 'lab' does not exist in the repository on postgres@eshua:2222.")
                .contains("What to do: On the repository host, as the user that owns the repository, run:"
                        + " pgbackrest --stanza=lab stanza-create && pgbackrest --stanza=lab check")
                .contains("PgBackRestPrimary.prepare(pgBackRest)")
                .contains("pgBackRest said ([055]):")
                .contains("ERROR: [055]: unable to load info file '/tmp/pgbr-lab/repo/archive/lab/archive.info'")
                .contains("HINT: has a stanza-create been performed?")
                .contains("Command on eshub (exit code 55): pgbackrest --stanza=lab check");
        assertThat(e.command()).as("the pgBackRest command that failed").contains("check");
    }

    @Test
    void stanzaNotFound055OnBackup() {
        assertThat(fail("backup", "backup-no-stanza", 55)).satisfies(kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("backup.info cannot be opened");
    }

    @Test
    void stanzaNotFound103OnArchiveGet() {
        PgBackRestException e = fail("archive-get", "archive-get-no-stanza", 103);
        assertThat(e.kind()).isEqualTo(Kind.STANZA_NOT_FOUND);
        assertThat(e.getMessage()).contains("pgBackRest said ([103]):")
                .contains("WARN: repo1: [FileMissingError] unable to load info file")
                .contains("ERROR: [103]: unable to find a valid repository")
                .contains("stanza-create");
    }

    @Test
    void stanzaNotFound075WhenRestoringFromARepositoryWithoutTheStanza() {
        assertThat(fail("restore", "restore-no-stanza", 75)).satisfies(kind(Kind.STANZA_NOT_FOUND));
        assertThat(fail("restore", "restore-ssh-stanza-missing", 75)).satisfies(kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("raised from remote-0 ssh protocol on '127.0.0.1'");
    }

    @Test
    void stanzaMissingFromTheLocalConfiguration037() {
        assertThat(fail("archive-get", "archive-get-ssh-stanza-missing", 37))
                .satisfies(kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("The pgBackRest configuration on eshub has no [lab] section with pg1-path")
                .hasMessageContaining("StanzaSection.named(\"lab\")");
    }

    @Test
    void noBackup075AfterStanzaCreate() {
        PgBackRestException e = fail("restore", "restore-no-backup", 75);
        assertThat(e.kind()).isEqualTo(Kind.NO_BACKUP);
        assertThat(e.getMessage()).startsWith("The repository holds stanza 'lab' but no backup to restore.")
                .contains("pgbackrest --stanza=lab --type=full backup")
                .contains("BaseBackup.defaults()")
                .contains("WARN: repo1: [BackupSetInvalidError] no backup sets to restore");
    }

    @Test
    void postgresRunning038() {
        PgBackRestException e = fail("restore", "restore-pg-running", 38);
        assertThat(e.kind()).isEqualTo(Kind.POSTGRES_RUNNING);
        assertThat(e.getMessage())
                .startsWith("PostgreSQL is running in /tmp/pgbr-lab/data (postmaster.pid is present)")
                .contains("pg_ctl -D /tmp/pgbr-lab/data stop -m fast")
                .contains("Remove postmaster.pid only if you are sure no server runs");
    }

    @Test
    void pathNotEmpty040() {
        PgBackRestException e = fail("restore", "restore-path-not-empty", 40);
        assertThat(e.kind()).isEqualTo(Kind.PATH_NOT_EMPTY);
        assertThat(e.getMessage()).startsWith("/tmp/pgbr-lab/notempty holds files")
                .contains("Standby.withEmptyDataDirectoryAllowed(true)")
                .contains("HINT: try using --delta if this is what you intended.");
    }

    @Test
    void archiveTimeout082() {
        PgBackRestException e = fail("check", "check-archive-timeout", 82);
        assertThat(e.kind()).isEqualTo(Kind.ARCHIVE_TIMEOUT);
        assertThat(e.getMessage())
                .startsWith("WAL segment 000000010000000000000008 did not reach the repository within the archive"
                        + " timeout: the primary's archive_command is not working.")
                .contains("(archive_command = 'pgbackrest --stanza=lab archive-push %p')")
                .contains("'archive command failed' in the PostgreSQL log")
                .contains("pgbackrest --stanza=lab start");
    }

    @Test
    void archiveCommandInvalid068() {
        assertThat(fail("check", "check-archive-command-invalid", 68)).satisfies(kind(Kind.ARCHIVE_PUSH))
                .hasMessageStartingWith("The primary's archive_command does not call pgBackRest.")
                .hasMessageContaining("PgBackRestPrimary.withArchiving(settings, pgBackRest)")
                .hasMessageContaining("archive_command '/bin/true' must contain pgbackrest");
    }

    @Test
    void repositoryPermissionOnArchiveGet() {
        PgBackRestException e = fail("archive-get", "archive-get-permission", 103);
        assertThat(e.kind()).isEqualTo(Kind.REPOSITORY_PERMISSION);
        assertThat(e.getMessage())
                .startsWith("pgBackRest was denied access to '/tmp/pgbr-lab/repo/archive/lab/archive.info' in the"
                        + " repository.")
                .contains("chown -R postgres:postgres /tmp/pgbr-lab/repo && chmod 750 /tmp/pgbr-lab/repo")
                .contains("the standby cannot restore WAL from the archive");
    }

    @Test
    void repositoryPermissionOnArchivePush() {
        assertThat(fail("archive-push", "archive-push-permission", 103))
                .satisfies(kind(Kind.REPOSITORY_PERMISSION))
                .hasMessageContaining("the primary's archive_command fails and WAL piles up in pg_wal");
    }

    @Test
    void postgresUnreachable027() {
        assertThat(fail("check", "check-db-connect", 27)).satisfies(kind(Kind.POSTGRES_UNREACHABLE))
                .hasMessageStartingWith("pgBackRest cannot connect to PostgreSQL for stanza 'lab'")
                .hasMessageContaining("pg1-port and pg1-socket-path in the [lab] section");
    }

    /** Runs {@code pgbackrest restore} towards a repository host reached over TLS, answered with the fixture. */
    private static PgBackRestException failOverTls(String fixture, int exit) {
        FakeHost host = FakeHost.postgres("eshub").on(List.of("pgbackrest"),
                c -> new CommandResult(exit, "", Fixtures.error(fixture)));
        PgBackRest pg = PgBackRest.on(host, "lab").withRepositoryHost(RepositoryHost.at("eshua")
                .withTls("/tls/ca.crt", "/tls/eshub.crt", "/tls/eshub.key"));
        return catchThrowableOfType(PgBackRestException.class, () -> pg.run(pg.command("restore", List.of())));
    }

    @Test
    void theTlsServersRefusalsAreTyped() {
        PgBackRestException denied = failOverTls("restore-tls-access-denied", 105);
        assertThat(denied.kind()).isEqualTo(Kind.TLS_CLIENT_REFUSED);
        assertThat(denied.kind().ssh()).isFalse();
        assertThat(denied.getMessage())
                .startsWith("The TLS server of eshua:8432 (TLS) refused this standby's client certificate (access"
                        + " denied).")
                .contains("a line tls-server-auth=<CN>=lab in [global]", "restart its pgbackrest server")
                .contains("pgBackRest said ([105]):",
                        "raised from remote-0 tls protocol on 'localhost': access denied");
        assertThat(failOverTls("restore-tls-untrusted", 95)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.TLS_CONNECTION);
            assertThat(e.getMessage()).startsWith("This standby does not trust the server certificate of eshua:8432"
                    + " (TLS) (not signed by the CA in repo1-host-ca-file).");
        });
        assertThat(failOverTls("restore-tls-hostname", 95)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.TLS_CONNECTION);
            assertThat(e.getMessage()).contains("does not name the address this standby uses (repo1-host)");
        });
        assertThat(failOverTls("restore-tls-refused", 49)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.TLS_CONNECTION);
            assertThat(e.getMessage()).startsWith("Nothing answers at the TLS server of eshua:8432 (TLS).")
                    .contains("pgbackrest server", "tls-server-port, default 8432");
        });
    }

    @Test
    void sshConnectionRefused() {
        PgBackRestException e = fail("restore", "restore-ssh-refused", 125);
        assertThat(e.kind()).isEqualTo(Kind.SSH_CONNECTION);
        assertThat(e.kind().ssh()).as("an SSH failure, as SshException's subclasses were").isTrue();
        assertThat(e.getMessage())
                .startsWith("The standby cannot reach the SSH server of postgres@eshua:2222 (Connection refused).")
                .contains("repo1-host-port")
                .contains("ssh: connect to host 127.0.0.1 port 1: Connection refused")
                .as("pgBackRest's harmless --delta warning is left out").doesNotContain("--delta or --force");
    }

    @Test
    void sshHostKeyUnknown() {
        PgBackRestException e = fail("restore", "restore-ssh-hostkey", 125);
        assertThat(e.kind()).isEqualTo(Kind.SSH_HOST_KEY);
        assertThat(e.hostKeyFingerprint()).as("ssh saw no key to name").isEmpty();
        assertThat(e.getMessage()).contains("no pinned SSH host key for postgres@eshua:2222")
                .contains("pinHostKey(standbyHost)")
                .contains("Do not use StrictHostKeyChecking=no");
    }

    @Test
    void sshHostKeyChanged() {
        PgBackRestException e = fail("restore", "restore-ssh-hostkey-changed", 125);
        assertThat(e.kind()).isEqualTo(Kind.SSH_HOST_KEY);
        assertThat(e.hostKeyFingerprint()).as("the key the repository host presented, as ssh printed it")
                .contains("SHA256:LecM2ndwG3XlC3NgUT4x2vbok9EgKSR7tE7o/8ulNl0");
        assertThat(e.getMessage()).contains("presented an SSH host key that differs")
                .contains("ssh-keygen -R '[127.0.0.1]:2222' -f ~/.ssh/known_hosts")
                .contains("man-in-the-middle");
    }

    @Test
    void sshPublicKeyDenied() {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZ0bGVhc2VpbnN0YWxsbWVwbGVhc2VpbnN0YWxsbWU postgres@eshub";
        FakeHost host = FakeHost.postgres("eshub")
                .on(List.of("pgbackrest"), c -> new CommandResult(125, "", Fixtures.error("restore-ssh-denied")))
                .on(List.of("ls"), c -> new CommandResult(0, "id_ed25519\nid_ed25519.pub\nknown_hosts\n", ""))
                .file("/var/lib/postgresql/.ssh/id_ed25519.pub", key + "\n");
        PgBackRest pg = PgBackRest.on(host, "lab").withRepositoryHost(REPO);
        PgBackRestException e = catchThrowableOfType(PgBackRestException.class,
                () -> pg.run(pg.command("restore", List.of())));
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_NOT_AUTHORIZED);
        assertThat(e.publicKey()).as("the standby's key, read after the refusal")
                .contains(key);
        assertThat(e.getMessage())
                .startsWith("The repository host postgres@eshua:2222 refused the standby's SSH key (Permission denied"
                        + " (publickey)).")
                .contains("~postgres/.ssh/authorized_keys")
                .contains("chmod 700 ~/.ssh and chmod 600 ~/.ssh/authorized_keys")
                .contains("ssh-keygen -t ed25519 -N \"\" -f ~/.ssh/id_ed25519")
                .contains("usermod -p '*' postgres")
                .contains("echo '" + key + "' >> ~/.ssh/authorized_keys");
    }

    @Test
    void sshPublicKeyDeniedWithoutAnyKeyPairSaysToGenerateOne() {
        PgBackRestException e = fail("restore", "restore-ssh-denied", 125);
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_MISSING);
        assertThat(e.keyPath()).contains("/var/lib/postgresql/.ssh/id_ed25519");
        assertThat(e.getMessage())
                .startsWith("The standby eshub has no SSH key pair (no default identity such as"
                        + " /var/lib/postgresql/.ssh/id_ed25519), so postgres@eshua:2222 refused it")
                .contains("ssh-keygen -t ed25519 -N \"\" -f /var/lib/postgresql/.ssh/id_ed25519")
                .contains("~postgres/.ssh/authorized_keys on eshua:2222")
                .contains("Permission denied (publickey");
    }

    @Test
    void sshPublicKeyDeniedWithAnSshConfigIsNotCalledMissingKey() {
        FakeHost host = FakeHost.postgres("eshub")
                .on(List.of("pgbackrest"), c -> new CommandResult(125, "", Fixtures.error("restore-ssh-denied")))
                .on(List.of("ls"), c -> new CommandResult(0, "config\nknown_hosts\n", ""));
        PgBackRest pg = PgBackRest.on(host, "lab").withRepositoryHost(REPO);
        assertThat(catchThrowableOfType(PgBackRestException.class, () -> pg.run(pg.command("restore", List.of()))))
                .as("~/.ssh/config may name another IdentityFile")
                .satisfies(kind(Kind.SSH_KEY_NOT_AUTHORIZED));
    }

    @Test
    void pgBackRestMissingOnTheRepositoryHost() {
        assertThat(fail("restore", "restore-remote-cmd-missing", 125))
                .satisfies(kind(Kind.NOT_INSTALLED))
                .hasMessageContaining("pgbackrest is not installed on the repository host postgres@eshua:2222")
                .hasMessageContaining("RepositoryHost.withCommand");
    }

    @Test
    void versionMismatch039() {
        PgBackRestException e = fail("restore", "restore-version-mismatch", 39);
        assertThat(e.kind()).isEqualTo(Kind.VERSION_MISMATCH);
        assertThat(e.localVersion()).contains("2.45");
        assertThat(e.remoteVersion()).contains("2.44");
        assertThat(e.getMessage()).startsWith("pgBackRest versions differ: 2.45 on eshub, 2.44 on"
                + " postgres@eshua:2222")
                .contains("apt-get install pgbackrest=2.45-*");
    }

    @Test
    void pgBackRestMissingLocallyExit127() {
        FakeHost host = FakeHost.postgres("eshub").on(List.of("pgbackrest"),
                c -> new CommandResult(127, "", "sh: 1: pgbackrest: not found"));
        PgBackRest pg = PgBackRest.on(host, "lab");
        assertThatThrownBy(pg::check).satisfies(kind(Kind.NOT_INSTALLED))
                .hasMessageContaining("pgbackrest is not installed on eshub");
    }

    @Test
    void otherErrorsKeepPgBackRestsMessageAndAHint() {
        FakeHost host = FakeHost.postgres("eshua").on(List.of("pgbackrest"), c -> new CommandResult(50, "",
                "ERROR: [050]: unable to acquire lock on file '/tmp/pgbackrest/lab-backup.lock'\n"));
        PgBackRest pg = PgBackRest.on(host, "lab");
        assertThatThrownBy(() -> pg.backup(BackupType.FULL))
                .isExactlyInstanceOf(PgBackRestException.class)
                .hasMessageStartingWith("pgbackrest backup failed.")
                .hasMessageContaining("Another pgBackRest command holds the stanza's lock")
                .hasMessageContaining("ERROR: [050]: unable to acquire lock");
    }

    @Test
    void errorLinesWithLogPrefixesOnStandardOutputAreFound() {
        FakeHost host = FakeHost.postgres("eshua").on(List.of("pgbackrest"), c -> new CommandResult(38,
                "2026-11-22 00:45:56.609 P00  ERROR: [038]: unable to restore while PostgreSQL is running\n"
                        + "                                    HINT: presence of 'postmaster.pid' in '/data'"
                        + " indicates PostgreSQL is running.\n", ""));
        PgBackRest pg = PgBackRest.on(host, "lab");
        assertThatThrownBy(() -> pg.restore(RestoreOptions.into("/data")))
                .satisfies(kind(Kind.POSTGRES_RUNNING)).hasMessageContaining("running in /data");
    }

    @Test
    void secretsRegisteredOnTheCommandAreRemovedFromMessages() {
        FakeHost host = FakeHost.postgres("eshua").on(List.of("pgbackrest"),
                c -> new CommandResult(56, "", "ERROR: [056]: unable to connect: password 'hunter2' rejected\n"));
        PgBackRest pg = PgBackRest.on(host, "lab");
        PgBackRestException e = catchThrowableOfType(PgBackRestException.class, () -> pg.run(pg.command("check",
                List.of()).withRedacted(io.github.pgreplication.Secret.of("hunter2"))));
        assertThat(e.kind()).isEqualTo(Kind.POSTGRES_UNREACHABLE);
        assertThat(e.getMessage()).doesNotContain("hunter2").contains("password '****' rejected");
    }
}
