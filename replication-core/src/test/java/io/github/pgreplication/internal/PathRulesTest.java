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
}
