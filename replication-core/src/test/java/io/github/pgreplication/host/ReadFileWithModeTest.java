package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.internal.ReadWithMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Host#readFileWithMode}: the default (readFile, then fileMode), LocalHost's and SshHost's single command
 * (run here through real local processes; SshHost's remote line through a real {@code sh}, as the remote login shell
 * parses it), and the record's checks.
 */
class ReadFileWithModeTest {
    private static final String HOSTILE = "it's $(touch pwned) `id` \"q\" *; x";
    private static final String TEXT = "local all all peer\n# 'quoted' $(not run)\n\nlast line\n";

    @TempDir
    Path dir;

    private Path file(String name, String perms) throws Exception {
        Path f = Files.writeString(dir.resolve(name), TEXT);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    /** A LocalHost that records the commands it runs. */
    private static final class Recording implements Host {
        final List<Command> commands = new ArrayList<>();
        private final LocalHost local = LocalHost.current();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public CommandResult execute(Command command) {
            commands.add(command);
            return local.execute(command);
        }
    }

    @Test
    void localHostReadsTextAndModeInOneProcess() throws Exception {
        Path f = file(HOSTILE, "rw-r-----");

        assertThat(LocalHost.current().readFileWithMode(f.toString()))
                .contains(new FileWithMode(TEXT, "640"));
        assertThat(dir.resolve("pwned")).as("the path was never parsed by a shell").doesNotExist();
    }

    @Test
    void aFilesContentIsNeverLoggedWhicheverWayItIsRead() throws Exception {
        Path f = file("server.key", "rw-------");
        Recording host = new Recording();

        assertThat(host.readFile(f.toString())).contains(TEXT);
        assertThat(host.readFileWithMode(f.toString())).contains(new FileWithMode(TEXT, "600"));
        assertThat(host.commands).filteredOn(c -> c.argv().get(0).equals("cat"))
                .as("each cat: a key or a passfile may be in its output").hasSize(2)
                .noneMatch(Command::outputLogged);
        assertThat(ReadWithMode.command(f.toString()).outputLogged()).as("LocalHost's and SshHost's one command")
                .isFalse();
        Command plain = Command.of("ls");
        assertThat(plain.outputLogged()).isTrue();
        assertThat(plain.withOutputNotLogged().withArgs("-l").withTimeout(java.time.Duration.ofSeconds(3))
                .withEnvironment("A", "b").withStdin(new byte[0]).withRedacted(io.github.pgreplication.Secret.of("s"))
                .withOutputListener(l -> { }).withArgv(List.of("ls", "-a")).prefixedWith(List.of("nice"))
                .outputLogged()).as("kept by every copy").isFalse();
    }

    @Test
    void aLinkGivesItsTargetsTextAndMode() throws Exception {
        Path f = file("target", "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);

        assertThat(LocalHost.current().readFileWithMode(link.toString())).contains(new FileWithMode(TEXT, "600"));
    }

    @Test
    void aMissingFileIsEmptyForTheDefaultAndTheSingleCommand() {
        String absent = dir.resolve("absent").toString();
        Recording host = new Recording();

        assertThat(host.readFileWithMode(absent)).as("default: cat says No such file").isEmpty();
        assertThat(host.commands).extracting(c -> c.argv().get(0)).as("no ls after a missing file")
                .containsExactly("cat");
        assertThat(LocalHost.current().readFileWithMode(absent)).as("single command").isEmpty();
        assertThat(LocalHost.current().readFileWithMode(dir.resolve("no/such/dir/f").toString())).isEmpty();
    }

    @Test
    void theDefaultReadsThenAsksTheMode() throws Exception {
        Path f = file("f", "rw-r--r--");
        Recording host = new Recording();

        assertThat(host.readFileWithMode(f.toString())).contains(new FileWithMode(TEXT, "644"));
        assertThat(host.commands).extracting(c -> c.argv().get(0)).containsExactly("cat", "ls");
    }

    @Test
    void aFileThatExistsButCannotBeReadIsAnError() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        Path f = file("closed", "---------");

        assertThatThrownBy(() -> LocalHost.current().readFileWithMode(f.toString()))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Permission denied")
                .hasMessageContaining("The file exists but cannot be examined or read by this host's user");
    }

    @Test
    void aDirectoryIsNotReadAsAFile() {
        assertThatThrownBy(() -> LocalHost.current().readFileWithMode(dir.toString()))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Is a directory")
                .hasMessageContaining("The file exists but cannot be examined or read");
    }

    @Test
    void overSshASecretVariableTravelsOnStandardInputNeverInTheCommandLine() {
        String password = "it's a \"pass\\word\" $(touch pwned) ";
        Command cmd = Command.of("sh", "-c", "printf '%s|%s|' \"$PGPASSWORD\" \"$LC_ALL\"; cat")
                .withEnvironment("LC_ALL", "C").withEnvironment("PGPASSWORD", password)
                .withRedacted(io.github.pgreplication.Secret.of(password)).withStdin("own input\n".getBytes());
        String remote = SshHost.remoteCommand(cmd);
        byte[] input = SshHost.secretInput(cmd);

        assertThat(remote).as("the line ssh puts in its argv, and the remote shell parses").doesNotContain("pass")
                .startsWith("IFS= read -r PGPASSWORD && export PGPASSWORD && env LC_ALL=C sh -c ");
        // What sshd does with it: the user's login shell parses the line, with ssh's standard input.
        CommandResult result = LocalHost.current().run(Command.of("sh", "-c", remote).withStdin(input));
        assertThat(result.stdout()).isEqualTo(password + "|C|own input\n");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(SshHost.secretInput(Command.of("true").withEnvironment("LC_ALL", "C"))).as("no secret").isNull();
        assertThatThrownBy(() -> SshHost.secretInput(Command.of("true").withEnvironment("PGPASSWORD", "a\nb")
                .withRedacted(io.github.pgreplication.Secret.of("a\nb"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PGPASSWORD holds a line break")
                .hasMessageNotContaining("a\nb");
    }

    @Test
    void sshHostSendsOneRemoteLineThatKeepsTheScriptConstantAndThePathAnArgument() throws Exception {
        Path f = file(HOSTILE, "rw-r-----");
        String remote = SshHost.remoteCommand(ReadWithMode.command(f.toString()));

        assertThat(remote).startsWith("env LC_ALL=C sh -c ");
        // What sshd does with it: the user's login shell parses the line.
        CommandResult result = LocalHost.current().run(Command.of("sh", "-c", remote));
        assertThat(result.stdout()).isEqualTo("-rw-r-----\n" + TEXT);
        assertThat(dir.resolve("pwned")).as("the path was never parsed as shell code").doesNotExist();
    }

    @Test
    void sshHostOverridesTheDefaultWithTheSingleCommand() throws Exception {
        assertThat(SshHost.class.getMethod("readFileWithMode", String.class).getDeclaringClass())
                .isEqualTo(SshHost.class);
        assertThat(LocalHost.class.getMethod("readFileWithMode", String.class).getDeclaringClass())
                .isEqualTo(LocalHost.class);
    }

    @Test
    void theRecordChecksItsParts() {
        assertThat(new FileWithMode("", "0").mode()).isEqualTo("0");
        assertThat(new FileWithMode("x", "4751").text()).isEqualTo("x");
        assertThatThrownBy(() -> new FileWithMode(null, "600")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text must not be null");
        assertThatThrownBy(() -> new FileWithMode("x", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("mode must not be null");
        for (String bad : List.of("", "0640x", "68", "12345", "rw-r--r--", "0o600")) {
            assertThatThrownBy(() -> new FileWithMode("x", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("file mode '" + bad + "' is not 1 to 4 octal digits")
                    .hasMessageContaining("give e.g. \"640\"");
        }
    }
}
