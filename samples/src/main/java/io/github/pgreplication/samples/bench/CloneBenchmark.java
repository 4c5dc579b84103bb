package io.github.pgreplication.samples.bench;

import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.util.ArrayList;
import java.util.List;

/**
 * Clone throughput: {@link BaseBackup} through the library (its container Host, progress parsing) against the raw
 * {@code pg_basebackup} command with the same arguments run with {@code docker exec}, and a pgBackRest restore over
 * SSH with process-max 1 and 2, on the same database of about 1 GB, into the same standby container, interleaved,
 * several repetitions. Prints medians and ratios.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh clone [repetitions] [rows]}.
 */
public final class CloneBenchmark {
    private CloneBenchmark() {
    }

    /** @param args optional repetition count (default 5) and row count (default 1,000,000: about 1.1 GB) */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "src", "dst")) {
            ClusterNode src = machines.initDatabase("src");
            ClusterNode dst = machines.machine("dst");
            String size = makeDatabase(src, rows);

            String dir = "/var/lib/postgresql/clone";
            Standby standby = Standby.named("dst").withHost(dst.host()).withDataDirectory(dir);
            CloneContext context = new CloneContext(standby, Primary.at(src.internalEndpoint()),
                    ReplicationRole.named("replicator"), "bench_slot");
            BaseBackup library = BaseBackup.defaults();
            List<String> raw = new ArrayList<>(List.of("docker", "exec", "-u", "postgres",
                    dst.container().getContainerId()));
            raw.addAll(library.command(context).argv());
            System.out.println("raw command: " + String.join(" ", raw));

            // pgBackRest: the repository on src, dst restores over SSH. The archive-get check is off: only the
            // restore itself is compared with pg_basebackup.
            backUp(src, size);
            RepositoryHost repositoryHost = RepositoryHost.at("src").withAccess(src.host());
            PgBackRestRestore restore1 = PgBackRestRestore.from(repositoryHost, "bench").withProcessMax(1)
                    .withArchiveGetCheck(false);
            PgBackRestRestore restore2 = PgBackRestRestore.from(repositoryHost, "bench").withProcessMax(2)
                    .withArchiveGetCheck(false);
            // the same standby seen through a clock that notes when pgBackRest's restore command starts
            RestoreStartClock clock = new RestoreStartClock(dst.host());
            CloneContext clocked = new CloneContext(standby.withHost(clock), context.primary(), context.role(),
                    context.slot());
            Stats before = new Stats();

            Stats viaLibrary = new Stats();
            Stats direct = new Stats();
            Stats pgbr1 = new Stats();
            Stats pgbr2 = new Stats();
            for (int i = 0; i < reps; i++) {
                viaLibrary.add(timed(dst, dir, () -> library.cloneInto(context)));
                direct.add(timed(dst, dir, () -> LocalHost.current().run(Command.of(raw)
                        .withTimeout(java.time.Duration.ofHours(1)))));
                pgbr1.add(timed(dst, dir, () -> before.add(beforeRestore(clock, () -> restore1.cloneInto(clocked)))));
                pgbr2.add(timed(dst, dir, () -> before.add(beforeRestore(clock, () -> restore2.cloneInto(clocked)))));
            }
            System.out.println();
            System.out.println("Clone of a " + size + " database, " + reps + " runs each, interleaved");
            System.out.println("  BaseBackup via library     : " + viaLibrary);
            System.out.println("  raw pg_basebackup          : " + direct);
            System.out.printf("  library / raw              : %.3f (target <= 1.03)%n",
                    (double) viaLibrary.median() / direct.median());
            System.out.println("  pgBackRest restore, pm 1   : " + pgbr1);
            System.out.println("  pgBackRest restore, pm 2   : " + pgbr2);
            System.out.printf("  restore pm1 / pg_basebackup: %.3f, pm2 / pg_basebackup: %.3f%n",
                    (double) pgbr1.median() / direct.median(), (double) pgbr2.median() / direct.median());
            System.out.println("  pgBackRest before restore  : " + before + " (clone start to restore command"
                    + " start, both process-max; the first run sets up SSH trust; target <= 500 ms)");
        }
    }

    /** @return the size of the database made on src: about 1.1 GB per million rows, a replication role, a slot */
    private static String makeDatabase(ClusterNode src, int rows) {
        allowReplication(src);
        return fill(src, rows);
    }

    /** @return the size of the database after table big of about 1.1 GB per million rows was made, checkpointed */
    static String fill(ClusterNode src, int rows) {
        long t = System.nanoTime();
        psql(src, "CREATE TABLE big AS SELECT g, repeat(md5(g::text), 30) AS pad FROM generate_series(1, "
                + rows + ") g");
        psql(src, "CHECKPOINT");
        String size = psql(src, "SELECT pg_size_pretty(pg_database_size('postgres'))").strip();
        System.out.printf("database of %s made in %d s%n", size, (System.nanoTime() - t) / 1_000_000_000);
        return size;
    }

    /** Lets role replicator clone src from the cluster's network, through slot bench_slot. */
    static void allowReplication(ClusterNode src) {
        src.host().writeFile(PostgresMachines.DATA_DIRECTORY + "/pg_hba.conf", String.join("\n",
                "local all all trust", "host all all all scram-sha-256", "local replication all trust",
                "host replication replicator samenet trust", ""), "0600");
        psql(src, "SELECT pg_reload_conf()");
        psql(src, "CREATE ROLE replicator WITH REPLICATION LOGIN");
        psql(src, "SELECT pg_create_physical_replication_slot('bench_slot', true)");
    }

    /** Makes src a pgBackRest repository reached over SSH, archiving on, with a full backup of its database. */
    private static void backUp(ClusterNode src, String size) {
        src.startSshd();
        PgBackRestConfig.builder().repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .processMax(2).startFast(true).logPath("/var/log/pgbackrest")
                .addStanza(StanzaSection.named("bench").withPgPath(PostgresMachines.DATA_DIRECTORY))
                .build().writeTo(src.host());
        PgBackRest repository = PgBackRest.on(src.host(), "bench");
        psql(src, "ALTER SYSTEM SET archive_mode = 'on'");
        psql(src, "ALTER SYSTEM SET archive_command = '" + repository.archiveCommand() + "'");
        src.host().run(Command.of("pg_ctl", "-D", PostgresMachines.DATA_DIRECTORY, "-w", "-l",
                PostgresMachines.DATA_DIRECTORY + ".log", "restart", "-m", "fast"));
        repository.stanzaCreate();
        long tb = System.nanoTime();
        repository.backup(BackupType.FULL);
        System.out.printf("pgBackRest full backup of %s took %d ms (not compared)%n", size,
                (System.nanoTime() - tb) / 1_000_000);
    }

    /** @return the milliseconds from the clone's start to the start of its pgBackRest restore command */
    private static long beforeRestore(RestoreStartClock clock, Runnable clone) {
        long t0 = System.nanoTime();
        clone.run();
        return (clock.restoreStart() - t0) / 1_000_000;
    }

    /** Empties the target (not timed), then times the clone. */
    static long timed(ClusterNode dst, String dir, Runnable clone) {
        dst.host().run(Command.of("rm", "-rf", dir));
        long t0 = System.nanoTime();
        clone.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String psql(ClusterNode node, String sql) {
        return node.host().run(Command.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres",
                "-c", sql).withTimeout(java.time.Duration.ofMinutes(20))).stdout();
    }
}
