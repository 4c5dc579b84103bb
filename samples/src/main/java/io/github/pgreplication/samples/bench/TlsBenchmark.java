package io.github.pgreplication.samples.bench;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Tls;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ContainerHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import io.github.pgreplication.testkit.TestCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Issue 22's benchmark: what TLS (verify-full, certificate authentication) costs against the same connection
 * without TLS, interleaved in one run, same machines:
 * <ol>
 * <li>a clone of the database of about 1 GB ({@link CloneBenchmark}'s) by {@link BaseBackup} (pg_basebackup), the
 *     standby's replication TLS verify-full with the replicator's client certificate ({@code hostssl ... cert})
 *     against {@code sslmode=disable} ({@code hostnossl ... trust}), same source, same target directory; and the
 *     same pair with the server compressing ({@code --compress=server-lz4}), as a clone over a real link runs; and
 *     the uncompressed pair over a link of 1 Gbit/s (tbf on the source's egress), as between two hosts;</li>
 * <li>streaming throughput: a write load on the primary ({@code INSERT ... generate_series}, WAL measured with
 *     {@code pg_wal_lsn_diff}) and the time until a streaming standby's {@code pg_last_wal_replay_lsn()} reaches
 *     the primary's LSN after it, its {@code primary_conninfo} TLS or plain. Twice: live (from the INSERT's start,
 *     the standby connected) and catch-up (the WAL made while the standby's receiver was stopped, timed from the
 *     reload that reconnects it: streaming and replay alone);</li>
 * <li>a new JDBC session from this JVM (PgJDBC, as the library opens its admin sessions), open, {@code isValid},
 *     close: {@code sslmode=disable} against verify-full with and without a client certificate, interleaved, after
 *     a warm-up.</li>
 * </ol>
 * The machine's CPU use (all processes, from {@code /proc/stat}) is printed beside each figure: on 2 cores,
 * encryption competes with the walsender, the walreceiver and the startup process.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh tls [repetitions] [rows] [load rows] [connections]}.
 */
public final class TlsBenchmark {
    private static final String TLS_DIR = "/var/lib/postgresql/tls";
    /** Bytes per second of the shaped link: 1 Gbit/s. */
    private static final long GIGABIT = 125_000_000;
    private static final String ROOT = TLS_DIR + "/root.crt";
    private static final String REPLICATION_CERT = TLS_DIR + "/replication.crt";
    private static final String REPLICATION_KEY = TLS_DIR + "/replication.key";
    private static final String CLONE = "/var/lib/postgresql/clone";
    private static final String STANDBY = "/var/lib/postgresql/standby";
    private static final Tls.Client VERIFY_FULL = Tls.Client.verifyFull(ROOT)
            .withCertificate(REPLICATION_CERT, REPLICATION_KEY);
    private static final Tls.Client PLAIN = new Tls.Client(Tls.Mode.DISABLE, null, null, null, false);

    private TlsBenchmark() {
    }

