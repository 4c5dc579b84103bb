package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.audit.PosixAudit;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of {@link io.github.pgreplication.host.Host}'s file operations and of the core's scripts use
 * POSIX.1-2017 utilities and options only (OpenBSD hosts have no {@code stat -c}, Debian's BusyBox {@code find} no
 * {@code -delete}): each is run for real on this machine through a host that records it, and checked by
 * {@link PosixAudit}. No Docker needed.
 */
class PosixCommandsTest {
    @TempDir
    Path dir;

    @Test
    void everyFileOperationOfAHostRunsPosixUtilitiesOnly() throws Exception {
        RecordingHost host = new RecordingHost(LocalHost.current(), null);
        String d = dir.toString();
        Files.writeString(dir.resolve("target"), "old\n");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));

        host.exists(d + "/link");
        host.readFile(d + "/link");
        host.readFile(d + "/absent");
        assertThat(host.fileMode(d + "/link")).isEqualTo("644");
        assertThat(host.readFileWithMode(d + "/link")).contains(new FileWithMode("old\n", "644"));
        host.readFileWithMode(d + "/absent");
        host.writeFile(d + "/link", "new\n", "0640");
        host.writeFile(d + "/fresh", "x", "0600");
        host.createDirectories(d + "/sub/dir", "0700");
        host.list(d);
        host.list(d + "/absent");
        host.deleteFile(d + "/fresh");
        host.deleteContents(d + "/sub");

        assertThat(Files.readString(dir.resolve("target"))).isEqualTo("new\n");
        assertThat(host.commands()).as("every operation ran a command").hasSizeGreaterThanOrEqualTo(13);
        assertThat(PosixAudit.commandFindings(host.commands())).as("forms outside POSIX.1-2017").isEmpty();
    }

    @Test
    void theCoresScriptsArePosix() {
        assertThat(PosixAudit.scriptFindings(WriteAtomically.SCRIPT)).as(WriteAtomically.SCRIPT).isEmpty();
        assertThat(PosixAudit.scriptFindings(ReadWithMode.SCRIPT)).as(ReadWithMode.SCRIPT).isEmpty();
    }

    @Test
    void theAuditFindsTheGnuFormsItIsThereToFind() {
        assertThat(PosixAudit.findings(List.of("stat", "-L", "-c", "%a", "--", "/f")))
                .containsExactly("stat: not a POSIX utility");
        assertThat(PosixAudit.findings(List.of("runuser", "-u", "postgres", "--", "id")))
                .containsExactly("runuser: not a POSIX utility");
        assertThat(PosixAudit.findings(List.of("find", "/d", "-mindepth", "1", "-delete")))
                .contains("find -mindepth: not a POSIX primary", "find -delete: not a POSIX primary");
        assertThat(PosixAudit.findings(List.of("find", "/d", "-maxdepth", "0", "-perm", "0700")))
                .contains("find -maxdepth: not a POSIX primary");
        assertThat(PosixAudit.findings(List.of("ls", "--color=never", "/d")))
                .containsExactly("ls --color=never: a long option (POSIX has none)");
        assertThat(PosixAudit.findings(List.of("cp", "-a", "-T", "/a", "/b")))
                .containsExactly("cp -a: not a POSIX option of cp", "cp -T: not a POSIX option of cp");
        assertThat(PosixAudit.scriptFindings("set -e; t=$(readlink -f -- \"$1\" && echo .); tmp=$(mktemp);"
                + " dd of=\"$tmp\" status=none; trap 'install -m 0600 /dev/null \"$tmp\"' EXIT"))
                .containsExactlyInAnyOrder("readlink: not a POSIX utility", "mktemp: not a POSIX utility",
                        "dd status=none: not a POSIX operand", "install: not a POSIX utility");
        assertThat(PosixAudit.findings(List.of("sh", "-c", "stat -L -c %a -- \"$1\" && exec cat -- \"$1\"", "sh",
                "/f"))).as("inside sh -c too").containsExactly("stat: not a POSIX utility");
        assertThat(PosixAudit.findings(List.of("chown", "postgres:", "--", "/d")))
                .containsExactly("chown postgres:: POSIX takes OWNER[:GROUP], an empty group is an extension");
        assertThat(PosixAudit.findings(List.of("chown", "postgres:postgres", "--", "/d"))).isEmpty();
        assertThat(PosixAudit.findings(List.of("mkdir", "-p", "-m", "0700", "--", "/d"))).isEmpty();
        assertThat(PosixAudit.findings(List.of("pg_ctl", "-D", "/d", "--wait", "start")))
                .as("PostgreSQL's programs are required, not POSIX").isEmpty();
    }
}
