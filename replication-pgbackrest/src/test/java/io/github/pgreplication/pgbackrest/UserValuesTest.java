package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Secret;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the user types reaches pgBackRest's arguments, its configuration file and the library's messages only once
 * checked: a configuration path pgBackRest or the host would read otherwise than meant is refused before anything
 * runs, a recovery option pgBackRest would copy unescaped into postgresql.auto.conf is refused, and every message
 * that shows a refused value shows it on one line.
 */
class UserValuesTest {

    private static final String CONF = "/var/lib/postgresql/pgbackrest.conf";

    @ParameterizedTest
    @ValueSource(strings = {"pgbackrest.conf", "/etc/pgbackrest/../shadow", "/etc/pgbackrest/", "/etc",
        "/etc/pgbackrest.conf\n--repo1-path=/elsewhere", "/.", "/usr/bin/pgbackrest", "/dev/sda", "/etc/passwd",
        "/etc/ssh/sshd_config"})
    void aConfigPathThatNamesNoFileIsRefusedByEveryEntryPoint(String path) {
        FakeHost host = FakeHost.postgres("eshua");
        PgBackRestConfig config = PgBackRestConfig.builder().repository(Repository.posix("/var/lib/pgbackrest"))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build();
        List<Runnable> entries = List.of(
                () -> PgBackRest.on(host, "psql").withConfigPath(path),
                () -> PgBackRestRestore.using("psql").withConfigPath(path),
                () -> PgBackRestRestore.from(RepositoryHost.at("eshua"), "psql").withConfigPath(path),
                () -> config.writeTo(host, path));
        for (Runnable entry : entries) {
            assertThatThrownBy(entry::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("config path '")
                    .hasMessageContaining("e.g. " + CONF)
                    .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
        }
        assertThat(host.programs()).as("nothing ran on the host").isEmpty();
    }

    @Test
    void eachConfigPathRuleIsNamed() {
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/etc/../x.conf"))
                .hasMessage("config path '/etc/../x.conf': must not contain '..' segments: the host resolves them"
                        + " through symbolic links, so the library cannot tell which directory is meant. Give the"
                        + " file's absolute path, e.g. " + CONF);
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/etc/pgbackrest/"))
                .hasMessageContaining("'/etc/pgbackrest/': must name a file, not a directory (it ends with '/')");
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/etc"))
                .hasMessageContaining("config path '/etc': /etc is a system directory, not a file");
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/usr/bin/x"))
                .hasMessageContaining("'/usr/bin/x': must not be inside the system directory /usr/bin");
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/etc/passwd"))
                .hasMessageContaining("'/etc/passwd': must not be inside /etc except at pgBackRest's own places");
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("/a\nb"))
                .hasMessageContaining("config path '/a\\nb': must not contain line breaks or NUL");
    }

    @Test
    void pgBackRestsUsualPlacesStayAllowed() {
        for (String path : List.of("/etc/pgbackrest.conf", "/etc/pgbackrest/pgbackrest.conf",
                "/etc/pgbackrest/conf.d/archive.conf", CONF,
                "/srv/my conf/pgbackrest.conf")) {
            assertThat(PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath(path).configPath())
                    .contains(path);
            assertThat(PgBackRestRestore.using("psql").withConfigPath(path)).isNotNull();
        }
        assertThat(PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath(null).configPath())
                .as("null keeps pgBackRest's default").isEmpty();
    }