    /**
     * @param args optional repetitions (default 5), rows of the database (default 1,000,000: about 1.1 GB), rows of
     *             the streaming load (default 300,000: about 300 MB of WAL), timed JDBC connections (default 50), and
     *             an experiment's TLS 1.2 cipher (OpenSSL's name; default: the server's choice, TLS 1.3)
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int loadRows = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        String cipher12 = args.length > 4 ? args[4] : null;
        TestCa ca = TestCa.create("pgreplication bench CA");
        Path local = Files.createTempDirectory("pgreplication-bench-tls-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "src", "dst")) {
            ClusterNode src = machines.initDatabase("src");
            ClusterNode dst = machines.machine("dst");
            installTls(src, ca);
            installTls(dst, ca);
            String size = makeDatabase(src, rows);
            if (cipher12 != null) {
                // An experiment: TLS 1.2 with one cipher (PostgreSQL 17 cannot choose TLS 1.3's suites).
                if (!cipher12.matches("[A-Za-z0-9-]+")) {
                    throw new IllegalArgumentException("cipher '" + cipher12 + "': an OpenSSL TLS 1.2 cipher name,"
                            + " letters, digits and hyphens, e.g. ECDHE-ECDSA-CHACHA20-POLY1305");
                }
                psql(src, "ALTER SYSTEM SET ssl_max_protocol_version = 'TLSv1.2'");
                psql(src, "ALTER SYSTEM SET ssl_ciphers = '" + cipher12 + "'");
                psql(src, "SELECT pg_reload_conf()");
            }
            Standby tlsStandby = Standby.named("dst").withHost(dst.host()).withDataDirectory(CLONE)
                    .withTls(Tls.off().withReplication(VERIFY_FULL));
            Standby plainStandby = tlsStandby.withTls(Tls.off().withReplication(PLAIN));
            Primary primary = Primary.at(src.internalEndpoint());
            ReplicationRole role = ReplicationRole.named("replicator");
            CloneContext tlsClone = new CloneContext(tlsStandby, primary, role, "bench_slot");
            CloneContext plainClone = new CloneContext(plainStandby, primary, role, "bench_slot");
            BaseBackup clone = BaseBackup.defaults();
            // The same clone with the server compressing (PostgreSQL 15+): what a clone over a real link uses
            // (BENCHMARKS.md, shaped link); TLS then encrypts the compressed stream.
            BaseBackup lz4 = clone.withCompression(BaseBackup.Compression.server(BaseBackup.Compression.Algorithm.LZ4));
            System.out.println("TLS clone: " + String.join(" ", clone.command(tlsClone).argv()));
            System.out.println("plain clone: " + String.join(" ", clone.command(plainClone).argv()));

            String srcUrl = src.endpoint().jdbcUrl("postgres") + "?sslmode=disable";
            String dstUrl = dst.endpoint().jdbcUrl("postgres") + "?sslmode=disable";
            startStandby(dst, tlsStandby, primary, role, clone);
            String tlsConninfo = conninfo(VERIFY_FULL);
            String plainConninfo = conninfo(PLAIN);

            Stats cloneTls = new Stats();
            Stats clonePlain = new Stats();
            Stats lz4Tls = new Stats();
            Stats lz4Plain = new Stats();
            Stats linkTls = new Stats();
            Stats linkPlain = new Stats();
            Stats cpuCloneTls = new Stats();
            Stats cpuClonePlain = new Stats();
            Stats liveTls = new Stats();
            Stats livePlain = new Stats();
            Stats insertAlone = new Stats();
            Stats catchUpTls = new Stats();
            Stats catchUpPlain = new Stats();
            Stats cpuCatchUpTls = new Stats();
            Stats cpuCatchUpPlain = new Stats();
            Stats walMb = new Stats();
            Map<String, Stats> cgroup = new LinkedHashMap<>();
            Stats transferTls = new Stats();
            Stats transferPlain = new Stats();
            String cipher = "unknown";
            for (int i = 0; i < reps; i++) {
                boolean tlsFirst = i % 2 == 0; // alternate which goes first
                // The clones copy the database alone: the last run's load emptied, its dirty pages written.
                psql(src, "TRUNCATE load");
                psql(src, "CHECKPOINT");
                for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    // The same transfer without the target's disk: pg_basebackup -Ft -D - into /dev/null.
                    ContainerCpu[] bare = {ContainerCpu.of(src), ContainerCpu.of(dst)};
                    long t0 = System.nanoTime();
                    toDevNull(dst, tls ? VERIFY_FULL : PLAIN);
                    (tls ? transferTls : transferPlain).add((System.nanoTime() - t0) / 1_000_000);
                    ContainerCpu.add(cgroup, "to /dev/null " + (tls ? "TLS  " : "plain"), bare, src, dst);
                }
                for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Cpu cpu = Cpu.now();
                    ContainerCpu[] before = {ContainerCpu.of(src), ContainerCpu.of(dst)};
                    long ms = CloneBenchmark.timed(dst, CLONE, () -> clone.cloneInto(tls ? tlsClone : plainClone));
                    (tls ? cloneTls : clonePlain).add(ms);
                    (tls ? cpuCloneTls : cpuClonePlain).add(cpu.busyPercent());
                    ContainerCpu.add(cgroup, "clone " + (tls ? "TLS  " : "plain"), before, src, dst);
                }
                for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    ContainerCpu[] before = {ContainerCpu.of(src), ContainerCpu.of(dst)};
                    long ms = CloneBenchmark.timed(dst, CLONE, () -> lz4.cloneInto(tls ? tlsClone : plainClone));
                    (tls ? lz4Tls : lz4Plain).add(ms);
                    ContainerCpu.add(cgroup, "clone server-lz4 " + (tls ? "TLS  " : "plain"), before, src, dst);
                }
                // The uncompressed pair again over a link of 1 Gbit/s (tbf on src's egress), as between two hosts
                // of a data centre: what TLS costs once the link, not the two cores, sets the pace.
                src.limitBandwidth(new DataSize(GIGABIT));
                try {
                    for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        long ms = CloneBenchmark.timed(dst, CLONE, () -> clone.cloneInto(tls ? tlsClone : plainClone));
                        (tls ? linkTls : linkPlain).add(ms);
                    }
                } finally {
                    src.unlimitBandwidth();
                }
                for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Streamed s = live(src, dst, srcUrl, dstUrl, tls ? tlsConninfo : plainConninfo, loadRows);
                    (tls ? liveTls : livePlain).add(s.ms);
                    insertAlone.add(s.insertMs);
                    walMb.add(s.walBytes >> 20);
                    if (tls) {
                        cipher = psql(src, "SELECT s.version || ' ' || s.cipher || ' ' || s.bits || ' bits'"
                                + " FROM pg_stat_ssl s JOIN pg_stat_replication r ON r.pid = s.pid"
                                + " WHERE r.application_name = 'dst'").strip();
                    }
                }
                for (boolean tls : tlsFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    ContainerCpu[] before = {ContainerCpu.of(src), ContainerCpu.of(dst)};
                    Streamed s = catchUp(src, dst, srcUrl, dstUrl, tls ? tlsConninfo : plainConninfo, loadRows);
                    ContainerCpu.add(cgroup, "catch-up " + (tls ? "TLS  " : "plain"), before, src, dst);
                    (tls ? catchUpTls : catchUpPlain).add(s.ms);
                    (tls ? cpuCatchUpTls : cpuCatchUpPlain).add(s.cpuPercent);
                }
                System.out.printf("run %d: clone tls %d plain %d ms; server-lz4 tls %d plain %d ms; live tls %d plain"
                        + " %d ms; catch-up tls %d plain %d ms; load %s%n", i + 1, last(cloneTls), last(clonePlain),
                        last(lz4Tls), last(lz4Plain), last(liveTls), last(livePlain), last(catchUpTls),
                        last(catchUpPlain), Load.now());
            }

            // The JDBC handshake: files on this JVM's side, as the library's admin TLS names them.
            Path root = write(local, "root.crt", ca.certificatePem());
            TestCa.Issued admin = ca.issueClient("postgres");
            Path cert = write(local, "postgres.crt", admin.certificatePem());
            Path key = write(local, "postgres.key", admin.privateKeyPem());
            String verifyFull = "sslmode=verify-full&sslrootcert=" + encode(root) + "&sslcert=";
            String base = src.endpoint().jdbcUrl("postgres");
            String plainUrl = base + "?sslmode=disable";
            // template1: hostssl trust (the server's certificate checked, no client certificate); postgres: cert
            String serverOnlyUrl = src.endpoint().jdbcUrl("template1") + "?" + verifyFull;
            String withCertUrl = base + "?" + verifyFull.replace("&sslcert=", "&sslcert=" + encode(cert))
                    + "&sslkey=" + encode(key) + "&pemKeyAlgorithm=EC";
            Stats connectPlain = new Stats();
            Stats connectServerOnly = new Stats();
            Stats connectWithCert = new Stats();
            String sessionTls = sessionTls(withCertUrl);
            // What PgJDBC does before the handshake of each TLS session: its LibPQFactory reads the files and makes a
            // new SSLContext (trust store from sslrootcert, key manager from sslcert and sslkey); timed alone.
            Properties factory = new Properties();
            factory.setProperty("sslmode", "verify-full");
            factory.setProperty("sslrootcert", root.toString());
            factory.setProperty("sslcert", cert.toString());
            factory.setProperty("sslkey", key.toString());
            factory.setProperty("pemKeyAlgorithm", "EC");
            Stats factories = new Stats();
            // By reflection: the class's annotations (checkerframework, absent here) would warn at compile time.
            var libPqFactory = Class.forName("org.postgresql.ssl.LibPQFactory").getConstructor(Properties.class);
            for (int i = 0; i < 10 + connections; i++) {
                long p = connectMicros(plainUrl);
                long s = connectMicros(serverOnlyUrl);
                long c = connectMicros(withCertUrl);
                long t0 = System.nanoTime();
                libPqFactory.newInstance(factory);
                long f = (System.nanoTime() - t0) / 1000;
                if (i >= 10) {
                    connectPlain.add(p);
                    connectServerOnly.add(s);
                    connectWithCert.add(c);
                    factories.add(f);
                }
            }

            System.out.println();
            System.out.println("TLS against plain, PostgreSQL 17, " + reps + " runs each, interleaved, load at the end "
                    + Load.now());
            System.out.println("Clone of a " + size + " database (BaseBackup, pg_basebackup -Xs, same source and"
                    + " target)");
            System.out.println("  TLS verify-full, cert method  : " + cloneTls + ", machine CPU median "
                    + cpuCloneTls.median() + "%");
            System.out.println("  plain (sslmode=disable)       : " + clonePlain + ", machine CPU median "
                    + cpuClonePlain.median() + "%");
            System.out.printf("  TLS / plain                   : %.3f (target <= 1.15)%n",
                    (double) cloneTls.median() / clonePlain.median());
            System.out.println("  the same clone, the server compressing (--compress=server-lz4):");
            System.out.println("    TLS                         : " + lz4Tls);
            System.out.println("    plain                       : " + lz4Plain);
            System.out.printf("    TLS / plain                 : %.3f; against the uncompressed plain clone %.3f%n",
                    (double) lz4Tls.median() / lz4Plain.median(), (double) lz4Tls.median() / clonePlain.median());
            System.out.println("  the same clone over a 1 Gbit/s link (tbf on src's egress):");
            System.out.println("    TLS                         : " + linkTls);
            System.out.println("    plain                       : " + linkPlain);
            System.out.printf("    TLS / plain                 : %.3f%n",
                    (double) linkTls.median() / linkPlain.median());
            System.out.println("  the same bytes into /dev/null (pg_basebackup -Ft -D - -X none -c fast):");
            System.out.println("    TLS                         : " + transferTls);
            System.out.println("    plain                       : " + transferPlain);
            System.out.printf("    TLS / plain                 : %.3f%n",
                    (double) transferTls.median() / transferPlain.median());
            long mb = walMb.median();
            System.out.println("Streaming, " + loadRows + " rows inserted (INSERT INTO load SELECT g,"
                    + " repeat(md5(g::text), 30) FROM generate_series(1, " + loadRows + ") g), WAL "
                    + walMb.toString("MB") + "; cipher "
                    + cipher);
            System.out.println("  live, INSERT start to replayed, TLS   : " + liveTls + ", " + mbps(mb, liveTls)
                    + " MB/s");
            System.out.println("  live, INSERT start to replayed, plain : " + livePlain + ", " + mbps(mb, livePlain)
                    + " MB/s");
            System.out.println("  the INSERT alone (both)               : " + insertAlone);
            System.out.printf("  live TLS / plain                      : %.3f (target <= 1.15)%n",
                    (double) liveTls.median() / livePlain.median());
            System.out.println("  catch-up, reconnect to replayed, TLS  : " + catchUpTls + ", " + mbps(mb, catchUpTls)
                    + " MB/s, machine CPU median " + cpuCatchUpTls.median() + "%");
            System.out.println("  catch-up, reconnect to replayed, plain: " + catchUpPlain + ", "
                    + mbps(mb, catchUpPlain) + " MB/s, machine CPU median " + cpuCatchUpPlain.median() + "%");
            System.out.printf("  catch-up TLS / plain                  : %.3f (target <= 1.15)%n",
                    (double) catchUpTls.median() / catchUpPlain.median());
            System.out.println("CPU of each container (its cgroup's cpuacct, user and system), median ms per run; the"
                    + " catch-up's include the load's INSERT on src");
            cgroup.forEach((k, v) -> System.out.println("  " + k + ": " + v.toString("ms")));
            System.out.println("New JDBC session (open, isValid, close) from this JVM to the primary, " + connections
                    + " each after 10 to warm up, interleaved; TLS session: " + sessionTls);
            System.out.println("  plain (sslmode=disable, trust)          : " + connectPlain.toString("us"));
            System.out.println("  verify-full, no client certificate      : " + connectServerOnly.toString("us"));
            System.out.println("  verify-full, client certificate (cert)  : " + connectWithCert.toString("us"));
            System.out.println("  of which PgJDBC's LibPQFactory (files read, new SSLContext), alone: "
                    + factories.toString("us"));
            System.out.printf("  handshake cost, median difference       : %+.2f ms without a client certificate,"
                    + " %+.2f ms with one%n", (connectServerOnly.median() - connectPlain.median()) / 1000.0,
                    (connectWithCert.median() - connectPlain.median()) / 1000.0);
        } finally {
            try (var files = Files.list(local)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(local);
        }
    }

    /** A server certificate (its machine's name), the CA and the replicator's client certificate, 0600 keys. */
    private static void installTls(ClusterNode node, TestCa ca) {
        TestCa.Issued server = ca.issueServer(node.name(), List.of(node.name()));
        TestCa.Issued replication = ca.issueClient("replicator");
        ContainerHost host = node.host();
        host.createDirectories(TLS_DIR, "0700");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(TLS_DIR + "/server.key", server.privateKeyPem());
        keys.put(REPLICATION_KEY, replication.privateKeyPem());
        host.writeFiles(keys, "0600");
        Map<String, String> certificates = new LinkedHashMap<>();
        certificates.put(TLS_DIR + "/server.crt", server.certificatePem());
        certificates.put(REPLICATION_CERT, replication.certificatePem());
        certificates.put(ROOT, ca.certificatePem());
        host.writeFiles(certificates, "0644");
    }

