package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pgreplication.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"pg_basebackup", "-Fp", "--checkpoint=fast", "/var/lib/postgresql/data", "user@host:5432",
            "a,b", "100%", "x+y"})
    void plainArgumentsAreNotQuoted(String arg) {
        assertThat(Command.shellQuote(arg)).isEqualTo(arg);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "a b|'a b'",
            "$HOME|'$HOME'",
            "`id`|'`id`'",
            "a;b|'a;b'",
            "*|'*'",
            "it's|'it'\"'\"'s'",
            "back\\slash|'back\\slash'"})
    void hostileArgumentsAreSingleQuoted(String arg, String expected) {
        assertThat(Command.shellQuote(arg)).isEqualTo(expected);
    }

    @Test
    void emptyArgumentIsQuoted() {
        assertThat(Command.shellQuote("")).as("an empty argument must survive").isEqualTo("''");
    }

    @Test
    void newlineStaysInsideTheQuotes() {
        assertThat(Command.shellQuote("a\nb")).isEqualTo("'a\nb'");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"it's", "a b", "$HOME `id` $(id)", "x\ny", "'", "''\"\\", "; rm -rf /tmp/nothing", "",
            "s3cr'et\\;x", "!event", "tab\there"})
    void quotedArgumentsReachAPosixShellUnchanged(String arg) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + Command.shellQuote(arg))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).isZero();
        assertThat(out).as("sh sees exactly one argument, the original text").isEqualTo(arg);
    }

    @Test
    void toCommandLineQuotesEachArgument() {
        Command c = Command.of("pg_basebackup", "-D", "/srv/pg data", "-l", "pgreplication eshub");

        assertThat(c.toCommandLine()).isEqualTo("pg_basebackup -D '/srv/pg data' -l 'pgreplication eshub'");
        assertThat(c).hasToString(c.toCommandLine());
    }

    @Test
    void toCommandLinePutsEnvironmentFirst() {
        Command c = Command.of("pg_controldata", "-D", "/d").withEnvironment("LC_ALL", "C")
                .withEnvironment("PGPASSFILE", "/a b/.pgpass");

        assertThat(c.toCommandLine()).isEqualTo("LC_ALL=C PGPASSFILE='/a b/.pgpass' pg_controldata -D /d");
        assertThat(c.environment()).containsEntry("LC_ALL", "C").hasSize(2);
    }

    @Test
    void toCommandLineRedactsRegisteredSecrets() {
        Command c = Command.of("tool", "--password=hunter2", "-x").withRedacted(Secret.of("hunter2"));

        assertThat(c.toCommandLine()).isEqualTo("tool --password=**** -x");
        assertThat(c.argv()).as("argv itself is what runs").contains("--password=hunter2");
    }

    @Test
    void toCommandLineRedactsSecretsInEnvironment() {
        Command c = Command.of("tool").withEnvironment("TOKEN", "tok en").withRedacted(Secret.of("tok en"));

        assertThat(c.toCommandLine()).as("the mask does not reveal the secret needed quoting").isEqualTo("TOKEN=**** tool").doesNotContain("tok en");
    }

    @Test
    void toCommandLineRedactsSecretsContainingQuotes() {
        Command c = Command.of("tool", "--password=s3cr'et").withRedacted(Secret.of("s3cr'et"));

        assertThat(c.toCommandLine()).doesNotContain("s3cr").contains("****");
    }

    @Test
    void redactRemovesEverySecretFromOutput() {
        Command c = Command.of("tool").withRedacted(Secret.of("one")).withRedacted(Secret.of("two"));

        assertThat(c.redact("FATAL: password one and two rejected")).isEqualTo("FATAL: password **** and **** rejected");
    }

    @Test
    void redactWithoutSecretsIsIdentity() {
        assertThat(Command.of("tool").withRedacted(Secret.none()).redact("text")).isEqualTo("text");
    }

    @Test
    void copiesKeepEverythingElse() {
        Command c = Command.of("pg_ctl", "-D", "/d").withTimeout(Duration.ofSeconds(5))
                .withEnvironment("A", "1").withRedacted(Secret.of("zz"));

        Command prefixed = c.withArgs("start").prefixedWith(List.of("runuser", "-u", "postgres", "--"));

        assertThat(prefixed.argv()).containsExactly("runuser", "-u", "postgres", "--", "pg_ctl", "-D", "/d", "start");
        assertThat(prefixed.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(prefixed.environment()).containsEntry("A", "1");
        assertThat(prefixed.redact("zz")).isEqualTo("****");
        assertThat(c.argv()).as("the original is unchanged").containsExactly("pg_ctl", "-D", "/d");
    }

    @Test
    void argvIsADefensiveCopy() {
        List<String> argv = new ArrayList<>(List.of("ls", "-l"));
        Command c = Command.of(argv);
        argv.add("/etc");

        assertThat(c.argv()).containsExactly("ls", "-l");
        assertThatThrownBy(() -> c.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stdinIsCopied() {
        byte[] input = {1, 2, 3};
        Command c = Command.of("dd").withStdin(input);
        input[0] = 9;

        assertThat(c.stdin()).containsExactly(1, 2, 3);
        assertThat(Command.of("dd").stdin()).isNull();
    }

    @Test
    void defaultTimeoutIsTenMinutes() {
        assertThat(Command.of("true").timeout()).isEqualTo(Command.DEFAULT_TIMEOUT).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void nonPositiveTimeoutIsRejected() {
        assertThatThrownBy(() -> Command.of("true").withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout PT0S must be positive: e.g. Duration.ofMinutes(2)");
    }

    @Test
    void emptyCommandIsRejected() {
        assertThatThrownBy(() -> Command.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a command needs at least a program name");
    }

    @Test
    void nulInArgumentIsRejected() {
        assertThatThrownBy(() -> Command.of("echo", "a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 'a\\0b' contains a NUL character");
    }
}
