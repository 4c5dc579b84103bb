package io.github.pgreplication.testkit.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Resync;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.DeltaMatch;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestConfig.CompressType;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A pgBackRest delta restore re-syncs a stopped standby that fell behind in its own data directory: the files that
 * match the backup stay (same inode), only the others are copied (pgBackRest's own log says which), and the standby
 * streams again. Without the user's permission the directory is refused and left as it was. The repository
 * compresses with zstd ({@code compress-type=zst}, {@code compress-level=3}); the restore runs two processes.
 * Matching by size and timestamp ({@link DeltaMatch#SIZE_AND_TIMESTAMP}, {@code --delta --force}) keeps a file without
 * reading it: shown by one the test changes behind PostgreSQL's back while keeping its size and time, which stays as
 * changed until a checksum delta copies it again.
 *
 * <p>Machines: {@code main} (the primary, holding the repository, with sshd) and {@code s1} (a standby restored
 * over SSH). The tests run in order on one standby.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestDeltaIT {
    private static final String STANZA = "main";
    private static final String DIR = PostgresMachines.DATA_DIRECTORY;
    /** pgBackRest's log on the standby, at detail level: every file of every restore, as pgBackRest wrote it. */
    private static final String LOG_PATH = "/var/lib/postgresql/pgbackrest-log";
    private static final String RESTORE_LOG = LOG_PATH + "/" + STANZA + "-restore.log";
    private static final Pattern FILE = Pattern.compile("restore file (\\S+)( - exists and [^(]*)? \\("
            + "(?:bundle [^,()]*, )?([\\d.]+)(B|KB|MB|GB|TB), [\\d.]+%\\)");

    /** What the size-and-timestamp test writes into the big table's file, in its tenth page. */
    private static final String TAMPER = "TAMPERED";
    private static final int TAMPER_AT = 10 * 8192 + 4096;

    static PostgresMachines machines;
    static ClusterNode main;
    static Host standby;
    static PgBackRest repository;
    static final List<CloneProgress> progress = new CopyOnWriteArrayList<>();
    static String bigFile;
    static String inodesAfterClone;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "main", "s1");
        main = machines.initDatabase("main", Map.of("wal_log_hints", "on"));
        main.startSshd();
        PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .compressType(CompressType.ZST).compressLevel(3)
                .logPath("/var/log/pgbackrest")
                .startFast(true)
                .addStanza(StanzaSection.named(STANZA).withPgPath(main.dataDirectory()).withPgPort(ClusterNode.PORT))
                .build()
                .writeTo(main.host());
        repository = PgBackRest.on(main.host(), STANZA).withNodeName("main");
        standby = machines.machine("s1").host();
        standby.createDirectories(LOG_PATH, "0750");
        // A large table that does not change after the backup (frozen, so that no vacuum rewrites it), and a small
        // one that does.
        main.query("CREATE TABLE big AS SELECT g, md5(g::text) AS v FROM generate_series(1, 300000) g");
        main.query("VACUUM (FREEZE, ANALYZE) big");
        main.query("CREATE TABLE small AS SELECT g AS id, 'before' AS v FROM generate_series(1, 1000) g");
        bigFile = DIR + "/" + main.query("SELECT pg_relation_filepath('big')");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    private static Replication describe(boolean overwriteAllowed) {
        return describe(overwriteAllowed, DeltaMatch.CHECKSUM);
    }

    private static Replication describe(boolean overwriteAllowed, DeltaMatch match) {
        RepositoryHost repositoryHost = RepositoryHost.at("main").withAccess(main.host());
        PgBackRestConfig standbyConfig = PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("main"))
                .logPath(LOG_PATH)
                .globalOption("log-level-file", "detail")
                .addStanza(StanzaSection.named(STANZA).withPgPath(DIR))
                .build();
        return Replication.primary(Primary.at(main.internalEndpoint()).withName("main")
                        .withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                        .withHost(main.host()).withDataDirectory(main.dataDirectory())
                        .withService(ServiceControl.pgCtl()))
                .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty(), repository))
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"))
                .addStandby(Standby.named("s1").withHost(standby).withDataDirectory(DIR)
                        .withEmptyDataDirectoryAllowed(overwriteAllowed)
                        .withCloneMethods(PgBackRestRestore.from(repositoryHost, STANZA)
                                        .withConfig(standbyConfig)
                                        .withRepositoryPreparedBy(repository)
                                        .withDelta(match)
                                        .withProcessMax(2)
                                        .withProgressListener(progress::add),
                                BaseBackup.defaults()))
                .load();
    }

    @Test
    @Order(1)
    void theFirstRestoreCopiesEverythingFromTheZstdRepository() {
        try (Replication replication = describe(true)) {
            assertThat(replication.plan().toRunbook()).as("every choice is in the runbook")
                    .contains("--delta", "--process-max=2", "--pg1-path=" + DIR)
                    .contains("# --delta on a kept data directory (PostgreSQL stopped)");
            ApplyResult result = replication.apply();
            assertThat(result.cloneMethodUsed("s1")).as(result.summary()).contains("cloned with pgbackrest-restore");
        }
        String label = repository.info().latestBackup().orElseThrow().label();
        assertThat(main.host().run(Command.of("ls", "/var/lib/pgbackrest/backup/" + STANZA + "/" + label
                + "/pg_data")).stdout()).as("the repository's files are zstd-compressed").contains("PG_VERSION.zst");
        List<Restore> runs = restores();
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.matched).as("nothing to keep in an empty directory").isZero();
            assertThat(r.copied).as("the whole database, the big table with it").isGreaterThan(20L << 20);
        });
        assertThat(psql("SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
        inodesAfterClone = inodes();
        CloneProgress last = progress.get(progress.size() - 1);
        assertThat(last.percent()).isEqualTo(100);
        assertThat(last.bytesPerSecond()).as("the rate of a restore of hundreds of files").isPositive();
    }

    @Test
    @Order(2)
    void withoutPermissionTheStaleStandbyIsRefusedAndLeftAsItWas() {
        stopAndFallBehind();
        List<String> before = standby.list(DIR);

        try (Replication replication = describe(false)) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Data directory " + DIR + " of standby 's1'")
                    .hasMessageContaining("holds a PostgreSQL cluster that is not a standby of primary 'main' (no"
                            + " standby.signal)")
                    .hasMessageContaining("pgbackrest-restore would re-sync it in place (it keeps the files that"
                            + " match and overwrites the others), which needs your permission to overwrite the"
                            + " directory; nothing in it was changed. Allow it:"
                            + " Standby.named(\"s1\")....withEmptyDataDirectoryAllowed(true).")
                    .cause().isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.DATA_DIRECTORY_NOT_EMPTY));
        }
        assertThat(standby.list(DIR)).as("the directory's entries").isEqualTo(before);
        assertThat(inodes()).as("the directory and the big table's file, untouched").isEqualTo(inodesAfterClone);
        assertThat(restores()).as("no restore ran").hasSize(1);
    }

    @Test
    @Order(3)
    void withPermissionTheDeltaRestoreKeepsTheDirectoryCopiesWhatChangedAndTheStandbyStreams() {
        progress.clear();
        try (Replication replication = describe(true)) {
            ApplyResult result = replication.apply(); // verifies that s1 streams
            assertThat(result.cloneMethodUsed("s1")).as(result.summary())
                    .contains("re-synced in place with pgbackrest-restore");
        }
        List<Restore> runs = restores();
        assertThat(runs).hasSize(2);
        Restore full = runs.get(0);
        Restore delta = runs.get(1);
        assertThat(delta.matched).as("kept: matched the backup").isGreaterThan(20L << 20);
        assertThat(delta.copied).as("copied by the delta (%s) against the full restore (%s)", delta, full)
                .isLessThan(full.copied / 4);
        assertThat(delta.keptFiles).as("the big table's file matched").contains(bigFile);
        assertThat(inodes()).as("the same directory and the same file of the big table: never deleted")
                .isEqualTo(inodesAfterClone);
        assertThat(psql("SELECT (SELECT status FROM pg_stat_wal_receiver), (SELECT count(*) FROM big),"
                + " (SELECT count(*) FROM small WHERE v = 'after'), (SELECT count(*) FROM after_stop)"))
                .as("streams, with the rows changed while it was stopped").isEqualTo("streaming|300000|1000|5000");
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).percent()).isEqualTo(100);
    }

    @Test
    @Order(4)
    void resyncHasNothingToDoForAStandbyThatStreamsAndWhenForcedReSyncsItInPlace() {
        try (Replication replication = describe(true)) {
            OperationResult idle = replication.resync(Resync.node("s1"));
            assertThat(idle.notes()).singleElement().asString().startsWith("s1: nothing to do: it streams from main");
            assertThat(restores()).as("no restore ran").hasSize(2);

            main.query("UPDATE small SET v = 'resync'");
            main.query("CHECKPOINT");
            repository.backup(BackupType.INCR);
            Resync forced = Resync.node("s1").withForced(true);
            assertThat(replication.plan(forced).toRunbook()).as("the plan says which way and why")
                    .contains("Re-sync standby s1 from main: a re-sync in place with pgbackrest-restore (it keeps the"
                            + " files that match and copies the others)");
            OperationResult result = replication.resync(forced);
            assertThat(result.notes()).as(result.summary()).singleElement().asString()
                    .isEqualTo("s1 was re-synced from main (forced (it streams from main)): re-synced in place with"
                            + " pgbackrest-restore.");
        }
        List<Restore> runs = restores();
        assertThat(runs).hasSize(3);
        assertThat(runs.get(2).copied).as("copied by the re-sync's delta (%s) against the full restore (%s)",
                runs.get(2), runs.get(0)).isLessThan(runs.get(0).copied / 4);
        assertThat(inodes()).as("the same directory and big table's file").isEqualTo(inodesAfterClone);
        assertThat(psql("SELECT (SELECT status FROM pg_stat_wal_receiver), (SELECT count(*) FROM small WHERE v ="
                + " 'resync')")).as("streams, with the rows changed before the re-sync").isEqualTo("streaming|1000");
    }

    @Test
    @Order(5)
    void bySizeAndTimestampTheDeltaReadsNoKeptFileSoItKeepsOneChangedBehindItsBackWhichTheChecksumDeltaRepairs() {
        // A change that keeps the big table's file size and modification time: what DeltaMatch's Javadoc calls unsafe.
        standby.run(Command.of("pg_ctl", "-D", DIR, "-w", "stop", "-m", "fast").withTimeout(Duration.ofMinutes(1)));
        standby.run(Command.of("touch", "-r", bigFile, "/tmp/big-times"));
        standby.writeFile("/tmp/tamper", TAMPER, "0600");
        standby.run(Command.of("dd", "if=/tmp/tamper", "of=" + bigFile, "bs=1", "seek=" + TAMPER_AT, "conv=notrunc"));
        standby.run(Command.of("touch", "-r", "/tmp/big-times", bigFile));
        main.query("UPDATE small SET v = 'by size'");
        main.query("CHECKPOINT");
        repository.backup(BackupType.INCR);

        try (Replication replication = describe(true, DeltaMatch.SIZE_AND_TIMESTAMP)) {
            assertThat(replication.plan(Resync.node("s1")).toRunbook()).as("the choice is in the runbook")
                    .contains("--delta --force --pg1-path=" + DIR, "# --delta --force on a kept data directory");
            OperationResult result = replication.resync(Resync.node("s1"));
            assertThat(result.notes()).as(result.summary()).singleElement().asString()
                    .isEqualTo("s1 was re-synced from main (it does not answer): re-synced in place with"
                            + " pgbackrest-restore.");
        }
        List<Restore> runs = restores();
        assertThat(runs).hasSize(4);
        Restore bySize = runs.get(3);
        assertThat(bySize.command()).as("pgBackRest's own record of its options").contains(" --delta ", " --force ");
        assertThat(bySize.copied()).as("copied by size and timestamp (%s) against the full restore (%s)", bySize,
                runs.get(0)).isLessThan(runs.get(0).copied() / 4);
        assertThat(bySize.keptFiles()).as("the big table's file: same size and time").contains(bigFile);
        assertThat(bytesAt(bigFile)).as("kept without being read, so the change stays").isEqualTo(TAMPER);
        assertThat(psql("SELECT (SELECT status FROM pg_stat_wal_receiver), (SELECT count(*) FROM small WHERE v ="
                + " 'by size')")).as("streams, with the rows changed while it was stopped").isEqualTo("streaming|1000");

        try (Replication replication = describe(true)) {
            replication.resync(Resync.node("s1").withForced(true));
        }
        runs = restores();
        assertThat(runs).hasSize(5);
        Restore byChecksum = runs.get(4);
        assertThat(byChecksum.command()).contains(" --delta ").doesNotContain("--force");
        assertThat(byChecksum.keptFiles()).as("its checksum differs from the backup's").doesNotContain(bigFile);
        assertThat(bytesAt(bigFile)).as("copied again from the backup").isNotEqualTo(TAMPER);
        assertThat(byChecksum.copied()).as("only that file and what changed (%s)", byChecksum)
                .isLessThan(runs.get(0).copied() / 2);
        assertThat(psql("SELECT (SELECT status FROM pg_stat_wal_receiver), (SELECT count(*) FROM big)"))
                .as("streams, the big table whole").isEqualTo("streaming|300000");
    }

    /** @return the bytes of the standby's {@code file} where the test changed it behind PostgreSQL's back */
    private static String bytesAt(String file) {
        return standby.run(Command.of("dd", "if=" + file, "bs=1", "skip=" + TAMPER_AT, "count=" + TAMPER.length()))
                .stdout();
    }

    /**
     * Stops the standby and changes rows on the primary. Then its standby.signal goes: what makes {@code apply()}
     * re-sync a directory of this primary's cluster, as it finds one a restore was cut in (pgBackRest writes
     * standby.signal at the end). Deciding that a standby that still has its standby.signal cannot catch up any
     * more is a re-sync operation's job, not {@code apply()}'s, which keeps such a standby and starts it.
     */
    private static void stopAndFallBehind() {
        standby.run(Command.of("pg_ctl", "-D", DIR, "-w", "stop", "-m", "fast").withTimeout(Duration.ofMinutes(1)));
        main.query("UPDATE small SET v = 'after'");
        main.query("CREATE TABLE after_stop AS SELECT g FROM generate_series(1, 5000) g");
        main.query("CHECKPOINT");
        standby.deleteFile(DIR + "/standby.signal");
    }

    /** @return the inodes of the data directory and of the big table's file (POSIX {@code ls -di}) */
    private static String inodes() {
        return standby.run(Command.of("ls", "-di", DIR, bigFile)).stdout().strip();
    }

    private static String psql(String sql) {
        return standby.run(Command.of("psql", "-X", "-A", "-t", "-d", "postgres", "-c", sql)
                .withTimeout(Duration.ofSeconds(30))).stdout().strip();
    }

    /**
     * One restore in pgBackRest's log: bytes copied, bytes kept because they matched, the kept files, and its
     * {@code restore command begin} line (pgBackRest lists the options it runs with there).
     */
    record Restore(long copied, long matched, List<String> keptFiles, String command) {
        @Override
        public String toString() {
            return (copied >> 10) + " kB copied, " + (matched >> 10) + " kB kept";
        }
    }

    /** @return every restore pgBackRest logged on the standby, in order, read from its log file */
    private static List<Restore> restores() {
        String log = standby.readFile(RESTORE_LOG).orElse("");
        List<Restore> runs = new ArrayList<>();
        long copied = 0;
        long matched = 0;
        List<String> kept = new ArrayList<>();
        String command = null;
        for (String line : log.lines().toList()) {
            if (line.contains("restore command begin")) {
                if (command != null) {
                    runs.add(new Restore(copied, matched, kept, command));
                }
                command = line + " ";
                copied = 0;
                matched = 0;
                kept = new ArrayList<>();
            }
            Matcher m = FILE.matcher(line);
            if (command != null && m.find()) {
                long size = Math.round(Double.parseDouble(m.group(3)) * switch (m.group(4)) {
                    case "KB" -> 1L << 10;
                    case "MB" -> 1L << 20;
                    case "GB" -> 1L << 30;
                    case "TB" -> 1L << 40;
                    default -> 1L;
                });
                if (m.group(2) != null) {
                    matched += size;
                    kept.add(m.group(1));
                } else {
                    copied += size;
                }
            }
        }
        if (command != null) {
            runs.add(new Restore(copied, matched, kept, command));
        }
        return runs;
    }
}