    /**
     * TLS served by src (the clone copies its ssl_* settings to dst, which has its own files at the same paths);
     * replicator by certificate over TLS, or trusted without TLS; postgres from this JVM by certificate over TLS
     * (database postgres), trusted over TLS (template1) or without.
     *
     * @return the size of the database: {@link CloneBenchmark}'s table of about 1.1 GB per million rows
     */
    private static String makeDatabase(ClusterNode src, int rows) {
        src.host().writeFile(PostgresMachines.DATA_DIRECTORY + "/pg_hba.conf", String.join("\n",
                "local all all trust", "local replication all trust",
                "hostssl replication replicator samenet cert", "hostnossl replication replicator samenet trust",
                "hostssl template1 postgres all trust", "hostssl all postgres all cert",
                "hostnossl all postgres all trust", ""), "0600");
        psql(src, "ALTER SYSTEM SET ssl_cert_file = '" + TLS_DIR + "/server.crt'");
        psql(src, "ALTER SYSTEM SET ssl_key_file = '" + TLS_DIR + "/server.key'");
        psql(src, "ALTER SYSTEM SET ssl_ca_file = '" + ROOT + "'");
        psql(src, "ALTER SYSTEM SET ssl = on");
        psql(src, "SELECT pg_reload_conf()");
        psql(src, "CREATE ROLE replicator WITH REPLICATION LOGIN");
        psql(src, "SELECT pg_create_physical_replication_slot('bench_slot')");
        psql(src, "SELECT pg_create_physical_replication_slot('dst_slot')");
        psql(src, "CREATE TABLE load (g int, pad text)");
        return CloneBenchmark.fill(src, rows);
    }

