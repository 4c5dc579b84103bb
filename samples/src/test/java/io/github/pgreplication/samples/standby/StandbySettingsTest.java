package io.github.pgreplication.samples.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbook's variables, their defaults, and every bad one named. */
class StandbySettingsTest {
    @Test
    void theRunbooksDefaults() {
        StandbySettings s = StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db.example.com"));
        assertThat(s.stanza()).isEqualTo("psql");
        assertThat(s.primaryUser()).isEqualTo("postgres");
        assertThat(s.pgHost()).isEqualTo("postgres_master");
        assertThat(s.pgPort()).isEqualTo(5432);
        assertThat(s.user()).isEqualTo("replicator");
        assertThat(s.password().reveal()).contains("replication");
        assertThat(s.name()).isEqualTo("slave");
        assertThat(s.sshPort()).isEqualTo(22);
        assertThat(s.knownHosts()).isNull();
        assertThat(s.toString()).contains("PG_REPLICATION_PASSWORD=****").doesNotContain("=replication ");
    }

    @Test
    void everyBadVariableIsNamedAtOnce() {
        assertThatThrownBy(() -> StandbySettings.from(Map.of("PG_PRIMARY_PORT", "54x2", "PG_SLAVE_NAME", "my-slave",
                "BACKREST_STANZA", "", "BACKREST_PRIMARY_KNOWN_HOSTS", "not a key")))
                .isInstanceOf(StandbySettings.Invalid.class)
                .hasMessageContaining("5 problem(s)")
                .hasMessageContaining("1. BACKREST_PRIMARY_HOST is required and not set")
                .hasMessageContaining("BACKREST_STANZA is set but empty: unset it to use the default 'psql'")
                .hasMessageContaining("PG_PRIMARY_PORT='54x2' is malformed: a TCP port is a number from 1 to 65535")
                .hasMessageContaining("PG_SLAVE_NAME='my-slave' is malformed: expected 1 to 63 letters, digits or _")
                .hasMessageContaining("BACKREST_PRIMARY_KNOWN_HOSTS is not a known_hosts line");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db example")))
                .hasMessageContaining("BACKREST_PRIMARY_HOST='db example' is malformed");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db", "PG_PRIMARY_PORT",
                "70000"))).hasMessageContaining("PG_PRIMARY_PORT='70000' is malformed");
    }

    @Test
    void tlsToTheRepositoryInsteadOfSshFromThreeMountedFiles() {
        StandbySettings s = StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db.example.com",
                "BACKREST_TLS_CA_FILE", "/run/secrets/ca.crt", "BACKREST_TLS_CERT_FILE", "/run/secrets/s1.crt",
                "BACKREST_TLS_KEY_FILE", "/run/secrets/s1.key"));
        assertThat(s.tls()).isNotNull();
        assertThat(s.repositoryHost().isTls()).isTrue();
        assertThat(s.repositoryHost().port()).as("pgBackRest's TLS port by default").isEqualTo(8432);
        assertThat(s.repositoryHost().tls().keyFile()).isEqualTo("/run/secrets/s1.key");
        assertThat(s.toString()).contains("BACKREST_TLS_CERT_FILE=/run/secrets/s1.crt", "BACKREST_TLS_PORT=8432")
                .doesNotContain("BACKREST_PRIMARY_USER");
        assertThat(StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db", "BACKREST_TLS_CA_FILE", "/c",
                "BACKREST_TLS_CERT_FILE", "/s", "BACKREST_TLS_KEY_FILE", "/k", "BACKREST_TLS_PORT", "9443"))
                .repositoryHost().port()).isEqualTo(9443);
        assertThat(StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db")).repositoryHost().isTls())
                .as("without the TLS variables: SSH, as the runbook").isFalse();
    }

    @Test
    void tlsVariablesComeAllThreeAbsoluteAndNotWithSshOnes() {
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "BACKREST_TLS_CERT_FILE", "s1.crt", "BACKREST_TLS_KEY_FILE", "", "BACKREST_PRIMARY_SSH_PORT", "2222")))
                .isInstanceOf(StandbySettings.Invalid.class)
                .hasMessageContaining("3 problem(s)")
                .hasMessageContaining("1. BACKREST_TLS_CA_FILE is not set, but TLS to the repository host needs all"
                        + " of BACKREST_TLS_CA_FILE, BACKREST_TLS_CERT_FILE, BACKREST_TLS_KEY_FILE")
                .hasMessageContaining("2. BACKREST_TLS_CERT_FILE='s1.crt' is malformed: expected an absolute path"
                        + " in the container, e.g. /run/secrets/standby.crt")
                .hasMessageContaining("3. BACKREST_TLS_KEY_FILE is empty");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "BACKREST_TLS_CA_FILE", "/c", "BACKREST_TLS_CERT_FILE", "/s", "BACKREST_TLS_KEY_FILE", "/k",
                "BACKREST_PRIMARY_KNOWN_HOSTS", "db ssh-ed25519 AAAA")))
                .hasMessageContaining("BACKREST_PRIMARY_KNOWN_HOSTS is an SSH setting, but BACKREST_TLS_* choose"
                        + " pgBackRest's TLS server");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "BACKREST_TLS_PORT", "8432")))
                .hasMessageContaining("BACKREST_TLS_PORT is set but TLS is not");
    }

    @Test
    void thePasswordFromAFileForDockerSecrets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\n");
        StandbySettings s = StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "PG_REPLICATION_PASSWORD_FILE", file.toString()));
        assertThat(s.password().reveal()).contains("s3cret");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "PG_REPLICATION_PASSWORD_FILE", dir.resolve("absent").toString())))
                .hasMessageContaining("PG_REPLICATION_PASSWORD_FILE=" + dir.resolve("absent") + " cannot be read");
        assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                "PG_REPLICATION_PASSWORD_FILE", file.toString(), "PG_REPLICATION_PASSWORD", "x")))
                .hasMessageContaining("PG_REPLICATION_PASSWORD and PG_REPLICATION_PASSWORD_FILE are both set");
    }

    @Test
    void aKnownHostsLineOrAPublicKeyLine() {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxW2D5LsUjV4mF0yQyHq9ql2aCq1v0n0bJjzq0M4lqB";
        assertThat(HostKeyPin.keyPart("db.example.com " + key + " root@db")).isEqualTo(key);
        assertThat(HostKeyPin.keyPart(key)).isEqualTo(key);
        assertThat(HostKeyPin.fingerprint(key)).startsWith("ssh-ed25519 SHA256:").hasSize("ssh-ed25519 SHA256:"
                .length() + 43);
        assertThat(StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db", "BACKREST_PRIMARY_KNOWN_HOSTS",
                "db " + key)).knownHosts()).isEqualTo("db " + key);
        assertThat(HostKeyPin.keyPart("ssh-gw.example.com " + key)).as("a host named like a key type")
                .isEqualTo(key);
        assertThat(HostKeyPin.keyPart("[ssh-gw.example.com]:2222 " + key + " root@gw")).isEqualTo(key);
        for (String bad : List.of("db ssh-ed25519 AA=A", "ssh-gw.example.com ssh-ed25519", "db " + key + "\nx " + key)) {
            assertThatThrownBy(() -> StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db",
                    "BACKREST_PRIMARY_KNOWN_HOSTS", bad))).as(bad)
                    .hasMessageContaining("BACKREST_PRIMARY_KNOWN_HOSTS is not a known_hosts line");
        }
        assertThat(HostKeyPin.pattern("db.example.com", 22)).isEqualTo("db.example.com");
        assertThat(HostKeyPin.pattern("db.example.com", 2222)).isEqualTo("[db.example.com]:2222");
    }

    @Test
    void troubleshootingNamesTheRunbooksCases() {
        StandbySettings s = StandbySettings.from(Map.of("BACKREST_PRIMARY_HOST", "db"));
        String stanza = Troubleshooting.explain(new io.github.pgreplication.StepFailedException("clone", java.util
                .List.of(), "Step failed", new PgBackRestException(Kind.STANZA_NOT_FOUND,
                        "stanza 'psql' does not exist")), s);
        assertThat(stanza).contains("TROUBLESHOOTING 2. Erreur \"stanza non trouvé\"")
                .contains("pgbackrest --stanza=psql stanza-create");
        String ssh = Troubleshooting.explain(new PgBackRestException(Kind.SSH_CONNECTION, "Connection refused"), s);
        assertThat(ssh).contains("TROUBLESHOOTING 3. Erreur de connexion SSH")
                .contains("chmod 700 ~/.ssh and chmod 600 ~/.ssh/authorized_keys");
    }
}
