package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25: the directory of PostgreSQL's programs becomes the program of commands run on a host, so it is held to
 * the path rules (absolute, no '..', no control character, PATH_MAX and NAME_MAX) when given.
 */
class PostgresBinariesTest {
    private static final List<Function<String, Host>> HOSTS = List.of(
            d -> LocalHost.current().withPostgresBinaries(d),
            d -> SshHost.to("postgres", "db.example").withPostgresBinaries(d));

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"usr/lib/postgresql/17/bin", "/usr/lib/postgresql/../bin", "/usr/lib/pg\n/bin", ""})
    void aDirectoryAgainstThePathRulesIsRefused(String dir) {
        for (Function<String, Host> host : HOSTS) {
            assertThatThrownBy(() -> host.apply(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PostgreSQL programs directory '" + io.github.pgreplication.Problem.shown(dir)
                            + "'")
                    .hasMessageContaining("withPostgresBinaries(\"/usr/lib/postgresql/17/bin\")");
        }
    }

    @org.junit.jupiter.api.Test
    void aLongDirectoryIsRefusedShortened() {
        String dir = "/usr/" + "b".repeat(9_995);
        for (Function<String, Host> host : HOSTS) {
            assertThatThrownBy(() -> host.apply(dir))
                    .hasMessageContaining("is 10000 bytes long; a path is at most 4095 bytes (PATH_MAX")
                    .hasMessageContaining("(10000 characters)");
            assertThatThrownBy(() -> host.apply("/usr/" + "b".repeat(256)))
                    .hasMessageContaining("a file or directory name is at most 255 bytes (NAME_MAX)");
            assertThatCode(() -> host.apply("/usr/lib/postgresql/17/bin/")).as("a valid directory is taken")
                    .doesNotThrowAnyException();
        }
    }
}