    /** Clones dst's standby directory over TLS and starts it streaming from src through slot dst_slot. */
    private static void startStandby(ClusterNode dst, Standby tlsStandby, Primary primary, ReplicationRole role,
            BaseBackup clone) {
        Standby standby = tlsStandby.withDataDirectory(STANDBY);
        clone.cloneInto(new CloneContext(standby, primary, role, "dst_slot"));
        dst.host().run(Command.of("pg_ctl", "-D", STANDBY, "-w", "-l", STANDBY + ".log", "-o",
                "-c wal_retrieve_retry_interval=50ms", "start").withTimeout(Duration.ofMinutes(2)));
        waitFor(dst, "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'", "1");
    }

    /** Runs pg_basebackup on dst as a tar on its standard output into /dev/null: the transfer without a disk. */
    private static void toDevNull(ClusterNode dst, Tls.Client client) {
        // A fixed script; the conninfo (file paths of this class, no secret) is its positional argument.
        // A fast checkpoint, as the clone's: a spread one waited about 27 s in the second run of each benchmark.
        dst.host().run(Command.of("sh", "-c",
                "exec pg_basebackup -d \"$1\" -D - -Ft -X none -w -c fast > /dev/null", "sh", conninfo(client))
                .withTimeout(Duration.ofMinutes(10)));
    }

