package io.github.pgreplication.pgbackrest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The probe's output is cut into its parts exactly: files keep their last newline or its absence. */
class StandbyProbeTest {
    private static final String B = "--pgreplication-probe-0123";

    @Test
    void partsAreCutExactlyAndFilesKeepTheirOwnNewlines() {
        String out = B + " file 1 0\n" + B + " file 2 2\n" + B + " user\npostgres\n"
                + B + " home\n/var/lib/postgresql/\n"
                + B + " key\nssh-ed25519 AAAA k\n\n"
                + B + " known_hosts\n\n" + B + " config\n[global]\nrepo1-host=eshua\n\n" + B + " version 0\n"
                + "pgBackRest 2.55.1\n" + B + " ssh 0\nWarning: 10.0.0.2 is 1.2.3\npgBackRest 2.55.1\n" + B + " end\n";
        StandbyProbe.Result r = StandbyProbe.parse(B, out);
        assertThat(r.user()).isEqualTo("postgres");
        assertThat(r.sshDir()).contains("/var/lib/postgresql/.ssh");
        assertThat(r.publicKey()).contains("ssh-ed25519 AAAA k");
        assertThat(r.knownHosts()).as("an empty file is there, empty").contains("");
        assertThat(r.config()).as("the file's own last newline kept").contains("[global]\nrepo1-host=eshua\n");
        assertThat(r.localVersion()).contains("pgBackRest 2.55.1");
        assertThat(r.connected()).isTrue();
        assertThat(r.remoteVersion()).as("the version line, not the numbers of a warning")
                .contains("pgBackRest 2.55.1");
        assertThat(r.files()).containsExactly(StandbyProbe.READABLE, StandbyProbe.MISSING);
        assertThat(r.certificate()).isEmpty();
    }

    @Test
    void aFileWithoutItsLastNewlineAndMissingPartsAreToldApart() {
        String out = B + " user\npostgres\n" + B + " home\n/home/pg\n" + B + " config\nno newline\n" + B
                + " version 127\nsh: 1: pgbackrest: not found\n" + B + " ssh 255\nPermission denied (publickey).\n"
                + B + " end\n";
        StandbyProbe.Result r = StandbyProbe.parse(B, out);
        assertThat(r.config()).contains("no newline");
        assertThat(r.publicKey()).as("no key pair").isEmpty();
        assertThat(r.knownHosts()).isEmpty();
        assertThat(r.localVersion()).as("pgbackrest version failed").isEmpty();
        assertThat(r.connected()).as("ssh's own 255").isFalse();
        assertThat(r.remoteVersion()).isEqualTo(Optional.empty());
    }

    @Test
    void outputCutShortIsRefused() {
        assertThatThrownBy(() -> StandbyProbe.parse(B, B + " user\npostgres\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cut short");
    }

    @Test
    void valuesAreArgumentsOfAConstantScript() {
        StandbyProbe.Probe p = StandbyProbe.command("/etc/pgbackrest.conf", "pgbackrest", List.of("ssh", "--", "x"));
        List<String> argv = p.command().argv();
        assertThat(argv.subList(0, 4)).containsExactly("sh", "-c", StandbyProbe.SCRIPT, "sh");
        assertThat(argv.subList(4, argv.size())).containsExactly(p.boundary(), "/etc/pgbackrest.conf", "pgbackrest",
                "", "0", "ssh", "--", "x");
        assertThat(StandbyProbe.command(null, "pgbackrest", "/c.crt", List.of("/ca.crt", "/c.crt", "/c.key"),
                List.of()).command().argv().subList(5, 11)).containsExactly("", "pgbackrest", "/c.crt", "3", "/ca.crt",
                "/c.crt");
        assertThat(StandbyProbe.SCRIPT).as("never the private key").doesNotContain("cat -- \"$k\";")
                .contains("cat -- \"$k.pub\"");
        assertThat(StandbyProbe.command(null, "pgbackrest", List.of()).boundary()).as("random per run")
                .isNotEqualTo(p.boundary());
        assertThat(p.command().outputLogged()).as("it prints pgbackrest.conf, which may hold credentials").isFalse();
    }
}
