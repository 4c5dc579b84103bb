package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.FileWithMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ContainerHost against a real container: argv, stdin, environment, users, files, timeouts. */
class ContainerHostIT {
    static PostgresMachines machines;
    static ContainerHost host;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "box");
        host = machines.machine("box").host();
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    void argumentsArriveUnchangedAndRunAsTheHostsUser() {
        String[] hostile = {"a b", "it's", "$(id)", "`id`", "x; touch /tmp/pwned", "*", "\"q\""};
        assertThat(host.run(Command.of("printf", "%s\\n").withArgs(hostile)).stdout().split("\n"))
                .containsExactly(hostile);
        assertThat(host.exists("/tmp/pwned")).isFalse();
        assertThat(host.run(Command.of("id", "-un")).stdout().strip()).isEqualTo("postgres");
        assertThat(host.as("root").run(Command.of("id", "-un")).stdout().strip()).isEqualTo("root");
    }

    @Test
    void standardInputReachesTheProgramWithItsArgumentsAndEnvironment() {
        String input = "line 'one'\n$(not run)\n";
        assertThat(host.run(Command.of("cat").withStdin(input.getBytes())).stdout()).isEqualTo(input);
        assertThat(host.run(Command.of("sh", "-c", "cat; echo \"$X\"", "sh").withStdin("in\n".getBytes())
                .withEnvironment("X", "env value")).stdout()).isEqualTo("in\nenv value\n");
        assertThat(host.list("/tmp")).as("the stdin file is removed").noneMatch(f -> f.contains("pgreplication-stdin"));
    }

    @Test
    void outputLinesStreamToTheListener() {
        List<String> lines = new ArrayList<>();
        host.run(Command.of("printf", "a\\nb\\nc").withOutputListener(lines::add));
        assertThat(lines).containsExactly("a", "b", "c");
    }

    @Test
    void filesAreWrittenOwnedByTheUserWithTheirMode() {
        host.writeFile("/var/lib/postgresql/f", "x\n", "0600");
        assertThat(host.run(Command.of("stat", "-c", "%U %a", "/var/lib/postgresql/f")).stdout().strip())
                .isEqualTo("postgres 600");
        assertThat(host.readFile("/var/lib/postgresql/f")).contains("x\n");
        assertThat(host.readFile("/var/lib/postgresql/absent")).isEmpty();
    }

    @Test
    void fileModeFromTheArchiveAgreesWithStat() {
        for (String mode : List.of("0600", "0640", "0755", "0400")) {
            host.writeFile("/var/lib/postgresql/m", "x\n", mode);
            assertThat(host.fileMode("/var/lib/postgresql/m")).as(mode)
                    .isEqualTo(host.run(Command.of("stat", "-c", "%a", "/var/lib/postgresql/m")).stdout().strip())
                    .isEqualTo(mode.substring(1));
        }
        host.as("root").run(Command.of("chmod", "4751", "/var/lib/postgresql/m"));
        assertThat(host.fileMode("/var/lib/postgresql/m")).as("setuid bit kept").isEqualTo("4751");
        host.run(Command.of("ln", "-sf", "/var/lib/postgresql/m", "/var/lib/postgresql/link"));
        assertThat(host.fileMode("/var/lib/postgresql/link")).as("a link: its target's mode").isEqualTo("4751");
        host.run(Command.of("mkdir", "-p", "-m", "0710", "/var/lib/postgresql/d"));
        assertThat(host.fileMode("/var/lib/postgresql/d")).as("a directory, through stat").isEqualTo("710");
        assertThatThrownBy(() -> host.fileMode("/var/lib/postgresql/absent"))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("No such file");
    }

    @Test
    void aWriteThroughASymbolicLinkKeepsTheLinkAndWritesItsTarget() {
        host.run(Command.of("mkdir", "-p", "/var/lib/postgresql/managed"));
        host.writeFile("/var/lib/postgresql/managed/conf", "old\n", "0600");
        host.run(Command.of("ln", "-sfn", "managed/conf", "/var/lib/postgresql/conf-link"));

        host.writeFiles(java.util.Map.of("/var/lib/postgresql/conf-link", "new\n", "/var/lib/postgresql/plain",
                "plain\n"), "0640");

        assertThat(host.run(Command.of("stat", "-c", "%F", "/var/lib/postgresql/conf-link")).stdout().strip())
                .as("the link stays a link").isEqualTo("symbolic link");
        assertThat(host.readFileWithMode("/var/lib/postgresql/managed/conf")).contains(new FileWithMode("new\n",
                "640"));
        assertThat(host.readFileWithMode("/var/lib/postgresql/plain")).contains(new FileWithMode("plain\n", "640"));
    }

    @Test
    void aDirectoryOrALinkToOneIsRefusedAndKept() {
        host.run(Command.of("mkdir", "-p", "/var/lib/postgresql/keep"));
        host.writeFile("/var/lib/postgresql/keep/inside", "kept\n", "0600");
        host.run(Command.of("ln", "-sfn", "keep", "/var/lib/postgresql/keep-link"));

        for (String path : List.of("/var/lib/postgresql/keep", "/var/lib/postgresql/keep-link")) {
            assertThatThrownBy(() -> host.writeFile(path, "x\n", "0600")).as(path)
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("a directory: not replaced");
        }
        assertThat(host.readFile("/var/lib/postgresql/keep/inside")).as("Docker's archive would have deleted it")
                .contains("kept\n");
        assertThat(host.run(Command.of("stat", "-c", "%F", "/var/lib/postgresql/keep-link")).stdout().strip())
                .isEqualTo("symbolic link");

        host.run(Command.of("ln", "-sfn", "loop-b", "/var/lib/postgresql/loop-a"));
        host.run(Command.of("ln", "-sfn", "loop-a", "/var/lib/postgresql/loop-b"));
        assertThatThrownBy(() -> host.writeFile("/var/lib/postgresql/loop-a", "x\n", "0600"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("a symbolic link that cannot be followed");
        assertThat(host.run(Command.of("stat", "-c", "%F", "/var/lib/postgresql/loop-a")).stdout().strip())
                .isEqualTo("symbolic link");
        assertThat(host.readFile("/var/lib/postgresql/loop-a")).as("read as the default host does: nothing there")
                .isEmpty();
    }

    @Test
    void textAndModeComeFromOneArchiveReadAndALinkGivesItsTargets() {
        String text = "local all all peer\n# it's $(not run)\n";
        host.writeFile("/var/lib/postgresql/h", text, "0640");
        assertThat(host.readFileWithMode("/var/lib/postgresql/h")).contains(new FileWithMode(text, "640"));
        host.as("root").run(Command.of("chmod", "4751", "/var/lib/postgresql/h"));
        assertThat(host.readFileWithMode("/var/lib/postgresql/h")).as("setuid bit kept")
                .contains(new FileWithMode(text, "4751"));

        // Docker archives a link as the link itself (no text): both reads follow it, as cat and stat do.
        host.run(Command.of("ln", "-sf", "/var/lib/postgresql/h", "/var/lib/postgresql/hlink"));
        assertThat(host.readFileWithMode("/var/lib/postgresql/hlink")).as("a link: its target's text and mode")
                .contains(new FileWithMode(text, "4751"));
        assertThat(host.readFile("/var/lib/postgresql/hlink")).as("readFile follows a link too").contains(text);

        assertThat(host.readFileWithMode("/var/lib/postgresql/absent")).isEmpty();
        host.run(Command.of("ln", "-sf", "/var/lib/postgresql/absent", "/var/lib/postgresql/dangling"));
        assertThat(host.readFileWithMode("/var/lib/postgresql/dangling")).as("a link to nothing").isEmpty();
        assertThat(host.readFile("/var/lib/postgresql/dangling")).isEmpty();
    }

    @Test
    void failuresAndTimeoutsAreReported() {
        assertThatThrownBy(() -> host.run(Command.of("sh", "-c", "echo boom >&2; exit 4")))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("exit code 4")
                .hasMessageContaining("boom");
        assertThatThrownBy(() -> host.run(Command.of("sleep", "20").withTimeout(Duration.ofMillis(500))))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("timed out");
    }
}
