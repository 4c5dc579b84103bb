package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.clone.BaseBackup;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7 item 3: line breaks, NUL and every other control character are refused at load() in every value that
 * reaches a file, a command or a log line, with the same rule everywhere, and shown escaped in the message.
 */
class ControlCharacterValidationTest {
    static final String RULE = "must not contain line breaks or NUL (nor any other control character)";

    /** Hostile characters: line breaks of every kind, NUL, tab, escape, DEL, a C1 control, Unicode separators. */
    static Stream<Arguments> characters() {
        return Stream.of(Arguments.of("\n", "\\n"), Arguments.of("\r", "\\r"), Arguments.of("\0", "\\0"),
                Arguments.of("\t", "\\t"), Arguments.of("\u001b", "\\u001b"), Arguments.of("\u007f", "\\u007f"),
                Arguments.of("\u0085", "\\u0085"), Arguments.of("\u2028", "\\u2028"),
                Arguments.of("\u2029", "\\u2029"), Arguments.of("\u000b", "\\u000b"));
    }

    private static void refused(Replication.Builder builder, String subject, String escaped) {
        InvalidReplicationConfigException e = rejected(builder);
        assertThat(e.getMessage()).as("value (escaped), rule and fix").contains(subject, escaped, RULE);
        assertThat(e.getMessage().lines()).as("every problem stays on its line").hasSize(e.problems().size() + 1);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void primaryName(String c, String escaped) {
        refused(Replication.primary(Primary.at(PRIMARY).withName("eshua" + c + "FAKE: all good")),
                "primary name 'eshua" + escaped + "FAKE: all good'", escaped);
        assertThat(rejected(Replication.primary(Primary.at(PRIMARY).withName("eshua" + c))).problems().get(0).fix())
                .contains(".withName(\"eshua\")");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void standbyParameterValues(String c, String escaped) {
        refused(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                .withParameter("max_standby_streaming_delay", "30s" + c + "fsync = off")),
                "standby 'eshub' value of max_standby_streaming_delay '30s" + escaped, escaped);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void standbyParameterNames(String c, String escaped) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withParameter("work_mem" + c + "fsync", "off")));
        assertThat(e.getMessage()).as("refused by the name rule, shown escaped")
                .contains("standby 'eshub' parameter name 'work_mem" + escaped + "fsync'",
                        "PostgreSQL parameter names are lower-case letters, digits, _ and .", "Check the spelling");
        assertThat(e.getMessage().lines()).hasSize(2);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void primaryParameterValues(String c, String escaped) {
        refused(valid().settings(PrimarySettings.empty().withParameter("log_line_prefix", "%m" + c + "x")),
                "value of log_line_prefix '%m" + escaped + "x'", escaped);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void standbyNames(String c, String escaped) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub" + c + "x")));
        assertThat(e.getMessage()).contains("standby 'eshub" + escaped + "x' name", "Try Standby.named(\"eshubx\")");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void dataDirectories(String c, String escaped) {
        refused(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                .withDataDirectory("/var/lib/postgresql/data" + c + "x")),
                "standby 'eshub' data directory '/var/lib/postgresql/data" + escaped + "x'", escaped);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void passfiles(String c, String escaped) {
        refused(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                .withPassfile("/var/lib/postgresql/.pgpass" + c)),
                "standby 'eshub' passfile '/var/lib/postgresql/.pgpass" + escaped + "'", escaped);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void adminUsersAndDatabase(String c, String escaped) {
        refused(Replication.primary(Primary.at(PRIMARY).withAdmin("postgres" + c, Secret.none())),
                "primary 'eshua_example' admin user 'postgres" + escaped + "'", escaped);
        refused(Replication.primary(Primary.at(PRIMARY).withDatabase("postgres" + c + "x")),
                "primary 'eshua_example' database 'postgres" + escaped + "x'", escaped);
        refused(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub")
                        .withAdminEndpoint(Endpoint.of("eshub.example"), "post" + c + "gres", Secret.none())),
                "standby 'eshub' admin user 'post" + escaped + "gres'", escaped);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void hostsAreShownEscaped(String c, String escaped) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(Endpoint.of("db" + c + "x"))
                .withName("eshua")));
        assertThat(e.getMessage()).contains("host 'db" + escaped + "x'", "without spaces or quotes (nor control"
                + " characters)", "Endpoint.of(\"db.example.com\", 5432)");
        assertThat(e.getMessage().lines()).hasSize(2);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void roleNamesAndSlots(String c, String escaped) {
        InvalidReplicationConfigException role = rejected(valid().replicationRole(ReplicationRole.named("rep" + c)));
        assertThat(role.getMessage()).contains("replication role name 'rep" + escaped + "'");
        InvalidReplicationConfigException slot = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withSlot("slot" + c)));
        assertThat(slot.getMessage()).contains("slot name 'slot" + escaped + "'", "Try .withSlot(\"slot\")");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void backupLabels(String c, String escaped) {
        assertThatThrownBy(() -> BaseBackup.defaults().withLabel("nightly" + c + "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backup label 'nightly" + escaped + "x'")
                .hasMessageContaining(RULE)
                .hasMessageContaining("Write it on one line");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("characters")
    void hbaRuleFieldsAndOptions(String c, String escaped) {
        UnaryOperator<HbaRule> options = r -> r.withOption("map", "m" + c);
        InvalidReplicationConfigException e = rejected(valid().allow(options.apply(
                new HbaRule("local", "replication", "replicator", "", "peer"))));
        assertThat(e.getMessage()).contains("option 'map=m" + escaped + "'", "must not contain line breaks, NUL or"
                + " other control characters", "Write the value on one line");
        InvalidReplicationConfigException user = rejected(valid().allow(HbaRule.replication("repl" + c,
                "10.0.0.0/24", "trust")));
        assertThat(user.getMessage()).contains("user 'repl" + escaped + "' must not contain a control character");
    }
}
