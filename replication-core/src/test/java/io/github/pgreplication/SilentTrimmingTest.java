package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25 item 3: a control character is refused (with the reason) or accepted as what it is, never dropped
 * without a word: {@code DataSize.parse("1GB\n")} and a pg_hba rule ending in {@code \r} used to load as if it were
 * not there.
 */
class SilentTrimmingTest {
    static Stream<Arguments> sizes() {
        return Stream.of(Arguments.of("1GB\n", "1GB\\n"), Arguments.of("1GB\r", "1GB\\r"),
                Arguments.of("1GB\r\n", "1GB\\r\\n"), Arguments.of("\n1GB", "\\n1GB"), Arguments.of("1\nGB", "1\\nGB"),
                Arguments.of("1GB\t", "1GB\\t"), Arguments.of("1GB\u000b", "1GB\\u000b"), Arguments.of("-1\n", "-1\\n"),
                Arguments.of("1GB\u202e", "1GB\\u202e"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("sizes")
    void aSizeWithAControlCharacterIsRefusedNamingIt(String text, String escaped) {
        assertThatThrownBy(() -> DataSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + escaped + "' is not a PostgreSQL size")
                .hasMessageContaining("it holds a control character")
                .hasMessageContaining("Try '" + escaped.replaceAll("\\\\(u[0-9a-f]{4}|[nrt])", "") + "'");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {" 1GB", "1GB ", "1 GB"})
    void spacesAreWhatPostgresqlAcceptsToo(String text) {
        assertThat(DataSize.parse(text)).as("PostgreSQL reads ' 1 GB ' as 1GB").isEqualTo(DataSize.ofGigabytes(1));
    }

    static Stream<Arguments> lines() {
        String rule = "host replication replicator 10.0.0.0/24 trust";
        return Stream.of(Arguments.of(rule + "\r", "trust\\r"), Arguments.of(rule + "\n", "trust\\n"),
                Arguments.of(rule + "\r\n", "trust\\r\\n"), Arguments.of("\r" + rule, "\\rhost"),
                Arguments.of(rule + " # ok\r", "ok\\r"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("lines")
    void aPgHbaRuleWithALineBreakAtEitherEndIsRefused(String line, String escaped) {
        assertThatThrownBy(() -> HbaRule.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(escaped)
                .hasMessageContaining("must be one line without control characters (a line break or carriage"
                        + " return at its end included");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1GB\n", "1GB\r"})
    void aTypedSettingWithATrailingLineBreakIsRefusedAtLoad(String value) {
        InvalidReplicationConfigException e = rejected(valid().settings(PrimarySettings.empty()
                .withParameter("max_wal_size", value)));
        assertThat(e.getMessage()).as("refused, escaped").contains("value of max_wal_size '1GB\\")
                .contains("must not contain line breaks or NUL");
    }
}