    /** @return the libpq conninfo of dst's receiver: application name dst, the client's TLS keywords */
    private static String conninfo(Tls.Client client) {
        StringBuilder out = new StringBuilder("host=src port=5432 user=replicator application_name=dst");
        out.append(" sslmode=").append(client.mode().keyword());
        if (client.rootCertificateFile() != null) {
            out.append(" sslrootcert=").append(client.rootCertificateFile()).append(" sslcert=")
                    .append(client.certificateFile()).append(" sslkey=").append(client.keyFile());
        }
        return out.toString();
    }

    /** What a streaming load took, and the WAL it made. */
    private record Streamed(long ms, long insertMs, long walBytes, long cpuPercent) {
    }

    /** Connects dst with the conninfo, then times the INSERT from its start until dst replayed all of it. */
    private static Streamed live(ClusterNode src, ClusterNode dst, String srcUrl, String dstUrl, String conninfo,
            int loadRows) throws SQLException {
        reconnect(dst, conninfo);
        try (Connection s = DriverManager.getConnection(srcUrl, "postgres", "");
                Connection d = DriverManager.getConnection(dstUrl, "postgres", "")) {
            String before = prepareLoad(s, d);
            Cpu cpu = Cpu.now();
            long t0 = System.nanoTime();
            execute(s, insert(loadRows));
            long insertMs = (System.nanoTime() - t0) / 1_000_000;
            String after = single(s, "SELECT pg_current_wal_lsn()");
            awaitReplay(d, after);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Streamed(ms, insertMs, walBytes(s, before, after), cpu.busyPercent());
        }
    }

