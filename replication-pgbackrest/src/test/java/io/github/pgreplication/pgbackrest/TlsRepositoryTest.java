package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.pgbackrest.PgBackRestConfig.TlsServer;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pgBackRest over its TLS server (issue 22): the standby's repo1-host-type=tls options, the repository host's
 * tls-server options, their validation, and the checks before a restore (files there, CN allowed), on fake hosts.
 */
class TlsRepositoryTest {
    private static final String CA = "/etc/pgbackrest/ca.crt";
    private static final String CERT = "/etc/pgbackrest/eshub.crt";
    private static final String KEY = "/etc/pgbackrest/eshub.key";
    private static final String DATA = "/var/lib/postgresql/data";
    private static final RepositoryHost TLS = RepositoryHost.at("eshua.example").withTls(CA, CERT, KEY);

    private static String certificate() {
        try (InputStream in = TlsRepositoryTest.class.getResourceAsStream("/tls/eshub.crt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CloneContext context(FakeHost standby) {
        return new CloneContext(Standby.named("eshub").withHost(standby).withDataDirectory(DATA),
                Primary.at(Endpoint.of("eshua.example", 5432)), ReplicationRole.named("replicator"), "eshub_slot");
    }

    /** A standby with its three TLS files, pgBackRest 2.55.1, whose restore succeeds. */
    private static FakeHost standby() {
        FakeHost standby = FakeHost.postgres("eshub").file(CA, "ca").file(CERT, certificate()).file(KEY, "key");
        standby.on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.55.1\n"))
                .onContaining("info", c -> ok(Fixtures.info("info-full-diff-incr")
                        .replace("\"name\":\"lab\"", "\"name\":\"psql\"")));
        return standby;
    }

    @Test
    void theStandbyNamesTheTlsServerAndItsFilesAndNoSshOption() {
        PgBackRestConfig c = PgBackRestConfig.builder().repositoryHost(TLS)
                .addStanza(StanzaSection.named("psql").withPgPath(DATA)).build();
        assertThat(c.toIni()).as("port 8432 is pgBackRest's default: not written")
                .contains("[global]\nrepo1-host=eshua.example\nrepo1-host-type=tls\nrepo1-host-ca-file=" + CA
                        + "\nrepo1-host-cert-file=" + CERT + "\nrepo1-host-key-file=" + KEY + "\n")
                .doesNotContain("repo1-host-user", "repo1-host-port");
        assertThat(TLS.port()).isEqualTo(RepositoryHost.TLS_PORT);
        assertThat(TLS.display()).isEqualTo("eshua.example:8432 (TLS)");
        assertThat(RepositoryHost.at("eshua.example").withPort(9000).withTls(CA, CERT, KEY).port())
                .as("a port given stays").isEqualTo(9000);
        assertThat(PgBackRestConfig.builder().repositoryHost(RepositoryHost.at("e").withPort(9000)
                .withTls(CA, CERT, KEY)).addStanza(StanzaSection.named("psql").withPgPath(DATA)).build().toIni())
                .contains("repo1-host-port=9000\n");
    }

    /**
     * Over TLS as over SSH, the process pgBackRest's server starts for a standby reads the configuration file the
     * standby names in {@code repo1-host-config} (measured with pgBackRest 2.55.1: without it the server's child read
     * the default file, found no {@code repo1-path} and reported no backup); so a repository host whose file is
     * elsewhere needs the line.
     */
    @Test
    void aRepositoryConfigurationFileElsewhereIsNamedOverTlsToo() {
        PgBackRestConfig c = PgBackRestConfig.builder()
                .repositoryHost(TLS.withConfigPath("/var/lib/pgbackrest/zst.conf"))
                .addStanza(StanzaSection.named("psql").withPgPath(DATA)).build();
        assertThat(c.toIni()).contains("repo1-host-type=tls\n", "repo1-host-config=/var/lib/pgbackrest/zst.conf\n")
                .doesNotContain("repo1-host-user", "repo1-host-cmd");
    }

    @Test
    void theRepositoryHostGetsItsServerOptionsAndOneAuthLinePerClient() {
        PgBackRestConfig c = PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest"))
                .tlsServer(TlsServer.of("/etc/pgbackrest/server.crt", "/etc/pgbackrest/server.key", CA)
                        .allow("eshub", "psql").allow("backup", "*"))
                .addStanza(StanzaSection.named("psql").withPgPath(DATA)).build();
        assertThat(c.toIni()).contains("tls-server-address=*\ntls-server-cert-file=/etc/pgbackrest/server.crt\n"
                + "tls-server-key-file=/etc/pgbackrest/server.key\ntls-server-ca-file=" + CA + "\n")
                .contains("tls-server-auth=eshub=psql\ntls-server-auth=backup=*\n\n[psql]")
                .doesNotContain("tls-server-port");
        assertThat(c.tlsServer().orElseThrow().allows("eshub", "psql")).isTrue();
        assertThat(c.tlsServer().orElseThrow().allows("eshub", "other")).isFalse();
        assertThat(c.tlsServer().orElseThrow().allows("backup", "other")).as("*: every stanza").isTrue();
    }

    @Test
    void everyTlsProblemIsNumberedWithItsFix() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("eshua").withTls("ca.crt", CERT, CERT))
                .tlsServer(TlsServer.of("/etc/pgbackrest/s.crt", "relative.key", CA).withPort(0)
                        .allow("*", "psql").allow("eshub").allow("eshuc", "bad stanza"))
                .addStanza(StanzaSection.named("psql").withPgPath(DATA)).build())
                .satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("Invalid pgBackRest configuration: 7 problems")
                .hasMessageContaining("1. repo1-host-ca-file 'ca.crt'")
                .hasMessageContaining("Give the file's absolute path: .withTls(\"/etc/pgbackrest/ca.crt\"")
                .hasMessageContaining("repo1-host-key-file '" + CERT + "': is also given as a certificate file")
                .hasMessageContaining("tls-server-port 0: must be between 1 and 65535")
                .hasMessageContaining("tls-server-key-file 'relative.key'")
                .hasMessageContaining("tls-server-auth client CN '*': must be a certificate CN without '*'"
                        + " (pgBackRest allows no wildcard for the CN)")
                .hasMessageContaining("tls-server-auth for 'eshub': names no stanza")
                .hasMessageContaining("tls-server-auth stanza 'bad stanza' for 'eshuc': stanza names use");
        assertThatThrownBy(() -> PgBackRestConfig.builder().tlsServer(TlsServer.of("/s.crt", "/s.key", CA))
                .addStanza(StanzaSection.named("psql").withPgPath(DATA)).build())
                .hasMessageContaining("tls-server-auth: is empty: the server would refuse every client certificate")
                .hasMessageContaining(".allow(\"eshub\", \"main\")");
    }

    @Test
    void theServersStartCommandNamesTheFileItReadsQuotedForTheShell() {
        assertThat(TlsServer.startCommand("/etc/pgbackrest/pgbackrest.conf"))
                .isEqualTo("pgbackrest --config=/etc/pgbackrest/pgbackrest.conf server");
        assertThat(TlsServer.startCommand("/var/lib/pgbackrest/repo host.conf"))
                .isEqualTo("pgbackrest --config='/var/lib/pgbackrest/repo host.conf' server");
        assertThatThrownBy(() -> TlsServer.startCommand("pgbackrest.conf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config path 'pgbackrest.conf'")
                .hasMessageContaining("Give the file's absolute path");
        assertThatThrownBy(() -> TlsServer.startCommand("/etc/passwd"))
                .hasMessageContaining("must not be inside /etc except at pgBackRest's own places");
    }

    @Test
    void aRestoreThroughTheTlsServerChecksTheFilesWritesTheConfigurationAndNeverSsh() {
        FakeHost standby = standby();
        FakeHost repo = FakeHost.postgres("eshua").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.55.1\n"))
                .file("/etc/pgbackrest.conf", "[global]\ntls-server-auth=eshub=psql,other\n");
        PgBackRestRestore r = PgBackRestRestore.from(RepositoryHost.at("eshua.example").withTls(CA, CERT, KEY)
                .withAccess(repo), "psql");

        r.cloneInto(context(standby));

        assertThat(standby.programs()).as("no ssh, no key pair").noneMatch(a -> a.get(0).startsWith("ssh"));
        assertThat(standby.files.get("/etc/pgbackrest.conf")).contains("repo1-host-type=tls");
        assertThat(standby.argvs()).filteredOn(FakeHost::isProbe).singleElement().satisfies(a -> assertThat(a)
                .containsSubsequence(CERT, "3", CA, CERT, KEY));
        List<String> runbook = r.runbook(context(standby));
        assertThat(String.join("\n", runbook)).as("paths, never key content").contains(KEY, CERT, CA)
                .doesNotContain("BEGIN", "ssh-keygen", "known_hosts");
    }

    @Test
    void aRepositoryConfigPathWithALineBreakIsRefusedBeforeAnyCommandOnEitherHost() {
        FakeHost standby = standby();
        FakeHost repo = FakeHost.postgres("eshua");
        PgBackRestRestore r = PgBackRestRestore.from(TLS.withAccess(repo)
                .withConfigPath("/etc/pgbackrest/pgbackrest.conf\n[global:archive-get]\nrepo1-host=evil"), "psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("repo1-host-config '/etc/pgbackrest/pgbackrest.conf");
        assertThat(repo.commands).as("nothing read on the repository host").isEmpty();
        assertThat(standby.files).as("nothing written").doesNotContainKey("/etc/pgbackrest.conf");
    }

    @Test
    void contradictoryRestoreOptionsAreRefusedWhereTheyAreGiven() {
        assertThatThrownBy(() -> PgBackRestRestore.from(TLS, "psql").withSshTrust(SshTrust.to(TLS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is reached through pgBackRest's TLS server")
                .hasMessageContaining("Drop withSshTrust, or drop withTls to restore over SSH");
        assertThat(PgBackRestRestore.from(TLS, "psql").withSshTrust(null)).as("null: no trust step").isNotNull();
        PgBackRestConfig config = PgBackRestConfig.builder().repositoryHost(RepositoryHost.at("eshua"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build();
        assertThatThrownBy(() -> PgBackRestRestore.using("psql").withConfig(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("made with using(\"psql\"), which restores with the standby's configuration"
                        + " as it is and writes none")
                .hasMessageContaining("from(RepositoryHost, \"psql\").withConfig(...)");
        assertThat(PgBackRestRestore.from(RepositoryHost.at("eshua"), "psql").withConfig(config)).isNotNull();
    }

    @Test
    void missingAndUnreadableFilesAreNumberedProblemsBeforeAnythingIsWritten() {
        FakeHost standby = standby();
        standby.files.remove(CA);
        standby.unreadable.add(KEY);
        PgBackRestRestore r = PgBackRestRestore.from(TLS, "psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.TLS_FILES))
                .hasMessageContaining("The standby eshub cannot present its client certificate to the TLS server of"
                        + " eshua.example:8432 (TLS): 2 problems")
                .hasMessageContaining("1. repo1-host-ca-file '" + CA + "': does not exist on eshub")
                .hasMessageContaining("Install it there, owned by postgres with mode 0644")
                .hasMessageContaining("2. repo1-host-key-file '" + KEY + "': cannot be read by postgres")
                .hasMessageContaining("chown postgres " + KEY + " && chmod 0600 " + KEY)
                .satisfies(e -> assertThat(((PgBackRestException) e).problems()).hasSize(2));
        assertThat(standby.files).as("nothing written").doesNotContainKey("/etc/pgbackrest.conf");

        FakeHost notACertificate = standby().file(CERT, "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertThatThrownBy(() -> r.cloneInto(context(notACertificate))).satisfies(kind(Kind.TLS_FILES))
                .hasMessageContaining("repo1-host-cert-file '" + CERT + "': is not a PEM X.509 certificate");
    }

    @Test
    void aCnTheRepositoryHostDoesNotAllowIsRefusedBeforeTheRestoreWithTheLineToAdd() {
        FakeHost standby = standby();
        FakeHost repo = FakeHost.postgres("eshua").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.55.1\n"))
                .file("/etc/pgbackrest/pgbackrest.conf", "[global]\ntls-server-auth=eshuc=psql\n"
                        + "[global:server]\ntls-server-auth=eshub=other\n");
        PgBackRestRestore r = PgBackRestRestore.from(TLS.withAccess(repo), "psql");
        assertThatThrownBy(() -> r.cloneInto(context(standby))).satisfies(kind(Kind.TLS_CLIENT_REFUSED))
                .hasMessageContaining("does not allow the client certificate CN 'eshub' of eshub for stanza 'psql'")
                .hasMessageContaining("its tls-server-auth allows {eshuc=[psql], eshub=[other]}")
                .hasMessageContaining("add the line tls-server-auth=eshub=psql to [global]")
                .hasMessageContaining("restart its pgbackrest server");
        assertThat(standby.programs()).noneMatch(a -> a.contains("restore"));
    }
}
