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
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.pgbackrest.BackupType;
import io.github.pgreplication.pgbackrest.DeltaMatch;
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
import io.github.pgreplication.testkit.TestCa;
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
 * by a delta restore matching files by checksum and one matching them by size and timestamp, against a full restore
 * of the same backup, with the phases of each from pgBackRest's own log ({@link RestoreLog}), over SSH and again
 * through pgBackRest's TLS server on src (the same repository). Prints medians, the
 * effective throughput (the database's size over the time) against the link's 100 Mbit/s, and the issue's targets.
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
    /** pgBackRest's log on dst for the stale standby's restores, one file per run (at detail level: every file). */
    private static final String RESTORE_LOG_PATH = "/var/lib/postgresql/pgbackrest-log";
    private static final String RESTORE_LOG = RESTORE_LOG_PATH + "/bench-restore.log";
    /** The TLS material on src and dst, and the configuration files of src's TLS server and of dst as its client. */
    private static final String TLS_DIR = "/var/lib/postgresql/tls";
    private static final String TLS_CA = TLS_DIR + "/ca.crt";
    private static final String TLS_SERVER_CONFIG = "/var/lib/postgresql/pgbackrest-server.conf";
    private static final String TLS_CLIENT_CONFIG = "/var/lib/postgresql/pgbackrest-tls.conf";

    private ShapedCloneBenchmark() {
    }

    /**
     * @param args repetitions (default 3), database ({@code compressible}, the default, or {@code random}), rows
     *             (default 1,000,000 compressible: about 1.1 GB; 800,000 random: about 250 MB), and {@code resync} to
     *             measure only the stale standby's re-syncs (no clone methods, no ratio to raw pg_basebackup)
     */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        boolean random = args.length > 1 && args[1].equals("random");
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : random ? 800_000 : 1_000_000;
        boolean resyncOnly = args.length > 3 && args[3].equals("resync");
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
            for (int i = 0; i < (resyncOnly ? 0 : reps); i++) {
                for (Map.Entry<String, Runnable> m : methods.entrySet()) {
                    long ms = CloneBenchmark.timed(dst, DIR, m.getValue());
                    times.get(m.getKey()).add(ms);
                    System.out.printf("run %d %-26s %7d ms%n", i + 1, m.getKey(), ms);
                }
            }

            // The stale standby: restored, then 5% of the rows change on src, and a new backup is taken. pgBackRest
            // logs every file at detail level on dst, so each delta's time splits into its phases. The same deltas and
            // full restore run over SSH and through pgBackRest's TLS server on src (the same zst repository).
            Map<String, Resync> transports = new LinkedHashMap<>();
            transports.put("SSH", Resync.of(restore(src, CompressType.ZST, 2).withConfig(loggedConfig(
                    RepositoryHost.at("src").withConfigPath(configPath(CompressType.ZST))))));
            RepositoryHost tls = startTlsServer(src, dst);
            transports.put("TLS server", Resync.of(PgBackRestRestore.from(tls, "bench")
                    .withConfigPath(TLS_CLIENT_CONFIG).withProcessMax(2).withArchiveGetCheck(false)
                    .withConfig(loggedConfig(tls))));
            dst.host().createDirectories(RESTORE_LOG_PATH, "0750");
            CloneBenchmark.timed(dst, DIR, () -> transports.get("SSH").full().cloneInto(context));
            dst.host().run(Command.of("rm", "-rf", DIR + ".stale"));
            dst.host().run(Command.of("cp", "-a", DIR, DIR + ".stale"));
            CloneBenchmark.psql(src, random ? "UPDATE t01 SET n = n + 1" : "UPDATE t01 SET pad = pad || 'x'");
            CloneBenchmark.psql(src, "CHECKPOINT");
            repositories.get(CompressType.ZST).backup(BackupType.FULL);
            for (int i = 0; i < reps; i++) {
                for (Map.Entry<String, Resync> t : transports.entrySet()) {
                    Resync r = t.getValue();
                    for (Map.Entry<String, PgBackRestRestore> d : r.deltas().entrySet()) {
                        dst.host().run(Command.of("rm", "-rf", DIR, RESTORE_LOG));
                        dst.host().run(Command.of("cp", "-a", DIR + ".stale", DIR));
                        // On disk before the timer, as a stale standby's directory is: else the copy's gigabyte of
                        // dirty pages is written back while the delta runs, which a full restore after rm -rf never
                        // pays.
                        dst.host().run(Command.of("sync"));
                        long t0 = System.nanoTime();
                        d.getValue().cloneInto(context);
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        r.times().get(d.getKey()).add(ms);
                        RestoreLog log = RestoreLog.parse(dst.host().readFile(RESTORE_LOG).orElse(""));
                        r.phases().get(d.getKey()).add(log);
                        System.out.printf("run %d %-10s %-26s %7d ms; pgBackRest %s%n", i + 1, t.getKey(), d.getKey(),
                                ms, log);
                    }
                    dst.host().run(Command.of("rm", "-f", RESTORE_LOG));
                    dst.host().run(Command.of("sync")); // the same start as the deltas': nothing left to write back
                    r.fulls().add(CloneBenchmark.timed(dst, DIR, () -> r.full().cloneInto(context)));
                    System.out.printf("run %d %-10s full restore %d ms; pgBackRest %s%n", i + 1, t.getKey(),
                            r.fulls().values().get(i), RestoreLog.parse(dst.host().readFile(RESTORE_LOG).orElse("")));
                }
            }
            src.unlimitBandwidth();

            System.out.println();
            System.out.printf("Clones of the %s database (%d MB, %s) over a 100 Mbit/s link (src egress, tbf),"
                    + " %d runs each, interleaved%n", random ? "random" : "compressible", bytes >> 20,
                    random ? "uuid text, random number, md5 text, 192 random bytes a row" : "section 2's rows in "
                    + TABLES + " tables", reps);
            long rawMs = resyncOnly ? 0 : times.get("raw pg_basebackup").median();
            String best = null;
            for (Map.Entry<String, Stats> e : resyncOnly ? Map.<String, Stats>of().entrySet() : times.entrySet()) {
                long ms = e.getValue().median();
                System.out.printf("  %-26s: %s  %6.1f Mbit/s effective (%.2fx the link), %.2fx raw%n", e.getKey(),
                        e.getValue(), bytes * 8 / 1e6 / (ms / 1000.0), bytes / (ms / 1000.0) / LINK,
                        (double) ms / rawMs);
                if (best == null || ms < times.get(best).median()) {
                    best = e.getKey();
                }
            }
            if (best != null) {
                System.out.printf("  best: %s, %.2fx faster than raw pg_basebackup (target >= 2 on the compressible"
                        + " database)%n", best, (double) rawMs / times.get(best).median());
            }
            for (Map.Entry<String, Resync> t : transports.entrySet()) {
                Resync r = t.getValue();
                System.out.println("  stale standby (5% of the rows changed), pgBackRest zst pm 2, over " + t.getKey()
                        + ":");
                System.out.println("    full restore, same backup  : " + r.fulls());
                for (Map.Entry<String, Stats> e : r.times().entrySet()) {
                    long ms = e.getValue().median();
                    System.out.printf(Locale.ROOT, "    %-27s: %s%n      %.2f of the full restore (target <= 0.3)%s;"
                            + " pgBackRest's medians: %s%n", e.getKey(), e.getValue(), (double) ms / r.fulls().median(),
                            rawMs == 0 ? "" : String.format(Locale.ROOT, ", %.2f of raw pg_basebackup",
                                    (double) ms / rawMs),
                            RestoreLog.medians(r.phases().get(e.getKey())));
                }
            }
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
            long ms = (System.nanoTime() - t) / 1_000_000;
            String kb = src.host().run(Command.of("du", "-sk", "/var/lib/pgbackrest/" + name(e.getKey()) + "/backup"))
                    .stdout().strip().split("\\s+")[0];
            System.out.printf("pgBackRest %s full backup took %d ms (not compared); the repository's backups: %d MB%n",
                    name(e.getKey()), ms, Long.parseLong(kb) >> 10);
        }
        return out;
    }

    /**
     * @param repositoryHost how dst reaches src's zst repository
     * @return dst's configuration for a restore from it, logging every file to a file on dst
     */
    private static PgBackRestConfig loggedConfig(RepositoryHost repositoryHost) {
        return PgBackRestConfig.builder().repositoryHost(repositoryHost)
                .logPath(RESTORE_LOG_PATH).globalOption("log-level-file", "detail")
                .addStanza(StanzaSection.named("bench").withPgPath(DIR)).build();
    }

    /**
     * Starts pgBackRest's TLS server on src ({@code pgbackrest server}, detached, as its user would run it) with a
     * server certificate for the name {@code src} from a test CA, allowing the client certificate CN {@code dst} for
     * the stanza; dst gets the CA, its client certificate and key (0600).
     *
     * @return src's zst repository as dst reaches it through the server
     */
    private static RepositoryHost startTlsServer(ClusterNode src, ClusterNode dst) {
        TestCa ca = TestCa.create("pgreplication benchmark CA");
        install(src.host(), ca.certificatePem(), "server", ca.issueServer("src", List.of("src")));
        install(dst.host(), ca.certificatePem(), "dst", ca.issueClient("dst"));
        PgBackRestConfig.builder().logPath("/var/log/pgbackrest").globalOption("lock-path", "/tmp/pgbackrest-server")
                .tlsServer(PgBackRestConfig.TlsServer.of(TLS_DIR + "/server.crt", TLS_DIR + "/server.key", TLS_CA)
                        .allow("dst", "bench"))
                .addStanza(StanzaSection.named("bench").withPgPath(PostgresMachines.DATA_DIRECTORY))
                .build().writeTo(src.host(), TLS_SERVER_CONFIG);
        src.host().run(Command.of("sh", "-c", PgBackRestConfig.TlsServer.startCommand(TLS_SERVER_CONFIG)
                + " > /var/log/pgbackrest/server-console.log 2>&1 < /dev/null &"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Command listening = Command.of("ss", "-Hltn", "sport = :" + RepositoryHost.TLS_PORT);
        while (src.host().execute(listening).stdout().isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pgbackrest server does not listen on src: "
                        + src.host().readFile("/var/log/pgbackrest/server-console.log").orElse(""));
            }
            Thread.onSpinWait();
        }
        return RepositoryHost.at("src").withTls(TLS_CA, TLS_DIR + "/dst.crt", TLS_DIR + "/dst.key")
                .withConfigPath(configPath(CompressType.ZST));
    }

    /** Writes the CA, a certificate and its key (0600) under {@link #TLS_DIR} on a host. */
    private static void install(Host host, String caPem, String name, TestCa.Issued issued) {
        host.createDirectories(TLS_DIR, "0700");
        host.writeFile(TLS_CA, caPem, "0644");
        host.writeFile(TLS_DIR + "/" + name + ".crt", issued.certificatePem(), "0644");
        host.writeFile(TLS_DIR + "/" + name + ".key", issued.privateKeyPem(), "0600");
    }

    /**
     * The stale standby's re-syncs over one transport: both delta modes and the full restore they are compared with.
     *
     * @param full   the full restore
     * @param deltas the same restore with each delta mode, by name
     * @param times  each delta's times
     * @param phases each delta's phases from pgBackRest's log
     * @param fulls  the full restore's times
     */
    private record Resync(PgBackRestRestore full, Map<String, PgBackRestRestore> deltas, Map<String, Stats> times,
            Map<String, List<RestoreLog>> phases, Stats fulls) {
        static Resync of(PgBackRestRestore full) {
            Map<String, PgBackRestRestore> deltas = new LinkedHashMap<>();
            deltas.put("delta, checksum", full.withDelta(true));
            deltas.put("delta, size and timestamp", full.withDelta(DeltaMatch.SIZE_AND_TIMESTAMP));
            Map<String, Stats> times = new LinkedHashMap<>();
            Map<String, List<RestoreLog>> phases = new LinkedHashMap<>();
            deltas.keySet().forEach(k -> {
                times.put(k, new Stats());
                phases.put(k, new ArrayList<>());
            });
            return new Resync(full, deltas, times, phases, new Stats());
        }
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
