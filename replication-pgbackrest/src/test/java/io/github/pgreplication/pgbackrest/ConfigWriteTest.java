package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Secret;
import io.github.pgreplication.internal.WriteAtomically;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigWriteTest {
    private static PgBackRestConfig config(Secret key) {
        PgBackRestConfig.Builder b = PgBackRestConfig.builder();
        if (key != null) {
            b.repository(Repository.s3("bucket", "s3.example.com", "r", key, key));
        }
        return b.addStanza(StanzaSection.named("psql").withPgPath("/data")).build();
    }

    @Test
    void writesAtomicallyWithModeAndTheSecretOnlyOnStandardInput() {
        FakeHost host = FakeHost.postgres("eshua");
        host.dirs.add("/var/lib/postgresql");
        PgBackRestConfig c = config(Secret.of("top-secret-key"));

        assertThat(c.writeTo(host, "/var/lib/postgresql/pgbackrest.conf")).isTrue();

        assertThat(host.files.get("/var/lib/postgresql/pgbackrest.conf")).isEqualTo(c.toIni());
        assertThat(host.modes.get("/var/lib/postgresql/pgbackrest.conf")).isEqualTo("0600");
        assertThat(host.argvs()).as("argv never carries the secret")
                .allSatisfy(argv -> assertThat(String.join(" ", argv)).doesNotContain("top-secret-key"));
        assertThat(host.argvs()).as("written atomically, in one command")
                .filteredOn(FakeHost::isAtomicWrite)
                .extracting(a -> a.subList(4, 6))
                .containsExactly(List.of("/var/lib/postgresql/pgbackrest.conf", "0600"));
    }

    @Test
    void secondWriteChangesNothing() {
        FakeHost host = FakeHost.postgres("eshua");
        PgBackRestConfig c = config(null);
        assertThat(c.writeTo(host, "/tmp/pgbackrest.conf")).isTrue();
        int before = host.commands.size();
        assertThat(c.writeTo(host, "/tmp/pgbackrest.conf")).as("same content").isFalse();
        assertThat(host.argvs().subList(before, host.commands.size()))
                .noneMatch(a -> FakeHost.isInPlaceWrite(a) || FakeHost.isAtomicWrite(a));
    }

    @Test
    void aLinkIsJudgedByTheDirectoryOfTheFileItPointsTo() {
        FakeHost host = FakeHost.postgres("eshua");
        String old = "[global]\nrepo1-path=/var/lib/pgbackrest\n";
        // /etc/pgbackrest.conf -> /etc/pgbackrest/pgbackrest.conf: /etc is writable, the link's target directory is not.
        host.file("/etc/pgbackrest.conf", old).file("/etc/pgbackrest/pgbackrest.conf", old);
        host.dirs.add("/etc/pgbackrest");
        host.readOnly.add("/etc/pgbackrest");
        host.on(WriteAtomically.follow("/etc/pgbackrest.conf").argv(),
                c -> FakeHost.ok("/etc/pgbackrest/pgbackrest.conf\n"));
        PgBackRestConfig c = config(null);

        assertThat(c.writeTo(host)).isTrue();

        assertThat(host.files.get("/etc/pgbackrest/pgbackrest.conf")).isEqualTo(c.toIni());
        assertThat(host.argvs()).as("rewritten in place, through the link's target")
                .filteredOn(FakeHost::isInPlaceWrite).extracting(a -> a.subList(4, 7))
                .containsExactly(List.of("/etc/pgbackrest/pgbackrest.conf", "0640", Integer.toString(c.toIni()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8).length)));
        assertThat(host.argvs()).noneMatch(FakeHost::isAtomicWrite);
    }

    @Test
    void rewritesDebiansFileInPlaceWhenEtcIsNotWritable() {
        FakeHost host = FakeHost.postgres("eshua");
        host.file("/etc/pgbackrest.conf", "[global]\nrepo1-path=/var/lib/pgbackrest\n");
        host.readOnly.add("/etc");
        PgBackRestConfig c = config(null);

        assertThat(c.writeTo(host)).isTrue();

        assertThat(host.files.get("/etc/pgbackrest.conf")).isEqualTo(c.toIni());
        assertThat(host.argvs()).as("one command: the content staged, checked against its length, copied over")
                .filteredOn(FakeHost::isInPlaceWrite).extracting(a -> a.subList(4, 6))
                .containsExactly(List.of("/etc/pgbackrest.conf", "0640"));
        assertThat(host.argvs()).noneMatch(FakeHost::isAtomicWrite)
                .allSatisfy(a -> assertThat(a.get(0)).as("nothing writes the file unchecked").isNotIn("dd", "chmod"));
    }

    @Test
    void createsAMissingDirectory() {
        FakeHost host = FakeHost.postgres("eshua");
        config(null).writeTo(host, "/srv/pgbackrest/conf/pgbackrest.conf");
        assertThat(host.argvs()).contains(List.of("mkdir", "-p", "-m", "0750", "--", "/srv/pgbackrest/conf"));
    }
}
