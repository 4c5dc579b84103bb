package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25 item 4: one rule for every form of a pg_hba database or user field. Accepted: what every PostgreSQL the
 * library supports (13 and later) reads the same way and what a mistake in shows at load() or in
 * pg_hba_file_rules: keywords, names (plain or double-quoted, a quoted keyword being a name), {@code +group},
 * {@code @file}, and comma-separated lists of these. Refused, with the reason: regular expressions (PostgreSQL 16
 * and later; 13 to 15 read them as a literal name, which pg_hba_file_rules cannot tell apart) and include
 * directives (not rules; PostgreSQL 16 and later).
 */
class HbaFormsTest {
    private static HbaRule user(String user) {
        return HbaRule.replication(user, "10.0.0.0/24", "scram-sha-256");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"replicator", "+standbys", "@standbys", "@/etc/postgresql/standbys", "\"Repl User\"",
            "\"all\"", "\"+x\"", "\"/^repl\"", "replicator,other", "replicator,+standbys,@more", "\"a,b\",c",
            "\"say \"\"hi\"\"\"", "all", "r$.x-1"})
    void userFieldsPostgresqlReadsAlikeEverywhereLoad(String field) {
        assertThat(user(field).problems()).as(field).isEmpty();
        loads(valid().allow(user(field)));
        assertThat(HbaRule.parse("host replication " + field + " 10.0.0.0/24 scram-sha-256").user())
                .as("parsed back as written").isEqualTo(field);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"replication", "all", "sameuser", "samerole", "samegroup", "postgres,app", "@dbs",
            "\"my db\"", "\"replication\""})
    void databaseFieldsLoad(String field) {
        assertThat(new HbaRule("host", field, "replicator", "10.0.0.0/24", "trust").problems()).as(field).isEmpty();
    }

    @Test
    void aListWithSpacesAfterItsCommasIsOneField() {
        HbaRule rule = HbaRule.parse("host replication replicator, other 10.0.0.0/24 scram-sha-256");
        assertThat(rule.user()).as("PostgreSQL continues a field after a comma").isEqualTo("replicator,other");
        assertThat(rule.address()).isEqualTo("10.0.0.0/24");
        assertThat(HbaRule.parse("host postgres,\tapp replicator 10.0.0.0/24 trust").database())
                .isEqualTo("postgres,app");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/^repl", "/^(repl|standby)$", "replicator,/^standby"})
    void regularExpressionsAreRefusedWithTheReason(String field) {
        assertThat(user(field).problems()).singleElement().asString()
                .contains("'/^", "is a regular expression", "only PostgreSQL 16 and later read",
                        "13 to 15 take it for the role named", "pg_hba_file_rules cannot tell",
                        "list the roles (replicator,other), name a group (+standbys), or write it in double quotes");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"include pg_hba.d/standbys.conf", "include_if_exists extra.conf", "include_dir pg_hba.d",
            "  include   other.conf  # more rules"})
    void includeDirectivesAreRefusedWithTheReason(String line) {
        assertThatThrownBy(() -> HbaRule.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is an include directive, not a rule")
                .hasMessageContaining("the library writes rules into a block it owns")
                .hasMessageContaining("PostgreSQL 16 and later")
                .hasMessageContaining("include_if_exists and include_dir may include nothing without a word")
                .hasMessageContaining("give the rules themselves");
        assertThat(new HbaRule("include", "x", "y", "z", "trust").problems()).anySatisfy(p -> assertThat(p)
                .contains("connection type 'include' is an include directive, not a rule"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"repl icator", "a,,b", "a,", ",a", "\"unclosed", "\"a\"b", "@", "+", "",
            "\"line\nbreak\""})
    void malformedFieldsAreRefusedWithTheFix(String field) {
        assertThat(user(field).problems()).as(field).singleElement().asString()
                .contains("user '" + Problem.shown(field) + "'")
                .containsAnyOf("write any other name in double quotes", "empty entry", "control character",
                        "unclosed double quote");
    }

    @Test
    void aNameInTheFieldIsAtMost63Bytes() {
        assertThat(user("r".repeat(63)).problems()).isEmpty();
        assertThat(user("\"" + "é".repeat(31) + "a\"").problems()).as("63 bytes in UTF-8").isEmpty();
        assertThat(user("r".repeat(64)).problems()).singleElement().asString()
                .contains("is 64 bytes long; PostgreSQL names are at most 63 bytes", "would match no role");
        assertThat(user("\"" + "é".repeat(32) + "\"").problems()).as("32 characters, 64 bytes").singleElement()
                .asString().contains("is 64 bytes long");
        assertThat(user("ok,+" + "g".repeat(64)).problems()).singleElement().asString()
                .contains("'+" + "g".repeat(64) + "'", "is 64 bytes long");
        assertThat(new HbaRule("host", "d".repeat(64), "replicator", "10.0.0.0/24", "trust").problems())
                .singleElement().asString().contains("database", "is 64 bytes long", "would match no database");
        assertThat(user("@" + "f".repeat(256)).problems()).singleElement().asString()
                .contains("a file or directory name is at most 255 bytes (NAME_MAX)");
    }

    @Test
    void aHostNameAddressIsAtMost253Characters() {
        String host = ("a".repeat(63) + ".").repeat(3) + "b".repeat(61);
        assertThat(HbaRule.replication("replicator", host, "trust").problems()).as("253 characters").isEmpty();
        assertThat(HbaRule.replication("replicator", host + "b", "trust").problems()).singleElement().asString()
                .contains("is 254 characters long; a host name is at most 253 (DNS)");
        assertThat(HbaRule.replication("replicator", "x".repeat(64) + ".example.com", "trust").problems())
                .singleElement().asString().contains("has a label of 64 characters");
    }
}
