package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.audit.PosixAudit;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LocalHost set-up on a non-GNU userland: a real primary and a real standby of Debian's PostgreSQL on this machine,
 * run as {@code postgres} through {@link LocalHost#runAs(String)}, with a {@code PATH} whose {@code stat},
 * {@code chmod}, {@code ls}, {@code dd}, {@code cat}, {@code mkdir}, {@code mv}, {@code rm}, {@code id} and
 * {@code find} (the data directory's listing with its mode: {@code find DIR/. ( -name . -perm 0700 -print ) -o ...})
 * are
 * BusyBox's (a directory of symbolic links to {@code busybox}, first in the PATH of every command the library runs).
 *
 * <p>What it proves, honestly: BusyBox 1.35 accepts several GNU forms ({@code stat -c}, {@code dd status=none}), so
 * running on it alone would pass before the POSIX change too. What fails before it is the audit: every command the
 * library ran during the set-up is checked by {@link PosixAudit} against POSIX.1-2017's utilities and options
 * ({@code stat}, {@code readlink}, {@code mktemp}, {@code find -mindepth/-maxdepth/-delete} and
 * {@code dd status=none} were findings). The BusyBox PATH shows the POSIX forms work on a userland that is not GNU's:
 * the pg_hba.conf edit reads its mode through BusyBox's {@code ls -l}, the passfile is written with BusyBox's
 * {@code cat}, {@code chmod} and {@code mv}.
 *
 * <p>Needs root (PostgreSQL runs as {@code postgres}, switched to with {@code su}), the {@code postgres} user,
 * PostgreSQL's server programs ({@code /usr/lib/postgresql/MAJOR/bin}, or {@code -Dpgreplication.pgbin=DIR}) and
 * {@code busybox}: {@code scripts/prepare.sh} installs BusyBox on our machines. No Docker.
 */
class LocalHostBusyboxIT {
    /** The applets the issue names, and find: BusyBox's take their place in the PATH. */
    static final List<String> APPLETS = List.of("stat", "chmod", "ls", "dd", "cat", "mkdir", "mv", "rm", "id",
            "find");

    private static Path base;
    private static String pgBin;
    private static RecordingHost host;
    private static String primaryDir;
    private static String standbyDir;
    private static int primaryPort;
    private static int standbyPort;
    private static Secret adminPassword;

    @BeforeAll
    static void setUp() throws Exception {
        assertThat(System.getProperty("user.name")).as("PostgreSQL refuses to run as root: this test runs it as"
                + " postgres through su, which needs root (as our machines and CI run)").isEqualTo("root");
        assertThat(local(List.of("id", "-u", "postgres")).exitCode()).as("a postgres user (Debian's PostgreSQL"
                + " packages create it)").isZero();
        pgBin = System.getProperty("pgreplication.pgbin", newestPostgresBin());
        assertThat(Path.of(pgBin, "initdb")).as("PostgreSQL's server programs, -Dpgreplication.pgbin=DIR")
                .isExecutable();
        Path busybox = Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("busybox is not installed: run scripts/prepare.sh"
                        + " (it installs Debian's busybox package) or apt-get install busybox"));

        base = Files.createTempDirectory(Path.of("/tmp"), "pgreplication-busybox-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectory(base.resolve("posix-bin"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), busybox);
        }
        Path data = Files.createDirectory(base.resolve("data"));
        assertThat(local(List.of("chown", "postgres:", data.toString())).exitCode()).isZero();
        primaryDir = data + "/primary";
        standbyDir = data + "/standby";
        primaryPort = freePort();
        standbyPort = freePort();
        host = new RecordingHost(LocalHost.runAs("postgres").withPostgresBinaries(pgBin),
                bin + ":" + System.getenv("PATH"));

        // The primary a user already has: initialised and running, its superuser with a password over TCP.
        adminPassword = Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
        String pwfile = data + "/pw";
        host.writeFile(pwfile, adminPassword.reveal().orElseThrow() + "\n", "0600");
        host.run(Command.of("initdb", "-D", primaryDir, "-U", "postgres", "--auth-local=peer",
                "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-locale", "-N")
                .withEnvironment("LC_ALL", "C"));
        host.deleteFile(pwfile);
        host.run(Command.of("sh", "-c", "printf '%s\\n' \"port = $2\" \"listen_addresses = '127.0.0.1'\""
                + " >> \"$1/postgresql.conf\"", "sh", primaryDir, Integer.toString(primaryPort)));
        host.run(Command.of("chmod", "0640", primaryDir + "/pg_hba.conf"));
        host.run(Command.of("pg_ctl", "-D", primaryDir, "-l", data + "/primary.log", "-w", "-t", "60", "start"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (host != null) {
            for (String dir : new String[] {standbyDir, primaryDir}) {
                if (dir != null && Files.exists(Path.of(dir, "postmaster.pid"))) {
                    host.execute(Command.of("pg_ctl", "-D", dir, "-w", "-t", "60", "-m", "immediate", "stop"));
                }
            }
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aPrimaryAndAStandbyAreSetUpWithBusyboxsUtilitiesAndOnlyPosixForms() throws Exception {
        for (String applet : APPLETS) {
            CommandResult r = host.execute(Command.of(applet, "--help"));
            assertThat(r.stdout() + r.stderr()).as(applet + " is BusyBox's in the PATH of the commands run as"
                    + " postgres").contains("BusyBox v");
        }
        int before = host.commands().size();

        Replication.Builder described = Replication.primary(Primary.at(Endpoint.of("127.0.0.1", primaryPort))
                        .withName("primary")
                        .withAdmin("postgres", adminPassword)
                        .withHost(host)
                        .withService(ServiceControl.pgCtl())
                        .withDataDirectory(primaryDir))
                .replicationRole(ReplicationRole.named("replicator")
                        .withPassword(Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(12)))))
                .allow(HbaRule.parse("host replication replicator 127.0.0.1/32 scram-sha-256"))
                .addStandby(Standby.named("standby")
                        .withHost(host)
                        .withDataDirectory(standbyDir)
                        .withPort(standbyPort)
                        .withEndpoint(Endpoint.of("127.0.0.1", standbyPort))
                        .withService(ServiceControl.pgCtl()));
        try (Replication replication = described.load()) {
            ApplyResult result = replication.apply();
            assertThat(result.summary()).as("the set-up ran").isNotBlank();

            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primaryPort
                    + "/postgres", "postgres", adminPassword.reveal().orElseThrow());
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE mailbox (address text PRIMARY KEY)");
                st.execute("INSERT INTO mailbox VALUES ('postmaster@example.org')");
            }
            replication.awaitReplay(replication.currentLsn(), Duration.ofSeconds(60));
            CommandResult onStandby = host.run(Command.of("psql", "-X", "-A", "-t", "-q", "-p",
                    Integer.toString(standbyPort), "-d", "postgres", "-c",
                    "SELECT pg_is_in_recovery(), count(*) FROM mailbox"));
            assertThat(onStandby.stdout().strip()).as("the standby replays the primary's rows, read-only")
                    .isEqualTo("t|1");
        }

        assertThat(host.fileMode(primaryDir + "/pg_hba.conf")).as("pg_hba.conf rewritten with the mode it had,"
                + " read through BusyBox's ls").isEqualTo("640");
        assertThat(host.readFile(primaryDir + "/pg_hba.conf").orElseThrow())
                .contains("host replication replicator 127.0.0.1/32 scram-sha-256");
        List<Command> setUp = host.commands().subList(before, host.commands().size());
        Set<String> programs = new TreeSet<>();
        for (Command c : setUp) {
            programs.add(c.argv().get(0).replaceAll(".*/", ""));
        }
        assertThat(programs).as("the set-up ran its file commands and PostgreSQL's programs on this host")
                .contains("sh", "pg_basebackup", "pg_ctl");
        assertThat(PosixAudit.commandFindings(setUp)).as("forms outside POSIX.1-2017 among the %d commands the"
                + " set-up ran", setUp.size()).isEmpty();
    }

    private static CommandResult local(List<String> argv) {
        return LocalHost.current().execute(Command.of(argv));
    }

    private static String newestPostgresBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return "/usr/lib/postgresql/15/bin";
        }
        List<Integer> majors = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+"))
                    .forEach(n -> majors.add(Integer.parseInt(n)));
        }
        return "/usr/lib/postgresql/" + majors.stream().max(Integer::compare).orElse(15) + "/bin";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
