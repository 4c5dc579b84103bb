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
        assertThat(ReadWithMode.SCRIPT).isEqualTo("stat -L -c %a -- \"$1\" && exec cat -- \"$1\"");
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
        assertThat(host.argvs()).as("stat said No such file: no test -e").hasSize(1);
    }

    @Test
    void anotherFailureIsAMissingFileOnlyWhenNothingIsThere() {
        host.on(List.of("sh"), c -> FakeHost.fail(1, "stat: cannot statx: Not a directory"));

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
    void aStatThatPrintsNoOctalModeIsSaidWithoutShowingTheFile() {
        host.on(List.of("sh"), c -> FakeHost.ok("  File: pg_hba.conf\nhost all all 10.0.0.0/8 password\n"));

        assertThatThrownBy(() -> ReadWithMode.read(host, HBA))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("first line: File: pg_hba.conf")
                .hasMessageContaining("stat -L -c %a printed no octal mode: this host's stat is not GNU's")
                .hasMessageNotContaining("10.0.0.0/8");
    }
}