    /** Stops dst's receiver, makes the load's WAL, then times from the reload that reconnects it until replayed. */
    private static Streamed catchUp(ClusterNode src, ClusterNode dst, String srcUrl, String dstUrl, String conninfo,
            int loadRows) throws SQLException {
        try (Connection s = DriverManager.getConnection(srcUrl, "postgres", "");
                Connection d = DriverManager.getConnection(dstUrl, "postgres", "")) {
            String before = prepareLoad(s, d);
            execute(d, "ALTER SYSTEM SET primary_conninfo = ''");
            execute(d, "SELECT pg_reload_conf()");
            waitFor(dst, "SELECT count(*) FROM pg_stat_wal_receiver", "0");
            execute(s, insert(loadRows));
            String after = single(s, "SELECT pg_current_wal_lsn()");
            execute(d, "ALTER SYSTEM SET primary_conninfo = '" + conninfo + "'");
            Cpu cpu = Cpu.now();
            long t0 = System.nanoTime();
            execute(d, "SELECT pg_reload_conf()");
            awaitReplay(d, after);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Streamed(ms, 0, walBytes(s, before, after), cpu.busyPercent());
        }
    }

    /** Sets dst's primary_conninfo (the receiver restarts on a change) and waits until it streams again. */
    private static void reconnect(ClusterNode dst, String conninfo) {
        psql(dst, "ALTER SYSTEM SET primary_conninfo = '" + conninfo + "'");
        psql(dst, "SELECT pg_reload_conf()");
        waitFor(dst, "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming' AND conninfo LIKE"
                + " '%sslmode=" + (conninfo.contains("verify-full") ? "verify-full" : "disable") + "%'", "1");
    }

