package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.FileWithMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the single-command read tells a file, a missing file and an unreadable one apart. */
class ReadWithModeTest {
    private static final String HBA = "/etc/postgresql/17/main/pg_hba.conf";
    private final FakeHost host = FakeHost.postgres("db1");

    @Test
    void theScriptIsConstantAndThePathItsArgument() {
        Command c = ReadWithMode.command("/x/it's $(id)");

        assertThat(c.argv()).containsExactly("sh", "-c", ReadWithMode.SCRIPT, "sh", "/x/it's $(id)");
        assertThat(ReadWithMode.SCRIPT)
                .isEqualTo("m=$(ls -ldL -- \"$1\") && printf '%.10s\\n' \"$m\" && exec cat -- \"$1\"");
        assertThat(c.environment()).containsEntry("LC_ALL", "C");
    }

    @Test
    void aFileGivesItsTextAndModeFromOneCommand() {
        host.file(HBA, "local all all peer\n");
        host.modes.put(HBA, "0640");

        assertThat(ReadWithMode.read(host, HBA)).contains(new FileWithMode("local all all peer\n", "640"));
        assertThat(host.argvs()).as("one round trip").hasSize(1);
    }

    @Test
    void aMissingFileIsEmptyWithoutAnotherCommand() {
        assertThat(ReadWithMode.read(host, HBA)).isEmpty();
        assertThat(host.argvs()).as("ls said No such file: no test -e").hasSize(1);
    }

    @Test
    void anotherFailureIsAMissingFileOnlyWhenNothingIsThere() {
        host.on(List.of("sh"), c -> FakeHost.fail(2, "ls: cannot access '" + HBA + "': Not a directory"));

        assertThat(ReadWithMode.read(host, HBA)).isEmpty();
        assertThat(host.argvs()).extracting(a -> a.get(0)).containsExactly("sh", "test");
    }

    @Test
    void aFileThatExistsButCannotBeReadIsAnErrorNamingIt() {
        host.file(HBA, "secret rules\n");
        host.on(List.of("sh"), c -> new io.github.pgreplication.host.CommandResult(1, "640\n",
                "cat: " + HBA + ": Permission denied\n"));

        assertThatThrownBy(() -> ReadWithMode.read(host, HBA))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("db1")
                .hasMessageContaining(HBA)
                .hasMessageContaining("Permission denied")
                .hasMessageContaining("The file exists but cannot be examined or read by this host's user");
    }

    @Test
    void anLsThatPrintsNoFileModeIsSaidWithoutShowingTheFile() {
        host.on(List.of("sh"), c -> FakeHost.ok("  File: pg_hba.conf\nhost all all 10.0.0.0/8 password\n"));

        assertThatThrownBy(() -> ReadWithMode.read(host, HBA))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("first line: File: pg_hba.conf")
                .hasMessageContaining("ls -ldL printed no file mode (as -rw-r-----) at the start of its line: this"
                        + " host's ls does not write POSIX's long format. Give the host a PATH where a POSIX ls"
                        + " comes first.")
                .hasMessageNotContaining("10.0.0.0/8");
    }

    @Test
    void theModeIsReadFromPosixsLongFormatAsStatWouldPrintIt() {
        assertThat(ReadWithMode.octal("-rw-r----- 1 postgres postgres 4 Jan  1 00:00 /x")).contains("640");
        assertThat(ReadWithMode.octal("-rw-------")).contains("600");
        assertThat(ReadWithMode.octal("drwx------")).contains("700");
        assertThat(ReadWithMode.octal("----------")).contains("0");
        assertThat(ReadWithMode.octal("-rwsr-x--x")).as("setuid with x").contains("4751");
        assertThat(ReadWithMode.octal("-rwSr-----")).as("setuid without x").contains("4640");
        assertThat(ReadWithMode.octal("drwxr-sr-x+")).as("setgid, an ACL mark after the mode").contains("2755");
        assertThat(ReadWithMode.octal("drwxrwxrwt")).as("sticky").contains("1777");
        assertThat(ReadWithMode.octal("drwxrwxrwT")).contains("1776");
        assertThat(ReadWithMode.octal("-rw-r--r--.")).as("an SELinux context mark").contains("644");
        assertThat(ReadWithMode.octal("640")).as("stat's output is not ls's").isEmpty();
        assertThat(ReadWithMode.octal("  File: pg_hba.conf")).isEmpty();
        assertThat(ReadWithMode.octal("")).isEmpty();
    }

    @Test
    void aFileModeThatLsDoesNotPrintIsAnErrorOfFileModeToo() {
        host.on(List.of("ls", "-ldL"), c -> FakeHost.ok("640\n"));

        assertThatThrownBy(() -> host.fileMode(HBA))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("ls -ldL -- " + HBA)
                .hasMessageContaining("ls -ldL printed no file mode (as -rw-r-----)");
    }
}
