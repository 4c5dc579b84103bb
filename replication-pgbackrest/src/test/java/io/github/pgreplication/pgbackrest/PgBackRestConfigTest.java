package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Secret;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgBackRestConfigTest {
    private static final String S3_KEY = "AKIAEXAMPLEKEY";
    private static final String S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** The primary's file from the runbook, section 2. */
    private static PgBackRestConfig runbookPrimary() {
        return PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .processMax(4)
                .logPath("/var/log/pgbackrest")
                .addStanza(StanzaSection.named("psql").withPgPath("/var/lib/postgresql/15/main").withPgPort(5432))
                .build();
    }

    @Test
    void rendersTheRunbookPrimaryFile() {
        assertThat(runbookPrimary().toIni()).isEqualTo("""
                # pgBackRest configuration written by pgreplication: edits here are replaced when it is written again.

                [global]
                repo1-type=posix
                repo1-path=/var/lib/pgbackrest
                repo1-retention-full=2
                process-max=4
                log-path=/var/log/pgbackrest

                [psql]
                pg1-path=/var/lib/postgresql/15/main
                pg1-port=5432
                """);
    }

    @Test
    void rendersAStandbyThatReachesTheRepositoryOverSsh() {
        PgBackRestConfig standby = PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("eshua.ghelew.ch").withPort(2222)
                        .withConfigPath("/etc/pgbackrest/pgbackrest.conf").withCommand("/usr/bin/pgbackrest"))
                .addStanza(StanzaSection.named("psql").withPgPath("/var/lib/postgresql/data"))
                .build();
        assertThat(standby.toIni()).contains("""
                [global]
                repo1-host=eshua.ghelew.ch
                repo1-host-user=postgres
                repo1-host-port=2222
                repo1-host-config=/etc/pgbackrest/pgbackrest.conf
                repo1-host-cmd=/usr/bin/pgbackrest

                [psql]
                pg1-path=/var/lib/postgresql/data
                """);
    }

    @Test
    void defaultSshPortIsNotWritten() {
        PgBackRestConfig c = PgBackRestConfig.builder().repositoryHost(RepositoryHost.at("eshua"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build();
        assertThat(c.toIni()).contains("repo1-host=eshua\nrepo1-host-user=postgres\n").doesNotContain("port");
    }

    @Test
    void rendersGlobalOptionsCompressionStartFastAsyncArchivingAndSocket() {
        PgBackRestConfig c = PgBackRestConfig.builder()
                .repository(Repository.posix("/srv/repo"))
                .compressType(PgBackRestConfig.CompressType.LZ4)
                .startFast(true)
                .archiveAsync("/var/spool/pgbackrest")
                .globalOption("lock-path", "/tmp/pgbackrest-lock")
                .addStanza(StanzaSection.named("main").withPgPath("/data").withPgSocketPath("/var/run/postgresql")
                        .withOption("pg1-user", "backup"))
                .build();
        assertThat(c.toIni()).contains("compress-type=lz4\nstart-fast=y\narchive-async=y\n"
                + "spool-path=/var/spool/pgbackrest\nlock-path=/tmp/pgbackrest-lock\n")
                .contains("[main]\npg1-path=/data\npg1-socket-path=/var/run/postgresql\npg1-user=backup\n");
    }

    @Test
    void rendersSeveralStanzasInOrder() {
        PgBackRestConfig c = PgBackRestConfig.builder().repository(Repository.posix("/r"))
                .addStanza(StanzaSection.named("b").withPgPath("/b"))
                .addStanza(StanzaSection.named("a").withPgPath("/a").withPgPort(5433)).build();
        assertThat(c.toIni()).containsSubsequence("[b]\npg1-path=/b\n", "[a]\npg1-path=/a\npg1-port=5433\n");
        assertThat(c.stanza("a")).map(StanzaSection::pgPort).contains(5433);
    }

    private static PgBackRestConfig s3() {
        return PgBackRestConfig.builder()
                .repository(Repository.s3("pg-backups", "s3.eu-central-1.amazonaws.com", "eu-central-1",
                        Secret.of(S3_KEY), Secret.of(S3_SECRET)).withPath("/eshua").withS3UriStyle("path")
                        .withCipher(Secret.of("cipher-pass-123")))
                .addStanza(StanzaSection.named("psql").withPgPath("/data"))
                .build();
    }

    @Test
    void s3SecretsAreInTheFileOnly() {
        PgBackRestConfig c = s3();
        assertThat(c.toIni()).contains("repo1-type=s3\nrepo1-path=/eshua\nrepo1-s3-bucket=pg-backups\n"
                + "repo1-s3-endpoint=s3.eu-central-1.amazonaws.com\nrepo1-s3-region=eu-central-1\n")
                .contains("repo1-s3-key=" + S3_KEY).contains("repo1-s3-key-secret=" + S3_SECRET)
                .contains("repo1-cipher-type=aes-256-cbc").contains("repo1-cipher-pass=cipher-pass-123");
        assertThat(c.toString()).as("toString is for logs").contains("repo1-s3-key=****")
                .contains("repo1-s3-key-secret=****").contains("repo1-cipher-pass=****")
                .doesNotContain(S3_KEY).doesNotContain(S3_SECRET).doesNotContain("cipher-pass-123");
        assertThat(c.toRedactedIni()).isEqualTo(c.toString());
        assertThat(String.join("\n", c.runbook("/etc/pgbackrest.conf"))).doesNotContain(S3_SECRET);
        assertThat(c.repository().orElseThrow().toString()).doesNotContain(S3_SECRET).doesNotContain(S3_KEY);
    }

    @Test
    void fileWithSecretsIsPrivate() {
        assertThat(s3().fileMode()).isEqualTo("0600");
        assertThat(runbookPrimary().fileMode()).isEqualTo("0640");
    }

    @Test
    void rendersSftpRepository() {
        PgBackRestConfig c = PgBackRestConfig.builder()
                .repository(Repository.sftp("backup.example.com", "pgbackrest", "/var/lib/postgresql/.ssh/id_sftp")
                        .withPath("/srv/pgbackrest").withSftpPort(2222)
                        .withSftpKnownHostsFile("/var/lib/postgresql/.ssh/known_hosts"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build();
        assertThat(c.toIni()).contains("repo1-type=sftp\nrepo1-path=/srv/pgbackrest\n"
                + "repo1-sftp-host=backup.example.com\nrepo1-sftp-host-user=pgbackrest\n"
                + "repo1-sftp-private-key-file=/var/lib/postgresql/.ssh/id_sftp\nrepo1-sftp-host-port=2222\n"
                + "repo1-sftp-known-host=/var/lib/postgresql/.ssh/known_hosts\n");
    }

    @Test
    void equalConfigsRenderEqualText() {
        assertThat(runbookPrimary()).isEqualTo(runbookPrimary()).hasSameHashCodeAs(runbookPrimary());
        assertThat(runbookPrimary().toBuilder().processMax(2).build()).isNotEqualTo(runbookPrimary());
    }

    @Test
    void reportsEveryProblemAtOnceWithValueRuleAndFix() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repository(Repository.posix("var/lib/pgbackrest").withRetentionFull(0))
                .processMax(0)
                .logPath("log")
                .addStanza(StanzaSection.named("my stanza").withPgPath("data").withPgPort(70000))
                .build())
                .satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("Invalid pgBackRest configuration: 7 problems")
                .hasMessageContaining("1. repo1-path 'var/lib/pgbackrest': must be an absolute path")
                .hasMessageContaining("repo1-retention-full 0: must be between 1 and 9999999")
                .hasMessageContaining("process-max 0: must be between 1 and 999. Use at least 1")
                .hasMessageContaining("log-path 'log': must be an absolute path")
                .hasMessageContaining("stanza name 'my stanza': stanza names use letters, digits, '_', '-' and '.'")
                .hasMessageContaining("Try 'my_stanza'")
                .hasMessageContaining("stanza 'my stanza' pg1-path 'data': must be an absolute path")
                .hasMessageContaining("pg1-port 70000: must be between 1 and 65535");
    }

    @Test
    void problemsAreAvailableAsRecords() {
        PgBackRestException e = org.junit.jupiter.api.Assertions.assertThrows(
                PgBackRestException.class, () -> PgBackRestConfig.builder().build());
        assertThat(e.kind()).isEqualTo(Kind.INVALID_CONFIG);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("the configuration");
            assertThat(p.rule()).isEqualTo("has no stanza section");
            assertThat(p.fix()).contains("StanzaSection.named(\"main\")");
        });
    }

    @Test
    void stanzaNamedGlobalIsRefused() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .addStanza(StanzaSection.named("global").withPgPath("/data")).build())
                .hasMessageContaining("stanza name 'global': 'global' is pgBackRest's section for options shared")
                .hasMessageContaining("Try 'main'");
    }

    @Test
    void stanzaNeedsPgPathAndIsUnique() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .addStanza(StanzaSection.named("psql"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("stanza 'psql' pg1-path: is required")
                .hasMessageContaining("Add .withPgPath(")
                .hasMessageContaining("stanza 'psql': is defined twice");
    }

    @Test
    void s3OptionsAreChecked() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repository(Repository.s3("Bad_Bucket", "https://s3.amazonaws.com", "", Secret.of(""),
                        Secret.none()))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("repo1-s3-bucket 'Bad_Bucket': S3 bucket names have 3 to 63 lower-case")
                .hasMessageContaining("repo1-s3-endpoint 'https://s3.amazonaws.com': must be a host name without"
                        + " scheme")
                .hasMessageContaining("repo1-s3-region '': must not be empty")
                .hasMessageContaining("repo1-s3-key: must be set")
                .hasMessageContaining("repo1-s3-key-secret: must be set")
                .hasMessageContaining("Secret.of(System.getenv(\"S3_KEY_SECRET\"))");
    }

    @Test
    void sftpOptionsAreChecked() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repository(Repository.sftp("", "", "id_rsa"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("repo1-sftp-host '': must not be empty")
                .hasMessageContaining("repo1-sftp-host-user '': must not be empty")
                .hasMessageContaining("repo1-sftp-private-key-file 'id_rsa': must be an absolute path");
    }

    @Test
    void repositoryHostIsChecked() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("postgres@eshua").withUser("bad user").withPort(0)
                        .withConfigPath("pgbackrest.conf"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("repo1-host 'postgres@eshua': must be a host name or IP address (no user@")
                .hasMessageContaining(".withUser(\"postgres\")")
                .hasMessageContaining("repo1-host-user 'bad user'")
                .hasMessageContaining("repo1-host-port 0: must be between 1 and 65535")
                .hasMessageContaining("repo1-host-config 'pgbackrest.conf': must be an absolute path")
                .hasMessageContaining("Give the file's absolute path: .withConfigPath(\"/etc/pgbackrest.conf\")");
    }

    @Test
    void theRepositoryHostsConfigPathIsCheckedOverTlsAsOverSsh() {
        String injected = "/etc/pgbackrest/pgbackrest.conf\n[global:archive-get]\nrepo1-host=evil.example";
        for (RepositoryHost h : List.of(RepositoryHost.at("eshua").withConfigPath(injected),
                RepositoryHost.at("eshua").withConfigPath(injected)
                        .withTls("/etc/pgbackrest/ca.crt", "/etc/pgbackrest/eshub.crt", "/etc/pgbackrest/eshub.key"),
                RepositoryHost.at("eshua").withConfigPath("../pgbackrest.conf")
                        .withTls("/etc/pgbackrest/ca.crt", "/etc/pgbackrest/eshub.crt", "/etc/pgbackrest/eshub.key"))) {
            assertThatThrownBy(() -> PgBackRestConfig.builder().repositoryHost(h)
                    .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                    .as(h.toString())
                    .hasMessageContaining("repo1-host-config '")
                    .hasMessageContaining("Give the file's absolute path: .withConfigPath(\"/etc/pgbackrest.conf\")")
                    .hasMessageNotContaining("\n[global:archive-get]");
        }
    }

    @Test
    void repositoryHostCannotLookLikeAnOption() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("-oProxyCommand=touch"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("repo1-host '-oProxyCommand=touch'").hasMessageContaining("leading '-'");
    }

    @Test
    void escapeHatchRefusesSecretsLineBreaksBadNamesAndDuplicates() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repository(Repository.posix("/r").withOption("cipher-pass", "plain"))
                .processMax(2)
                .globalOption("process-max", "3")
                .globalOption("Log_Level", "info")
                .globalOption("log-level-file", "info\nrepo1-path=/elsewhere")
                .addStanza(StanzaSection.named("psql").withPgPath("/data").withOption("pg1-path", "/other"))
                .build())
                .hasMessageContaining("repo1-cipher-pass: is a secret given as plain text")
                .hasMessageContaining("Repository.s3(...), .withCipher(Secret)")
                .hasMessageContaining("[global] option process-max: is also set by a typed method")
                .hasMessageContaining("[global] option Log_Level 'Log_Level': option names use lower-case letters")
                .hasMessageContaining("[global] option log-level-file value: must not contain line breaks or NUL")
                .hasMessageContaining("stanza 'psql' option pg1-path: is also set by a typed method");
    }

    @Test
    void valuesWithLineBreaksAreRefusedEverywhere() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .addStanza(StanzaSection.named("psql").withPgPath("/data\n[global]")).build())
                .hasMessageContaining("stanza 'psql' pg1-path value: must not contain line breaks or NUL")
                .hasMessageContaining("(a line break would start a new option)");
    }

    @Test
    void runbookWritesTheFileWithItsMode() {
        List<String> lines = runbookPrimary().runbook("/etc/pgbackrest.conf");
        assertThat(lines.get(0)).isEqualTo("install -m 0640 /dev/null /etc/pgbackrest.conf");
        assertThat(lines.get(1)).isEqualTo("cat > /etc/pgbackrest.conf <<'EOF'");
        assertThat(lines).contains("repo1-path=/var/lib/pgbackrest").endsWith("EOF");
    }

    @Test
    void compressionLevelIsWrittenAfterTheTypeAndCheckedAgainstItsRange() {
        PgBackRestConfig zst = PgBackRestConfig.builder().repository(Repository.posix("/srv/repo"))
                .compressType(PgBackRestConfig.CompressType.ZST).compressLevel(6)
                .addStanza(StanzaSection.named("main").withPgPath("/data")).build();
        assertThat(zst.toIni()).contains("compress-type=zst\ncompress-level=6\n");
        assertThat(zst.compressLevel()).contains(6);
        assertThat(zst.toBuilder().build().compressLevel()).as("kept by toBuilder").contains(6);

        assertThatThrownBy(() -> PgBackRestConfig.builder().repository(Repository.posix("/srv/repo"))
                .compressType(PgBackRestConfig.CompressType.ZST).compressLevel(23)
                .addStanza(StanzaSection.named("main").withPgPath("/data")).build())
                .satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("compress-level 23: must be between -7 and 22 with compress-type=zst"
                        + " (pgBackRest refuses it). Use e.g. .compressLevel(3), pgBackRest's default for zst");
        assertThatThrownBy(() -> PgBackRestConfig.builder().repository(Repository.posix("/srv/repo"))
                .compressLevel(10).addStanza(StanzaSection.named("main").withPgPath("/data")).build())
                .as("gz when no type is set")
                .hasMessageContaining("compress-level 10: must be between -1 and 9 with compress-type=gz (the"
                        + " default) (pgBackRest refuses it). Use e.g. .compressLevel(6), pgBackRest's default for gz");
        assertThatThrownBy(() -> PgBackRestConfig.builder().repository(Repository.posix("/srv/repo"))
                .compressType(PgBackRestConfig.CompressType.NONE).compressLevel(3)
                .addStanza(StanzaSection.named("main").withPgPath("/data")).build())
                .hasMessageContaining("compress-level 3: has no effect with compress-type=none. Remove"
                        + " .compressLevel(...), or compress: .compressType(CompressType.ZST).compressLevel(3)");
        assertThat(PgBackRestConfig.CompressType.LZ4.minLevel()).isEqualTo(-5);
        assertThat(PgBackRestConfig.CompressType.LZ4.maxLevel()).isEqualTo(12);
    }
}
