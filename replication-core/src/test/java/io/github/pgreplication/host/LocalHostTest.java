package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalHost runs real local processes through Commons Exec (no Docker needed). */
class LocalHostTest {
    final LocalHost host = LocalHost.current();

    @TempDir
    Path dir;

    @Test
    void argumentsReachTheProgramUnchangedWithoutAShell() {
        String[] hostile = {"a b", "it's", "$(id)", "`id`", "x; rm -rf /", "*"};
        String out = host.run(Command.of("printf", "%s\\n").withArgs(hostile)).stdout();
        assertThat(out.split("\n")).containsExactly(hostile);
    }

    @Test
    void fileModeIsReadFollowingALink() throws Exception {
        Path file = Files.createFile(dir.resolve("f"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r-----")));
        assertThat(host.fileMode(file.toString())).isEqualTo("640");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThat(host.fileMode(link.toString())).as("the target's mode, not the link's 777").isEqualTo("640");
        assertThatThrownBy(() -> host.fileMode(dir.resolve("absent").toString()))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("No such file");
    }

    @Test
    void fileModeGivesTheSetIdAndStickyBitsAsStatWould() throws Exception {
        Path file = Files.createFile(dir.resolve("f"));
        for (String mode : List.of("4751", "2750", "1777", "6644", "0")) {
            host.run(Command.of("chmod", mode, file.toString()));
            assertThat(host.fileMode(file.toString())).as(mode).isEqualTo(mode);
            assertThat(host.readFileWithMode(file.toString())).as(mode).contains(new FileWithMode("", mode));
        }
    }

    @Test
    void environmentAndStandardInputArePassed() {
        assertThat(host.run(Command.of("printenv", "PGREPL_TEST").withEnvironment("PGREPL_TEST", "v 1")).stdout())
                .isEqualTo("v 1\n");
        assertThat(host.run(Command.of("cat").withStdin("line\n".getBytes())).stdout()).isEqualTo("line\n");
    }

    @Test
    void outputLinesReachTheListenerAsTheyArrive() {
        List<String> lines = new ArrayList<>();
        host.run(Command.of("printf", "one\\ntwo\\n").withOutputListener(lines::add));
        assertThat(lines).containsExactly("one", "two");
    }

    @Test
    void aFailingCommandReportsExitCodeAndOutputTailWithSecretsRemoved() {
        assertThatThrownBy(() -> host.run(Command.of("sh", "-c", "echo 'token hunter2 rejected' >&2; exit 3")
                .withRedacted(Secret.of("hunter2"))))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("failed with exit code 3")
                .hasMessageContaining("token **** rejected")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMissingProgramSaysSo() {
        assertThatThrownBy(() -> host.run(Command.of("pgreplication-no-such-program")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("pgreplication-no-such-program");
    }

    @Test
    void aCommandPastItsTimeoutIsStoppedAndReportedAsTimedOut() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> host.run(Command.of("sleep", "30").withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("timed out")
                .satisfies(e -> assertThat(((CommandFailedException) e).timedOut()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void filesAreWrittenWithTheirModeFromTheStartReadListedAndDeleted() throws Exception {
        String file = dir.resolve("secret").toString();
        host.writeFile(file, "s3cr'et\n", "0600");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file)))).isEqualTo("rw-------");
        assertThat(host.readFile(file)).contains("s3cr'et\n");
        assertThat(host.list(dir.toString())).containsExactly("secret");
        assertThat(host.readFile(dir.resolve("absent").toString())).isEmpty();
        assertThat(host.list(dir.resolve("absent").toString())).isEmpty();
        host.deleteContents(dir.toString());
        assertThat(host.list(dir.toString())).isEmpty();
    }

    @Test
    void aSymbolicLinkIsKeptAndTheFileItPointsToIsReplacedWithTheMode() throws Exception {
        Path managed = Files.createDirectory(dir.resolve("managed"));
        Path target = Files.writeString(managed.resolve("pg_hba.conf"), "old\n");
        Path link = dir.resolve("pg_hba.conf");
        Files.createSymbolicLink(link, Path.of("managed/pg_hba.conf"));
        Path chained = dir.resolve("chained");
        Files.createSymbolicLink(chained, link);

        host.writeFile(chained.toString(), "host all all all scram-sha-256 # it's $(id)\n", "0640");

        assertThat(Files.isSymbolicLink(link)).as("the link stays a link").isTrue();
        assertThat(Files.isSymbolicLink(chained)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("host all all all scram-sha-256 # it's $(id)\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("managed",
                    "pg_hba.conf", "chained");
        }
        try (var entries = Files.list(managed)) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("pg_hba.conf");
        }
    }

    @Test
    void aFileCannotReplaceADirectoryAndNothingIsLeftBehind() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(directory.resolve("inside"), "kept");

        assertThatThrownBy(() -> host.writeFile(directory.toString(), "text", "0600"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("a directory: not replaced");

        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("conf");
        }
        try (var entries = Files.list(directory)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("inside");
        }
    }

    @Test
    void aFileInAMissingDirectoryIsRefusedWithTheSystemsMessage() {
        String missing = dir.resolve("absent/dir/file").toString();
        assertThatThrownBy(() -> host.writeFile(missing, "text", "0600"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("No such file or directory");
        assertThat(Files.exists(dir.resolve("absent"))).isFalse();
    }

    @Test
    void eachUserSwitchBuildsItsCommandLineWithTheArgumentsUnchanged() {
        Command c = Command.of("pg_ctl", "-D", "/var/lib/postgresql/data", "$(id)", "--").withEnvironment("LC_ALL",
                "C");

        assertThat(LocalHost.runAs("postgres").switched(c).argv()).as("su by default")
                .containsExactly("su", "postgres", "-c", LocalHost.SU_SCRIPT, "--", "pg_ctl", "-D",
                        "/var/lib/postgresql/data", "$(id)", "--");
        assertThat(LocalHost.runAs("_postgresql", LocalHost.UserSwitch.DOAS).switched(c).argv())
                .as("doas clears the environment: the variables go through env")
                .containsExactly("doas", "-n", "-u", "_postgresql", "--", "env", "LC_ALL=C", "pg_ctl", "-D",
                        "/var/lib/postgresql/data", "$(id)", "--");
        assertThat(LocalHost.runAs("postgres", LocalHost.UserSwitch.SUDO).switched(c).argv())
                .containsExactly("sudo", "-n", "-u", "postgres", "--", "env", "LC_ALL=C", "pg_ctl", "-D",
                        "/var/lib/postgresql/data", "$(id)", "--");
        assertThat(LocalHost.runAs("postgres", LocalHost.UserSwitch.RUNUSER).switched(c).argv())
                .containsExactly("runuser", "-u", "postgres", "--", "pg_ctl", "-D", "/var/lib/postgresql/data",
                        "$(id)", "--");
        assertThat(LocalHost.current().switched(c).argv()).startsWith("pg_ctl");
        assertThat(LocalHost.withPrefix(List.of("doas", "-u", "_postgresql")).switched(c).argv())
                .startsWith("doas", "-u", "_postgresql", "pg_ctl");
        for (LocalHost.UserSwitch how : LocalHost.UserSwitch.values()) {
            assertThat(LocalHost.runAs("postgres", how).switched(c).environment()).as(how + " keeps the environment"
                    + " for its own process").containsEntry("LC_ALL", "C");
            assertThat(LocalHost.runAs("postgres", how).name()).isEqualTo("local:postgres");
        }
    }

    @Test
    void aSecretInTheEnvironmentNeverGoesInArgvWhateverTheSwitch() {
        Secret password = Secret.of("hunter2");
        Command c = Command.of("pg_rewind", "--target-pgdata=/d").withEnvironment("PGPASSWORD", "hunter2")
                .withEnvironment("LC_ALL", "C").withRedacted(password);

        for (LocalHost.UserSwitch how : LocalHost.UserSwitch.values()) {
            Command run = LocalHost.runAs("postgres", how).switched(c);
            assertThat(run.argv()).as(how.name()).noneMatch(a -> a.contains("hunter2"));
            assertThat(run.environment()).as(how + ": the secret stays in the environment of the switch's process")
                    .containsEntry("PGPASSWORD", "hunter2");
        }
        assertThat(LocalHost.runAs("postgres", LocalHost.UserSwitch.DOAS).switched(c).argv())
                .as("the other variables still travel").contains("env", "LC_ALL=C");
    }

    @Test
    void aUserThatIsNotALoginNameIsRefusedNamingIt() {
        for (String bad : List.of("-c", "", "post gres", "a\nb", "root;id", "x".repeat(33))) {
            assertThatThrownBy(() -> LocalHost.runAs(bad, LocalHost.UserSwitch.SU)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("' is not a login name: it must be 1 to 32 letters, digits, '.', '_' or"
                            + " '-', not starting with '-' (su would read a leading '-' as an option)")
                    .hasMessageContaining("LocalHost.runAs(\"postgres\")")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> LocalHost.runAs("postgres", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("the user switch must not be null: give e.g. LocalHost.UserSwitch.SU");
    }

    @Test
    void suAndRunuserSwitchUserForRealWhenRunningAsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "su and runuser need root");
        assumeTrue(host.execute(Command.of("id", "-u", "postgres")).succeeded(), "no postgres user here");
        String[] hostile = {"a b", "it's", "$(id)", "`id`", "--", "-c", "*"};
        for (LocalHost.UserSwitch how : List.of(LocalHost.UserSwitch.SU, LocalHost.UserSwitch.RUNUSER)) {
            LocalHost asPostgres = LocalHost.runAs("postgres", how);
            assertThat(asPostgres.run(Command.of("id", "-un")).stdout().strip()).as(how.name()).isEqualTo("postgres");
            assertThat(asPostgres.run(Command.of("printf", "%s\\n").withArgs(hostile)).stdout().split("\n"))
                    .as(how + ": arguments reach the program unchanged, never parsed by a shell")
                    .containsExactly(hostile);
            assertThat(asPostgres.run(Command.of("printenv", "PGREPL_TEST").withEnvironment("PGREPL_TEST", "v 1"))
                    .stdout()).as(how + " keeps the environment").isEqualTo("v 1\n");
        }
        assertThat(LocalHost.runAs("postgres").run(Command.of("id", "-un")).stdout().strip()).isEqualTo("postgres");
    }

    @Test
    void postgresProgramsAreTakenFromTheGivenBinaryDirectory() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path fake = bin.resolve("pg_controldata");
        Files.writeString(fake, "#!/bin/sh\necho from-bin-dir\n");
        fake.toFile().setExecutable(true);
        assertThat(host.withPostgresBinaries(bin.toString()).run(Command.of("pg_controldata")).stdout())
                .isEqualTo("from-bin-dir\n");
        assertThat(host.withPostgresBinaries(bin.toString()).run(Command.of("echo", "other")).stdout())
                .as("other programs are untouched").isEqualTo("other\n");
    }
}
