package io.github.pgreplication.testkit.pgbackrest;

import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.REPOSITORY;
import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.STANZA;
import static io.github.pgreplication.testkit.pgbackrest.RepositoryMachine.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.pgbackrest.BackupInfo;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.RestoreOptions;
import io.github.pgreplication.pgbackrest.StanzaInfo;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ContainerHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * pgBackRest's diagnostics on the repository host itself, reproduced for real (PostgreSQL 17, pgBackRest 2.55.1, a
 * posix repository): the stanza that does not exist yet (055/075/103), a stanza without backup (075), WAL that does not
 * reach the repository (087, 082, 068), a repository pgBackRest may not read (Permission denied), a restore over a
 * running server (038) and into a directory holding files (040); and {@code info()} parsed from the real output after
 * a full, a diff and an incremental backup.
 *
 * <p>One machine for the whole class. The tests run in order because the first ones need the stanza not to exist;
 * every test that breaks archiving or the repository restores it before it ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestRepositoryIT {
    static PostgresMachines machines;
    static ClusterNode repo;
    static PgBackRest pgBackRest;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "repo");
        repo = machines.initDatabase("repo");
        pgBackRest = RepositoryMachine.prepare(repo);
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    static ContainerHost host() {
        return repo.host();
    }

    @Test
    @Order(1)
    void beforeStanzaCreateInfoReportsTheStanzaMissingAndCheckBackupAndRestoreSayToCreateIt() {
        StanzaInfo info = pgBackRest.info();
        assertThat(info.status().code()).as("info before stanza-create: no error, status 1")
                .isEqualTo(StanzaInfo.Status.MISSING_STANZA_PATH);
        assertThat(info.exists()).isFalse();

        assertThatThrownBy(() -> pgBackRest.check())
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("Stanza 'main' does not exist in the repository")
                .hasMessageContaining("pgbackrest --stanza=main stanza-create")
                .hasMessageContaining("[055]")
                .satisfies(e -> assertThat(((PgBackRestException) e).errorCode()).isEqualTo(55));
        assertThatThrownBy(() -> pgBackRest.backup(BackupType.FULL))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("stanza-create")
                .hasMessageContaining("backup.info");
        assertThatThrownBy(() -> pgBackRest.restore(RestoreOptions.into("/var/lib/postgresql/restored")))
                .as("restore: [075] with pgBackRest's 'has a stanza-create been performed?' hint")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("stanza-create")
                .satisfies(e -> assertThat(((PgBackRestException) e).errorCode()).isEqualTo(75));
        assertThat(host().exists("/var/lib/postgresql/restored")).as("nothing restored").isFalse();
        assertThatThrownBy(() -> pgBackRest.archiveGet("000000010000000000000001", "/tmp/segment",
                PostgresMachines.DATA_DIRECTORY))
                .as("archive-get, a standby's restore_command: [103] with FileMissingError warnings")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.STANZA_NOT_FOUND))
                .hasMessageContaining("stanza-create")
                .satisfies(e -> assertThat(((PgBackRestException) e).errorCode()).isEqualTo(103));
    }

    @Test
    @Order(2)
    void aStanzaWithoutBackupCannotBeRestoredAndTheMessageSaysToTakeAFullBackup() {
        pgBackRest.stanzaCreate();
        assertThat(pgBackRest.info().status().noBackup()).as("status 2: no valid backups").isTrue();
        assertThatThrownBy(() -> pgBackRest.restore(RestoreOptions.into("/var/lib/postgresql/restored")))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.NO_BACKUP))
                .hasMessageContaining("holds stanza 'main' but no backup to restore")
                .hasMessageContaining("pgbackrest --stanza=main --type=full backup")
                .hasMessageContaining("BaseBackup.defaults()")
                .hasMessageContaining("[075]");
        pgBackRest.check();
    }

    @Test
    @Order(3)
    void checkWithArchivingOffSaysToTurnArchiveModeOn() {
        RepositoryMachine.sql(host(), "ALTER SYSTEM SET archive_mode = 'off'");
        RepositoryMachine.restart(host());
        try {
            assertThatThrownBy(() -> pgBackRest.check())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.ARCHIVE_PUSH))
                    .hasMessageContaining("Archiving is off on the primary (archive_mode)")
                    .hasMessageContaining("archive_mode = on")
                    .hasMessageContaining(pgBackRest.archiveCommand())
                    .hasMessageContaining("[087]");
        } finally {
            RepositoryMachine.sql(host(), "ALTER SYSTEM SET archive_mode = 'on'");
            RepositoryMachine.restart(host());
        }
        pgBackRest.check();
    }

    @Test
    @Order(4)
    void anArchiveCommandForAnotherStanzaMakesCheckTimeOutWithAMessageAboutArchiveCommand() {
        String wrong = pgBackRest.archiveCommand().replace("--stanza=main", "--stanza=elsewhere");
        RepositoryMachine.setArchiveCommand(host(), wrong);
        try {
            assertThatThrownBy(() -> pgBackRest.check())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.ARCHIVE_TIMEOUT))
                    .hasMessageContaining("did not reach the repository within the archive timeout: the primary's"
                            + " archive_command is not working")
                    .hasMessageContaining("check that archive_command is the one for this stanza (archive_command = '"
                            + pgBackRest.archiveCommand() + "') (especially --stanza and --config)")
                    .hasMessageContaining("was not archived before the " + RepositoryMachine.ARCHIVE_TIMEOUT_SECONDS
                            + "000ms timeout")
                    .satisfies(e -> assertThat(((PgBackRestException) e).errorCode()).isEqualTo(82));
        } finally {
            RepositoryMachine.setArchiveCommand(host(), pgBackRest.archiveCommand());
        }
        pgBackRest.check();
    }

    @Test
    @Order(5)
    void anArchiveCommandThatIsNotPgBackRestIsReportedByCheck() {
        RepositoryMachine.setArchiveCommand(host(), "/bin/false");
        try {
            assertThatThrownBy(() -> pgBackRest.check())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.ARCHIVE_PUSH))
                    .hasMessageContaining("The primary's archive_command does not call pgBackRest")
                    .hasMessageContaining("PgBackRestPrimary.withArchiving(settings, pgBackRest) (archive_command = '"
                            + pgBackRest.archiveCommand() + "')")
                    .hasMessageContaining("archive_command '/bin/false' must contain pgbackrest")
                    .hasMessageContaining("[068]");
        } finally {
            RepositoryMachine.setArchiveCommand(host(), pgBackRest.archiveCommand());
        }
        pgBackRest.check();
    }

    @Test
    @Order(6)
    void aRepositoryPgBackRestMayNotReadIsReportedWithTheChownToRun() {
        String archive = REPOSITORY + "/archive/" + STANZA;
        host().run(Command.of("chmod", "000", archive));
        try {
            assertThatThrownBy(() -> pgBackRest.check())
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.REPOSITORY_PERMISSION))
                    .hasMessageContaining("pgBackRest was denied access to '" + archive + "/archive.info' in the"
                            + " repository")
                    .hasMessageContaining("chown -R postgres:postgres /var/lib/pgbackrest && chmod 750"
                            + " /var/lib/pgbackrest")
                    .hasMessageContaining("Until then the primary's archive_command fails")
                    .hasMessageContaining("[13] Permission denied");
            assertThatThrownBy(() -> pgBackRest.archiveGet("000000010000000000000001", "/tmp/segment",
                    PostgresMachines.DATA_DIRECTORY))
                    .as("archive-get, what a standby's restore_command runs")
                    .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.REPOSITORY_PERMISSION))
                    .hasMessageContaining("Until then the standby cannot restore WAL from the archive")
                    .hasMessageContaining("[103]");
        } finally {
            host().run(Command.of("chmod", "750", archive));
        }
        pgBackRest.check();
    }

    @Test
    @Order(7)
    void infoIsParsedFromRealOutputAfterAFullADiffAndAnIncrementalBackup() {
        BackupInfo full = pgBackRest.backup(BackupType.FULL);
        RepositoryMachine.sql(host(), "CREATE TABLE t AS SELECT generate_series(1, 10000) AS i");
        BackupInfo diff = pgBackRest.backup(BackupType.DIFF);
        RepositoryMachine.sql(host(), "INSERT INTO t SELECT generate_series(1, 10000)");
        BackupInfo incr = pgBackRest.backup(BackupType.INCR);

        StanzaInfo info = pgBackRest.info();
        assertThat(info.name()).isEqualTo(STANZA);
        assertThat(info.status()).isEqualTo(new StanzaInfo.Status(0, "ok"));
        assertThat(info.status().ok()).isTrue();
        assertThat(info.backupLockHeld()).isFalse();
        assertThat(info.cipher()).isEqualTo("none");
        assertThat(info.backups()).extracting(BackupInfo::type)
                .containsExactly(BackupType.FULL, BackupType.DIFF, BackupType.INCR);
        assertThat(info.backups()).as("backup() returns what info reports").containsExactly(full, diff, incr);
        assertThat(info.latestBackup()).contains(incr);
        assertThat(info.latestFullBackup()).contains(full);

        assertThat(full.label()).matches("\\d{8}-\\d{6}F");
        assertThat(diff.label()).matches(full.label() + "_\\d{8}-\\d{6}D");
        assertThat(incr.label()).matches(full.label() + "_\\d{8}-\\d{6}I");
        assertThat(full.prior()).isNull();
        assertThat(diff.prior()).isEqualTo(full.label());
        assertThat(incr.prior()).isEqualTo(diff.label());
        assertThat(full.references()).isEmpty();
        assertThat(diff.references()).containsExactly(full.label());
        assertThat(incr.references()).containsExactly(full.label(), diff.label());

        BackupInfo previous = null;
        for (BackupInfo b : info.backups()) {
            assertThat(b.start()).as(b.label() + " start <= stop").isBeforeOrEqualTo(b.stop());
            assertThat(b.lsnStart()).as(b.label() + " LSN start").isNotNull();
            assertThat(b.lsnStop()).as(b.label() + " LSN stop after start").isGreaterThan(b.lsnStart());
            assertThat(b.walStart()).as(b.label() + " WAL start").matches("[0-9A-F]{24}");
            assertThat(b.walStop()).as(b.label() + " WAL stop").matches("[0-9A-F]{24}");
            assertThat(b.walStop().compareTo(b.walStart())).as(b.label() + " WAL range").isGreaterThanOrEqualTo(0);
            assertThat(b.databaseSize()).as(b.label() + " size").isPositive();
            assertThat(b.databaseBackupSize()).as(b.label() + " delta").isPositive();
            assertThat(b.repositorySize()).as(b.label() + " repository size").isPositive();
            assertThat(b.repositoryBackupSize()).as(b.label() + " repository delta").isPositive();
            assertThat(b.pgBackRestVersion()).isEqualTo(pgBackRest.version().toString()).isEqualTo("2.55.1");
            assertThat(b.error()).isFalse();
            assertThat(b.repoKey()).isEqualTo(1);
            if (previous != null) {
                assertThat(b.start()).as(b.label() + " starts after " + previous.label() + " stopped")
                        .isAfterOrEqualTo(previous.stop());
                assertThat(b.lsnStart()).isGreaterThan(previous.lsnStop());
                assertThat(b.walStart().compareTo(previous.walStop())).isPositive();
            }
            previous = b;
        }
        assertThat(full.databaseBackupSize()).as("a full backup copies everything").isEqualTo(full.databaseSize());
        assertThat(diff.databaseBackupSize()).as("a diff copies less than everything")
                .isLessThan(diff.databaseSize());
        assertThat(incr.databaseBackupSize()).isLessThan(incr.databaseSize());

        assertThat(info.archives()).hasSize(1);
        StanzaInfo.WalRange wal = info.archives().get(0);
        assertThat(wal.id()).isEqualTo("17-1");
        assertThat(wal.hasWal()).isTrue();
        assertThat(wal.min().compareTo(full.walStart())).isLessThanOrEqualTo(0);
        assertThat(wal.max().compareTo(incr.walStop())).isGreaterThanOrEqualTo(0);
        assertThat(info.currentDatabase()).hasValueSatisfying(db -> {
            assertThat(db.version()).isEqualTo("17");
            assertThat(db.systemId()).isEqualTo(RepositoryMachine.sql(host(),
                    "SELECT system_identifier FROM pg_control_system()"));
        });
    }

    @Test
    @Order(8)
    void aRestoreOverTheRunningServerIsRefusedWithHowToStopIt() {
        assertThatThrownBy(() -> pgBackRest.restore(RestoreOptions.into(PostgresMachines.DATA_DIRECTORY)))
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.POSTGRES_RUNNING))
                .hasMessageContaining("PostgreSQL is running in /var/lib/postgresql/data (postmaster.pid is present)")
                .hasMessageContaining("pg_ctl -D /var/lib/postgresql/data stop -m fast")
                .hasMessageContaining("[038]");
        assertThat(RepositoryMachine.sql(host(), "SELECT count(*) FROM t")).as("the server is untouched")
                .isEqualTo("20000");
    }

    @Test
    @Order(9)
    void aRestoreIntoADirectoryHoldingFilesIsRefusedAndTheFilesStay() {
        String dir = "/var/lib/postgresql/not-empty";
        host().createDirectories(dir, "0700");
        host().writeFile(dir + "/notes.txt", "keep me\n", "0600");
        assertThatThrownBy(() -> pgBackRest.restore(RestoreOptions.standby(dir)))
                .as("even with --delta: the directory holds no cluster")
                .isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.PATH_NOT_EMPTY))
                .hasMessageContaining(dir + " holds files and pgBackRest will not overwrite them")
                .hasMessageContaining("Standby.withEmptyDataDirectoryAllowed(true)")
                .hasMessageContaining("[040]")
                .hasMessageNotContaining("--delta or --force specified but unable to find");
        assertThat(host().list(dir)).containsExactly("notes.txt");
        assertThat(host().readFile(dir + "/notes.txt")).contains("keep me\n");
    }
}
