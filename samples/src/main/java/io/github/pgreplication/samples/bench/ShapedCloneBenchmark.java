package io.github.pgreplication.samples.bench;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.BaseBackup.Compression;
import io.github.pgreplication.clone.BaseBackup.Compression.Algorithm;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestConfig.CompressType;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Clones over a shaped link (issue 24): the source's egress limited to 100 Mbit/s with the kernel's tbf
 * ({@link ClusterNode#limitBandwidth}), then raw {@code pg_basebackup}, {@link BaseBackup} with server gzip, lz4 and
 * zstd, and pgBackRest restores from gz, lz4 and zst repositories with process-max 1 and 2, interleaved, several
 * repetitions; then a stale standby (the rows of one table in 20, 5% of the rows, changed since its restore) re-synced
 * by a delta restore against a full restore of the same backup. Prints medians, the effective throughput (the
 * database's size over the time) against the link's 100 Mbit/s, and the targets.
 *
 * <p>Two databases: {@code compressible}, section 2's 1 GB (1,000,000 rows of {@code repeat(md5(g::text), 30)}),
 * split in 20 tables so that a change to 5% of the rows changes 5% of the files; and {@code random}, less
 * compressible: per row a uuid as text, a random number, an md5 as text and 192 random bytes (bytea of sha256
 * digests), about 300 bytes a row.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh clone-shaped [repetitions] [compressible|random] [rows]}.
 */
public final class ShapedCloneBenchmark {
    private static final long LINK = 12_500_000; // bytes per second: 100 Mbit/s
    private static final int TABLES = 20;
    private static final String DIR = "/var/lib/postgresql/clone";
    private static final List<CompressType> TYPES = List.of(CompressType.GZ, CompressType.LZ4, CompressType.ZST);

    private ShapedCloneBenchmark() {
    }

    /**
     * @param args repetitions (default 3), database ({@code compressible}, the default, or {@code random}), rows
     *             (default 1,000,000 compressible: about 1.1 GB; 800,000 random: about 250 MB)
     */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        boolean random = args.length > 1 && args[1].equals("random");
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : random ? 800_000 : 1_000_000;
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "src", "dst")) {
            ClusterNode src = machines.initDatabase("src");
            ClusterNode dst = machines.machine("dst");
            CloneBenchmark.allowReplication(src);
            long bytes = makeDatabase(src, rows, random);
            Map<CompressType, PgBackRest> repositories = repositories(src);

            Standby standby = Standby.named("dst").withHost(dst.host()).withDataDirectory(DIR);
            CloneContext context = new CloneContext(standby, Primary.at(src.internalEndpoint()),
                    ReplicationRole.named("replicator"), "bench_slot");
            List<String> raw = new ArrayList<>(List.of("docker", "exec", "-u", "postgres",
                    dst.container().getContainerId()));
            raw.addAll(BaseBackup.defaults().command(context).argv());
            Map<String, Runnable> methods = new LinkedHashMap<>();
            methods.put("raw pg_basebackup", () -> LocalHost.current().run(Command.of(raw)
                    .withTimeout(Duration.ofHours(1))));
            for (Algorithm a : List.of(Algorithm.GZIP, Algorithm.LZ4, Algorithm.ZSTD)) {
                BaseBackup b = BaseBackup.defaults().withCompression(Compression.server(a));
                methods.put("BaseBackup server-" + a.toPostgres(), () -> b.cloneInto(context));
            }
            for (CompressType type : TYPES) {
                for (int pm : new int[] {1, 2}) {
                    PgBackRestRestore r = restore(src, type, pm);
                    methods.put("pgBackRest " + name(type) + ", pm " + pm, () -> r.cloneInto(context));
                }
            }

            src.limitBandwidth(new DataSize(LINK));
            Map<String, Stats> times = new LinkedHashMap<>();
            methods.keySet().forEach(k -> times.put(k, new Stats()));
            for (int i = 0; i < reps; i++) {
                for (Map.Entry<String, Runnable> m : methods.entrySet()) {
                    long ms = CloneBenchmark.timed(dst, DIR, m.getValue());
                    times.get(m.getKey()).add(ms);
                    System.out.printf("run %d %-26s %7d ms%n", i + 1, m.getKey(), ms);
                }
            }

            // The stale standby: restored, then 5% of the rows change on src, and a new backup is taken.
            PgBackRestRestore full = restore(src, CompressType.ZST, 2);
            PgBackRestRestore delta = full.withDelta(true);
            CloneBenchmark.timed(dst, DIR, () -> full.cloneInto(context));
            dst.host().run(Command.of("rm", "-rf", DIR + ".stale"));
            dst.host().run(Command.of("cp", "-a", DIR, DIR + ".stale"));
            CloneBenchmark.psql(src, random ? "UPDATE t01 SET n = n + 1" : "UPDATE t01 SET pad = pad || 'x'");
            CloneBenchmark.psql(src, "CHECKPOINT");
            repositories.get(CompressType.ZST).backup(BackupType.FULL);
            Stats deltas = new Stats();
            Stats fulls = new Stats();
            for (int i = 0; i < reps; i++) {
                dst.host().run(Command.of("rm", "-rf", DIR));
                dst.host().run(Command.of("cp", "-a", DIR + ".stale", DIR));
                long t0 = System.nanoTime();
                delta.cloneInto(context);
                deltas.add((System.nanoTime() - t0) / 1_000_000);
                fulls.add(CloneBenchmark.timed(dst, DIR, () -> full.cloneInto(context)));
                System.out.printf("run %d delta %d ms, full %d ms%n", i + 1, deltas.values().get(i),
                        fulls.values().get(i));
            }
            src.unlimitBandwidth();

            System.out.println();
            System.out.printf("Clones of the %s database (%d MB, %s) over a 100 Mbit/s link (src egress, tbf),"
                    + " %d runs each, interleaved%n", random ? "random" : "compressible", bytes >> 20,
                    random ? "uuid text, random number, md5 text, 192 random bytes a row" : "section 2's rows in "
                    + TABLES + " tables", reps);
            long rawMs = times.get("raw pg_basebackup").median();
            String best = null;
            for (Map.Entry<String, Stats> e : times.entrySet()) {
                long ms = e.getValue().median();
                System.out.printf("  %-26s: %s  %6.1f Mbit/s effective (%.2fx the link), %.2fx raw%n", e.getKey(),
                        e.getValue(), bytes * 8 / 1e6 / (ms / 1000.0), bytes / (ms / 1000.0) / LINK,
                        (double) ms / rawMs);
                if (best == null || ms < times.get(best).median()) {
                    best = e.getKey();
                }
            }
            System.out.printf("  best: %s, %.2fx faster than raw pg_basebackup (target >= 2 on the compressible"
                    + " database)%n", best, (double) rawMs / times.get(best).median());
            System.out.println("  stale standby (5% of the rows changed), pgBackRest zst pm 2:");
            System.out.println("    delta restore            : " + deltas);
            System.out.println("    full restore, same backup: " + fulls);
            System.out.printf(Locale.ROOT, "    delta / full restore: %.2f, delta / raw pg_basebackup: %.2f (target <="
                    + " 0.3)%n", (double) deltas.median() / fulls.median(), (double) deltas.median() / rawMs);
        }
    }

    /** @return the database's size in bytes: the rows in 20 tables, checkpointed */
    private static long makeDatabase(ClusterNode src, int rows, boolean random) {
        long t = System.nanoTime();
        int per = rows / TABLES;
        for (int i = 1; i <= TABLES; i++) {
            String table = String.format("t%02d", i);
            CloneBenchmark.psql(src, random
                    ? "CREATE TABLE " + table + " AS SELECT g, gen_random_uuid()::text AS id, (random() * 1e15)::bigint"
                    + " AS n, md5(random()::text) AS h, sha256(random()::text::bytea) || sha256(random()::text::bytea)"
                    + " || sha256(random()::text::bytea) || sha256(random()::text::bytea)"
                    + " || sha256(random()::text::bytea) || sha256(random()::text::bytea) AS payload"
                    + " FROM generate_series(1, " + per + ") g"
                    : "CREATE TABLE " + table + " AS SELECT g, repeat(md5(g::text), 30) AS pad"
                    + " FROM generate_series(1, " + per + ") g");
        }
        // Frozen now, so that no vacuum rewrites the tables the stale standby shares with the later backup.
        CloneBenchmark.psql(src, "VACUUM (FREEZE, ANALYZE)");
        CloneBenchmark.psql(src, "CHECKPOINT");
        long bytes = Long.parseLong(CloneBenchmark.psql(src, "SELECT sum(pg_database_size(oid)) FROM pg_database")
                .strip());
        System.out.printf("database of %d MB made in %d s%n", bytes >> 20, (System.nanoTime() - t) / 1_000_000_000);
        return bytes;
    }

    /** Three repositories on src, one per compression, each with a full backup; archiving pushes to all three. */
    private static Map<CompressType, PgBackRest> repositories(ClusterNode src) {
        src.startSshd();
        Map<CompressType, PgBackRest> out = new LinkedHashMap<>();
        List<String> archive = new ArrayList<>();
        for (CompressType type : TYPES) {
            PgBackRestConfig.builder().repository(Repository.posix("/var/lib/pgbackrest/" + name(type))
                            .withRetentionFull(2))
                    .compressType(type).processMax(2).startFast(true).logPath("/var/log/pgbackrest")
                    .globalOption("lock-path", "/tmp/pgbackrest-" + name(type))
                    .addStanza(StanzaSection.named("bench").withPgPath(PostgresMachines.DATA_DIRECTORY))
                    .build().writeTo(src.host(), configPath(type));
            PgBackRest repository = PgBackRest.on(src.host(), "bench").withConfigPath(configPath(type));
            out.put(type, repository);
            archive.add(repository.archiveCommand());
        }
        CloneBenchmark.psql(src, "ALTER SYSTEM SET archive_mode = 'on'");
        CloneBenchmark.psql(src, "ALTER SYSTEM SET archive_command = '" + String.join(" && ", archive) + "'");
        src.host().run(Command.of("pg_ctl", "-D", PostgresMachines.DATA_DIRECTORY, "-w", "-l",
                PostgresMachines.DATA_DIRECTORY + ".log", "restart", "-m", "fast"));
        // Every stanza first: archive_command pushes to all three, and fails (for all) while one has none.
        out.values().forEach(PgBackRest::stanzaCreate);
        for (Map.Entry<CompressType, PgBackRest> e : out.entrySet()) {
            long t = System.nanoTime();
            e.getValue().backup(BackupType.FULL);
            System.out.printf("pgBackRest %s full backup took %d ms (not compared)%n", name(e.getKey()),
                    (System.nanoTime() - t) / 1_000_000);
        }
        return out;
    }

    /** @return a restore over SSH from src's repository of that compression, archive-get check off */
    private static PgBackRestRestore restore(ClusterNode src, CompressType type, int processMax) {
        return PgBackRestRestore.from(RepositoryHost.at("src").withAccess(src.host()).withConfigPath(configPath(type)),
                "bench").withConfigPath(configPath(type)).withProcessMax(processMax).withArchiveGetCheck(false);
    }

    private static String configPath(CompressType type) {
        return "/var/lib/postgresql/pgbackrest-" + name(type) + ".conf";
    }

    private static String name(CompressType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