    /** Empties the load table, checkpoints, waits until dst replayed that; @return the primary's LSN then. */
    private static String prepareLoad(Connection s, Connection d) throws SQLException {
        execute(s, "TRUNCATE load");
        execute(s, "CHECKPOINT");
        String lsn = single(s, "SELECT pg_current_wal_lsn()");
        if (!single(d, "SELECT count(*) FROM pg_stat_wal_receiver").equals("0")) {
            awaitReplay(d, lsn);
        }
        return lsn;
    }

    private static String insert(int loadRows) {
        return "INSERT INTO load SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, " + loadRows + ") g";
    }

    private static void awaitReplay(Connection d, String lsn) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        String sql = "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn";
        try (Statement st = d.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the standby did not replay up to " + lsn + " in 5 minutes");
                }
                sleep(5);
            }
        }
    }

    private static long walBytes(Connection s, String before, String after) throws SQLException {
        return Long.parseLong(single(s, "SELECT pg_wal_lsn_diff('" + after + "', '" + before + "')::bigint"));
    }

    private static void waitFor(ClusterNode node, String sql, String expected) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!psql(node, sql).strip().equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.name() + ": '" + sql + "' never gave " + expected);
            }
            sleep(20);
        }
    }

    /** @return the TLS version and cipher of a session at the URL, as the server sees it */
    private static String sessionTls(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return single(c, "SELECT version || ' ' || cipher || ' ' || bits || ' bits, client ' || client_dn"
                    + " FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        }
    }

    /** @return the microseconds to open a session at the URL, check it and close it */
    private static long connectMicros(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, p)) {
            if (!c.isValid(5)) {
                throw new IllegalStateException("a session at " + url + " is not valid");
            }
        }
        return (System.nanoTime() - t0) / 1000;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String psql(ClusterNode node, String sql) {
        return CloneBenchmark.psql(node, sql);
    }

    private static long last(Stats stats) {
        List<Long> v = stats.values();
        return v.get(v.size() - 1);
    }

    private static String mbps(long mb, Stats ms) {
        return String.format("%.0f", mb * 1000.0 / ms.median());
    }

    private static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(Path path) {
        return URLEncoder.encode(path.toString(), StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A container's CPU time so far, user and system, from its cgroup (cgroup v1's cpuacct, as on this machine). */
    private record ContainerCpu(long userNs, long systemNs) {
        static ContainerCpu of(ClusterNode node) {
            Path dir = Path.of("/sys/fs/cgroup/cpuacct/docker", node.container().getContainerId());
            try {
                return new ContainerCpu(Long.parseLong(Files.readString(dir.resolve("cpuacct.usage_user")).strip()),
                        Long.parseLong(Files.readString(dir.resolve("cpuacct.usage_sys")).strip()));
            } catch (IOException | RuntimeException e) {
                return new ContainerCpu(0, 0);
            }
        }

        /** Adds the milliseconds each container used since {@code before} under "phase: node user|system". */
        static void add(Map<String, Stats> out, String phase, ContainerCpu[] before, ClusterNode... nodes) {
            for (int i = 0; i < nodes.length; i++) {
                ContainerCpu now = of(nodes[i]);
                out.computeIfAbsent(phase + " " + nodes[i].name() + " user  ", k -> new Stats())
                        .add((now.userNs - before[i].userNs) / 1_000_000);
                out.computeIfAbsent(phase + " " + nodes[i].name() + " system", k -> new Stats())
                        .add((now.systemNs - before[i].systemNs) / 1_000_000);
            }
        }
    }

    /** The machine's CPU counters ({@code /proc/stat}'s first line), to tell how busy both cores were. */
    private record Cpu(long busy, long total) {
        static Cpu now() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new Cpu(total - idle, total);
            } catch (IOException | RuntimeException e) {
                return new Cpu(0, 0);
            }
        }

        /** @return the percentage of all cores busy since this reading (100 = every core busy) */
        long busyPercent() {
            Cpu now = now();
            long total = now.total - this.total;
            return total <= 0 ? -1 : Math.round(100.0 * (now.busy - busy) / total);
        }
    }
}
