package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ReplicationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime guard before a directory is emptied uses the same normalised rules as load(). */
class PathRulesTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({"/, /", "//, /", "/., /", "/srv/, /srv", "/srv//pg/./data/, /srv/pg/data", "/a/./b/., /a/b"})
    void normaliseRemovesRepeatedSlashesDotsAndTrailingSlashes(String path, String expected) {
        assertThat(PathRules.normalise(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/", "//", "/.", "/srv/..", "/var/lib/postgresql/../../etc", "/etc/", "/usr/.", "relative",
            "/home", "/tmp/"})
    void theGuardRefusesToEmptyTheRootOrASystemDirectoryHoweverWritten(String dir) {
        assertThatThrownBy(() -> PathRules.requireSafeToEmpty(dir))
                .isInstanceOf(ReplicationException.class)
                .hasMessageContaining("Refusing to empty '" + dir + "'")
                .hasMessageContaining("Nothing was deleted")
                .hasMessageContaining("/var/lib/postgresql/17/main");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/var/lib/postgresql/17/main", "/tmp/pg/data/", "/srv/pg/./data"})
    void theGuardLetsADedicatedDirectoryBeEmptied(String dir) {
        assertThatCode(() -> PathRules.requireSafeToEmpty(dir)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/srv/pg\n", "/srv/\0pg"})
    void theGuardRefusesControlCharacters(String dir) {
        assertThatThrownBy(() -> PathRules.requireSafeToEmpty(dir))
                .isInstanceOf(ReplicationException.class)
                .hasMessageContaining("must not contain line breaks or NUL");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "relative.conf|must be an absolute path",
        "/etc/../x|must not contain '..' segments",
        "/etc/pgbackrest/|must name a file, not a directory",
        "/|must name a file, not a directory",
        "/.|/ is a system directory, not a file",
        "/etc|/etc is a system directory, not a file",
        "/usr/./local|/usr/local is a system directory, not a file"})
    void aFilesPathMustNameAFile(String path, String rule) {
        assertThat(PathRules.fileSyntaxProblem(path)).startsWith(rule);
        assertThat(PathRules.fileProblem(path)).as("the core's own rule refuses it too").startsWith(rule);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/etc/pgbackrest.conf", "/etc/pgbackrest/pgbackrest.conf", "/usr/share/x.conf"})
    void onlyTheCoresOwnRuleKeepsFilesOutOfSystemDirectories(String path) {
        assertThat(PathRules.fileSyntaxProblem(path)).isNull();
        assertThat(PathRules.fileProblem(path)).startsWith("must not be inside the system directory");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "/etc/pgbackrest.conf|",
        "/etc/pgbackrest/pgbackrest.conf|",
        "/usr/bin/pgbackrest|must not be inside the system directory /usr/bin",
        "/boot/x|must not be inside the system directory /boot",
        "/dev/sda|must not be inside the system directory /dev",
        "/etc|/etc is a system directory, not a file"})
    void anExemptDirectoryIsTheOnlyOneLetIn(String path, String rule) {
        if (rule == null) {
            assertThat(PathRules.fileProblem(path, java.util.Set.of("/etc"))).isNull();
        } else {
            assertThat(PathRules.fileProblem(path, java.util.Set.of("/etc"))).startsWith(rule);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/etc/x\n", "/etc/\0x"})
    void aFilesPathWithAControlCharacterIsRefused(String path) {
        assertThat(PathRules.fileSyntaxProblem(path)).startsWith("must not contain line breaks or NUL");
    }
}
