package io.github.pgreplication.pgbackrest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.audit.PosixAudit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfigFiles' in-place rewrite on this machine's real {@code sh} and coreutils (no Docker needed). */
class InPlaceWriteTest {
    final LocalHost host = LocalHost.current();

    @TempDir
    Path dir;

    @TempDir
    Path tmpdir;

    @Test
    void theRewriteUsesPosixUtilitiesAndOptionsOnly() {
        assertThat(PosixAudit.findings(ConfigFiles.inPlace("/etc/pgbackrest.conf", "[global]\n", "0640").argv()))
                .as("mktemp and dd status=none were GNU's").isEmpty();
    }

    @Test
    void standardInputThatEndsEarlyLeavesTheFileAsItWasAndNoStagedCopy() throws Exception {
        Path file = Files.writeString(dir.resolve("pgbackrest.conf"), "[global]\nrepo1-path=/var/lib/pgbackrest\n");
        // As when a connection is cut: the script is told 40 bytes, standard input ends after 9.
        CommandResult result = announcing(file, 40, "[global]\n");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("9 bytes arrived of 40 expected: not rewritten");
        assertThat(Files.readString(file)).isEqualTo("[global]\nrepo1-path=/var/lib/pgbackrest\n");
        assertThat(entries(tmpdir)).as("the staged copy is removed").isEmpty();
    }

    @Test
    void theFileKeepsItsInodeAndLinkAndGetsTheWholeContentAndTheMode() throws Exception {
        Path target = Files.writeString(dir.resolve("pgbackrest.conf"), "[global]\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), target.getFileName());
        Object inode = Files.getAttribute(target, "unix:ino");
        String text = "[global]\nrepo1-cipher-pass=it's $(id) `id` \\ \t\r\né\n" + "x".repeat(100_000) + "\n";

        CommandResult result = run(ConfigFiles.inPlace(link.toString(), text, "0600"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(target)).isEqualTo(text);
        assertThat(Files.getAttribute(target, "unix:ino")).as("rewritten in place, not replaced").isEqualTo(inode);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(entries(tmpdir)).as("the staged copy is removed").isEmpty();
        assertThat(entries(dir)).containsExactlyInAnyOrder("pgbackrest.conf", "link.conf");
    }

    @Test
    void moreBytesThanAnnouncedAreRefusedToo() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "old\n");
        CommandResult result = announcing(file, 3, "twelve bytes");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("12 bytes arrived of 3 expected: not rewritten");
        assertThat(Files.readString(file)).isEqualTo("old\n");
        assertThat(entries(tmpdir)).isEmpty();
    }

    @Test
    void theContentIsStagedInTmpdirAndNothingChangesWhenItCannotBe() throws Exception {
        Path file = Files.writeString(dir.resolve("pgbackrest.conf"), "[global]\n");
        CommandResult result = host.execute(ConfigFiles.inPlace(file.toString(), "[global]\nnew\n", "0640")
                .withEnvironment("TMPDIR", tmpdir.resolve("absent").toString()));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains(tmpdir.resolve("absent").toString()).contains("No such file or directory");
        assertThat(Files.readString(file)).isEqualTo("[global]\n");
    }

    @Test
    void aFailedOverwriteWritesTheOldContentBack() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small file system needs root");
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(host.execute(Command.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString()))
                .succeeded(), "cannot mount a tmpfs here");
        try {
            String old = "[global]\n" + "o".repeat(10_000) + "\n";
            Path file = Files.writeString(small.resolve("pgbackrest.conf"), old);

            CommandResult result = run(ConfigFiles.inPlace(file.toString(), "n".repeat(200_000), "0640"));

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("No space left on device")
                    .contains("not rewritten, its old content written back");
            assertThat(Files.readString(file)).isEqualTo(old);
            assertThat(entries(tmpdir)).as("both staged copies removed").isEmpty();
        } finally {
            host.run(Command.of("umount", small.toString()));
        }
    }

    @Test
    void debiansCaseForRealAFileOfTheUsersInADirectoryItCannotWrite() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runuser needs root");
        LocalHost nobody = LocalHost.runAs("nobody", LocalHost.UserSwitch.RUNUSER); // nobody has no login shell for su
        assumeTrue(nobody.execute(Command.of("true")).succeeded(), "no user nobody here");
        // dir stands for /etc (root's, 0755), the file for /etc/pgbackrest.conf (nobody's here, postgres's there).
        host.run(Command.of("chmod", "0755", dir.toString(), tmpdir.toString()));
        Path file = Files.writeString(dir.resolve("pgbackrest.conf"), "[global]\nrepo1-path=/old\n");
        host.run(Command.of("chown", "nobody", file.toString()));
        host.run(Command.of("chmod", "1777", tmpdir.toString()));
        Object inode = Files.getAttribute(file, "unix:ino");

        boolean changed = ConfigFiles.write(new TmpdirHost(nobody, tmpdir), file.toString(),
                "[global]\nrepo1-path=/new\n", "0640");

        assertThat(changed).isTrue();
        assertThat(Files.readString(file)).isEqualTo("[global]\nrepo1-path=/new\n");
        assertThat(Files.getAttribute(file, "unix:ino")).as("rewritten in place").isEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(entries(dir)).containsExactly("pgbackrest.conf");
        assertThat(entries(tmpdir)).isEmpty();
    }

    /** A host whose every command runs with {@code TMPDIR} set. */
    private record TmpdirHost(io.github.pgreplication.host.Host host, Path tmpdir)
            implements io.github.pgreplication.host.Host {
        @Override
        public String name() {
            return host.name();
        }

        @Override
        public CommandResult execute(Command command) {
            return host.execute(command.withEnvironment("TMPDIR", tmpdir.toString()));
        }
    }

    /** Runs the script as {@link ConfigFiles#inPlace} does, but announcing {@code length} bytes. */
    private CommandResult announcing(Path file, int length, String stdin) {
        return run(Command.of("sh", "-c", ConfigFiles.IN_PLACE, "sh", file.toString(), "0640",
                Integer.toString(length)).withStdin(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs the command with {@code TMPDIR} set to a directory of the test's, where the content is staged. */
    private CommandResult run(Command command) {
        return host.execute(command.withEnvironment("TMPDIR", tmpdir.toString()));
    }

    private static java.util.List<String> entries(Path directory) throws java.io.IOException {
        try (var list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
