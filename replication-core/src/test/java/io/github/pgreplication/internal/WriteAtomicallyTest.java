package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.LocalHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write script on this machine's real {@code sh} and coreutils (no Docker needed). */
class WriteAtomicallyTest {
    final LocalHost host = LocalHost.current();

    @TempDir
    Path dir;

    @Test
    void standardInputThatEndsEarlyLeavesTheFileAsItWasAndNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pg_hba.conf"), "host all all all scram-sha-256\n");
        // As when a connection is cut: the script is told 40 bytes, standard input ends after 9.
        CommandResult result = writeAnnouncing(file, 40, "host all ");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("9 bytes arrived of 40 expected: not replaced");
        assertThat(Files.readString(file)).isEqualTo("host all all all scram-sha-256\n");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("pg_hba.conf");
        }
    }

    @Test
    void moreBytesThanAnnouncedAreRefusedToo() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "old\n");
        CommandResult result = writeAnnouncing(file, 3, "twelve bytes");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("12 bytes arrived of 3 expected: not replaced");
        assertThat(Files.readString(file)).isEqualTo("old\n");
    }

    @Test
    void aDanglingLinkIntoAnExistingDirectoryCreatesItsTargetAndStaysALink() throws Exception {
        Path link = dir.resolve("pgpass");
        Files.createSymbolicLink(link, Path.of("managed-pgpass"));

        host.writeFile(link.toString(), "*:*:*:replicator:secret\n", "0600");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(dir.resolve("managed-pgpass"))).isEqualTo("*:*:*:replicator:secret\n");
    }

    @Test
    void twoWritersOfOneFileNeverMixTheirContents() throws Exception {
        Path file = Files.writeString(dir.resolve("pg_hba.conf"), "old\n");
        byte[] first = ("first writer\n" + "a".repeat(200_000) + "\n").getBytes(StandardCharsets.UTF_8);
        String second = "second writer\n" + "b".repeat(1_000) + "\n";
        // The first writer gets half of its content, then waits, as over a slow connection.
        Process slow = new ProcessBuilder("sh", "-c", WriteAtomically.SCRIPT, "sh", file.toString(), "0600",
                Integer.toString(first.length)).redirectErrorStream(true).start();
        slow.getOutputStream().write(first, 0, first.length / 2);
        slow.getOutputStream().flush();
        // dd writes whole 512-byte blocks: the rest of the half waits in its buffer.
        boolean halfway = ApplyContext.waitFor(java.time.Duration.ofSeconds(10), () -> temporaryFiles().stream()
                .anyMatch(p -> {
                    try {
                        return Files.size(p) > first.length / 2 - 512;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }));
        assertThat(halfway).as("the first writer is in the middle of its dd").isTrue();
        assertThat(temporaryFiles()).as("the first writer's temporary file").hasSize(1);

        host.writeFile(file.toString(), second, "0600");
        assertThat(Files.readString(file)).isEqualTo(second);

        slow.getOutputStream().write(first, first.length / 2, first.length - first.length / 2);
        slow.getOutputStream().close();
        String output = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(slow.waitFor()).as(output).isZero();
        assertThat(Files.readAllBytes(file)).as("the last rename wins, whole").isEqualTo(first);
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void aSignalThatEndsTheScriptLeavesNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pg_hba.conf"), "old\n");
        for (String signal : WriteAtomically.SIGNALS.split(" ")) {
            Process writer = new ProcessBuilder("sh", "-c", WriteAtomically.SCRIPT, "sh", file.toString(), "0600",
                    "100").redirectErrorStream(true).start();
            writer.getOutputStream().write(new byte[600]);
            writer.getOutputStream().flush();
            assertThat(ApplyContext.waitFor(java.time.Duration.ofSeconds(10), () -> !temporaryFiles().isEmpty()))
                    .as(signal + ": the writer is in the middle of its dd").isTrue();
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(writer.pid())).start().waitFor())
                    .isZero();
            writer.getOutputStream().close(); // the shell runs its trap once dd, its foreground job, ends
            writer.getInputStream().readAllBytes();

            assertThat(writer.waitFor()).as(signal).isNotZero();
            assertThat(temporaryFiles()).as(signal + ": no temporary file left").isEmpty();
            assertThat(Files.readString(file)).isEqualTo("old\n");
        }
    }

    @Test
    void aModeWithoutTheOwnersWriteBitWorksForAUserThatIsNotRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runuser needs root");
        LocalHost nobody = LocalHost.runAs("nobody", LocalHost.UserSwitch.RUNUSER); // nobody has no login shell for su
        assumeTrue(nobody.execute(Command.of("true")).succeeded(), "no user nobody here");
        host.run(Command.of("chmod", "1777", dir.toString()));
        String file = dir.resolve("read-only").toString();

        nobody.writeFile(file, "secret\n", "0400");
        nobody.writeFile(file, "secret, again\n", "0400");

        assertThat(Files.readString(Path.of(file))).isEqualTo("secret, again\n");
        assertThat(host.run(Command.of("stat", "-c", "%U %a", file)).stdout().strip()).isEqualTo("nobody 400");
        assertThat(temporaryFiles()).isEmpty();
    }

    private java.util.List<Path> temporaryFiles() {
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().contains(WriteAtomically.TEMPORARY_INFIX)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the script as {@link WriteAtomically#command} does, but announcing {@code length} bytes. */
    private CommandResult writeAnnouncing(Path file, int length, String stdin) {
        return host.execute(Command.of("sh", "-c", WriteAtomically.SCRIPT, "sh", file.toString(), "0600",
                Integer.toString(length)).withStdin(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLinkThatCannotBeFollowedIsRefusedNotReplaced() throws Exception {
        Path loop1 = dir.resolve("loop1");
        Path loop2 = dir.resolve("loop2");
        Files.createSymbolicLink(loop1, loop2.getFileName());
        Files.createSymbolicLink(loop2, loop1.getFileName());
        Path dangling = dir.resolve("dangling");
        Files.createSymbolicLink(dangling, Path.of("no-such-dir/file"));

        for (Path link : new Path[] {loop1, dangling}) {
            assertThatThrownBy(() -> host.writeFile(link.toString(), "x\n", "0600"))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("a symbolic link that cannot be followed");
            assertThat(Files.isSymbolicLink(link)).as(link + " is still a link").isTrue();
        }
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("loop1", "loop2",
                    "dangling");
        }
    }

    @Test
    void linksWithSpacesArrowsAndAbsoluteTargetsAreFollowedToTheirFile() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other dir"));
        Path target = Files.writeString(other.resolve("the -> file"), "old\n");
        Path absolute = Files.createSymbolicLink(dir.resolve("a -> b"), target);
        Path relative = Files.createSymbolicLink(other.resolve("rel"), Path.of("the -> file"));
        Path toRelative = Files.createSymbolicLink(dir.resolve("to rel"), relative);

        host.writeFile(absolute.toString(), "one\n", "0600");
        assertThat(Files.readString(target)).isEqualTo("one\n");
        host.writeFile(toRelative.toString(), "two\n", "0640");
        assertThat(Files.readString(target)).as("a link to a link relative to its own directory").isEqualTo("two\n");
        assertThat(Files.isSymbolicLink(absolute) && Files.isSymbolicLink(relative) && Files.isSymbolicLink(toRelative))
                .as("every link stays").isTrue();
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void aTemporaryFileOfThatNameAlreadyThereIsNeitherWrittenNorRemoved() throws Exception {
        Path file = Files.writeString(dir.resolve("pg_hba.conf"), "old\n");
        Path planted = Files.writeString(dir.resolve("pg_hba.conf" + WriteAtomically.TEMPORARY_INFIX + "abcdef"),
                "someone else's\n");
        CommandResult result = host.execute(Command.of("sh", "-c", WriteAtomically.SCRIPT, "sh", file.toString(),
                "0600", "4", "abcdef").withStdin("new\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(result.exitCode()).as("created exclusively (set -C)").isNotZero();
        assertThat(result.stderr()).contains(planted.toString());
        assertThat(Files.readString(planted)).isEqualTo("someone else's\n");
        assertThat(Files.readString(file)).isEqualTo("old\n");
    }

    @Test
    void theCommandCarriesSixRandomCharactersForTheTemporaryFile() {
        Command first = WriteAtomically.command("/x/f", "text", "0600");
        Command second = WriteAtomically.command("/x/f", "text", "0600");

        assertThat(first.argv()).hasSize(8).startsWith("sh", "-c", WriteAtomically.SCRIPT, "sh", "/x/f", "0600", "4");
        assertThat(first.argv().get(7)).matches("[A-Za-z0-9]{6}");
        assertThat(first.argv().get(7)).as("a name of its own per write").isNotEqualTo(second.argv().get(7));
    }

    @Test
    void emptyContentAndContentWithEveryKindOfByteArriveWhole() throws Exception {
        String empty = dir.resolve("standby.signal").toString();
        host.writeFile(empty, "", "0600");
        assertThat(Files.size(Path.of(empty))).isZero();

        String text = "é ' \" $(id) `id` \\ \t\r\n" + "x".repeat(100_000) + "\n";
        String file = dir.resolve("big").toString();
        host.writeFile(file, text, "0600");
        assertThat(Files.readString(Path.of(file))).isEqualTo(text);
    }
}