    @Test
    void aStanzaNameWithALineBreakIsShownOnOneLine() {
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql\nINFO: backup done"))
                .hasMessageStartingWith("stanza name 'psql\\nINFO: backup done' is invalid")
                .hasMessageContaining("Try 'psql_INFO__backup_done'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> PgBackRestRestore.using("psql\r"))
                .hasMessageStartingWith("stanza name 'psql\\r' is invalid");
    }

    @Test
    void configurationProblemsShowEveryValueOnOneLine() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repositoryHost(RepositoryHost.at("eshua\nrepo1-path=/x").withUser("post\tgres"))
                .addStanza(StanzaSection.named("a\nb").withPgPath("/data")).build())
                .satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("repo1-host 'eshua\\nrepo1-path=/x'")
                .hasMessageContaining("repo1-host-user 'post\\tgres'")
                .hasMessageContaining("stanza name 'a\\nb'")
                .satisfies(e -> assertThat(e.getMessage().lines())
                        .as("a line per problem, after the heading").noneMatch(l -> l.startsWith("repo1-path")));
    }

    @Test
    void aSecretWithALineBreakIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest")
                        .withCipher(Secret.of("s3cr3t\nrepo1-path=/elsewhere")))
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .satisfies(kind(Kind.INVALID_CONFIG))
                .hasMessageContaining("repo1-cipher-pass: must not contain line breaks or other control characters")
                .hasMessageContaining("Secret.of(Files.readString(file).strip())")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain("elsewhere"));
    }

    @Test
    void aControlCharacterOtherThanALineBreakIsRefusedInAValue() {
        assertThatThrownBy(() -> PgBackRestConfig.builder().globalOption("lock-path", "/tmp/lock\0")
                .addStanza(StanzaSection.named("psql").withPgPath("/data")).build())
                .hasMessageContaining("[global] option lock-path value: must not contain line breaks or NUL");
    }

    @Test
    void aRecoveryOptionPgBackRestWouldCopyUnescapedIsRefused() {
        RestoreOptions o = RestoreOptions.standby("/var/lib/postgresql/17/main");
        for (String value : List.of("host=a' archive_command='rm -rf ~", "a\\b", "host=a\nrestore_command=x",
                "x\0")) {
            assertThatThrownBy(() -> o.withRecoveryOption("primary_conninfo", value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("recovery option primary_conninfo has a quote, a backslash or a control"
                            + " character in its value")
                    .hasMessageContaining("ALTER SYSTEM SET primary_conninfo = '...'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("rm -rf").doesNotContain("\n"));
        }
        assertThatThrownBy(() -> o.withRecoveryOption("primary_slot_name = 'x'\narchive_command", "y"))
                .hasMessageStartingWith("recovery option 'primary_slot_name = 'x'\\narchive_command' is not a"
                        + " setting's name");
        assertThatThrownBy(() -> o.withRecoveryOption("a=b", "y")).hasMessageContaining("is not a setting's name");
        assertThat(o.withRecoveryOption("primary_slot_name", "eshub_slot")
                .withRecoveryOption("my.custom_setting", "on").withRecoveryOption("recovery-target-timeline", "latest")
                .toArguments())
                .contains("--recovery-option=primary_slot_name=eshub_slot",
                        "--recovery-option=my.custom_setting=on", "--recovery-option=recovery-target-timeline=latest");
        assertThatThrownBy(() -> o.withRecoveryOption("-x", "y")).hasMessageContaining("is not a setting's name");
    }

    @Test
    void theRecordsOwnConstructorChecksAsTheBuilderMethodsDo() {
        assertThatThrownBy(() -> new RestoreOptions("/data", null, false, Map.of("a b", "c"), null, List.of()))
                .hasMessageContaining("'a b' is not a setting's name");
        assertThatThrownBy(() -> new RestoreOptions("data", null, false, Map.of(), null, List.of()))
                .hasMessage("--pg1-path 'data': must be an absolute path (the host's path, from its root). Give the"
                        + " data directory's absolute path, e.g. /var/lib/postgresql/17/main");
        assertThatThrownBy(() -> RestoreOptions.into("/srv/../data"))
                .hasMessageContaining("--pg1-path '/srv/../data': must not contain '..' segments");
        assertThatThrownBy(() -> RestoreOptions.into("/"))
                .hasMessageContaining("--pg1-path '/': the root directory cannot be a data directory");
        assertThatThrownBy(() -> RestoreOptions.standby("/etc"))
                .hasMessageContaining("--pg1-path '/etc': /etc is a system directory, which cannot be a data directory");
        assertThatThrownBy(() -> RestoreOptions.standby("/usr/lib/x"))
                .hasMessageContaining("must not be inside the system directory /usr/lib");
        assertThatThrownBy(() -> new RestoreOptions(null, null, false, Map.of(), null, List.of("--set=x\n--delta")))
                .hasMessage("'--set=x\\n--delta' is not an option: write it as one argument --name=value, without line"
                        + " breaks or other control characters");
        assertThatThrownBy(() -> RestoreOptions.into("/d").withOption("set=x"))
                .hasMessageContaining("'set=x' is not an option");
    }

    @Test
    void parsersShowWhatTheyCouldNotReadOnOneLine() {
        assertThatThrownBy(() -> BackupType.parse("full\nERROR"))
                .hasMessageStartingWith("'full\\nERROR' is not a pgBackRest backup type");
        assertThatThrownBy(() -> PgBackRest.Version.parse("no\nversion"))
                .hasMessageStartingWith("'no\\nversion' holds no pgBackRest version");
    }
}
