package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HbaRuleTest {

    @Test
    void parseReadsFiveFields() {
        HbaRule rule = HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256");

        assertThat(rule).isEqualTo(new HbaRule("host", "replication", "replicator", "10.0.0.0/24", "scram-sha-256"));
    }

    @Test
    void parseToleratesExtraWhitespace() {
        assertThat(HbaRule.parse("  host\treplication   replicator 10.0.0.0/24  trust \t").toLine())
                .isEqualTo("host replication replicator 10.0.0.0/24 trust");
    }

    @Test
    void localRuleHasFourFieldsAndNoAddress() {
        HbaRule rule = HbaRule.parse("local replication postgres peer");

        assertThat(rule.address()).isEmpty();
        assertThat(rule.toLine()).isEqualTo("local replication postgres peer");
        assertThat(rule.problems()).as("no address check for local").isEmpty();
    }

    @Test
    void toLineRoundTrips() {
        String line = "hostssl replication replicator fd00::/64 scram-sha-256";

        assertThat(HbaRule.parse(line).toLine()).isEqualTo(line);
        assertThat(HbaRule.parse(line)).hasToString(line);
    }

    @Test
    void replicationFactoryBuildsAHostReplicationRule() {
        assertThat(HbaRule.replication("replicator", "10.0.0.0/24", "trust").toLine())
                .isEqualTo("host replication replicator 10.0.0.0/24 trust");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"host replication replicator trust", "host replication replicator 10.0.0.0/24 trust x",
            "local replication peer", ""})
    void parseRejectsWrongFieldCountWithAnExample(String line) {
        assertThatThrownBy(() -> HbaRule.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg_hba rule '" + line + "' must have 5 fields")
                .hasMessageContaining("or 4 for local")
                .hasMessageContaining("Example: 'host replication replicator 10.0.0.0/24 scram-sha-256'");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"10.0.0.0/24", "0.0.0.0/0", "192.168.1.7/32", "fd00::/64", "::1/128", "all",
            "samehost", "samenet", "standby.example.com", ".example.com"})
    void validAddressesHaveNoProblem(String address) {
        assertThat(HbaRule.replication("replicator", address, "scram-sha-256").problems()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"10.0.0.0/33", "300.1.1.1/24", "10.0.0/24", "10.0.0.0/", "fd00::/129", "10.0.0.0/-1"})
    void invalidCidrIsAProblem(String address) {
        assertThat(HbaRule.replication("replicator", address, "trust").problems())
                .singleElement().asString()
                .contains("address '" + address + "' is not a valid CIDR")
                .contains("prefix length 0-32 (e.g. 10.0.0.0/24)")
                .contains("0-128 (e.g. fd00::/64)");
    }

    @Test
    void addressWithoutPrefixLengthGetsOneSuggested() {
        assertThat(HbaRule.replication("replicator", "10.0.0.1", "trust").problems())
                .singleElement().asString()
                .contains("address '10.0.0.1' is neither a CIDR (e.g. 10.0.0.0/24), a host name, nor one of"
                        + " all/samehost/samenet")
                .contains("Add the prefix length: '10.0.0.1/32'");
    }

    @Test
    void ipv6AddressWithoutPrefixLengthGetsSlash128Suggested() {
        assertThat(HbaRule.replication("replicator", "fd00::1", "trust").problems())
                .singleElement().asString()
                .contains("Add the prefix length: 'fd00::1/128'");
    }

    @Test
    void unknownMethodIsAProblem() {
        assertThat(HbaRule.replication("replicator", "10.0.0.0/24", "passwd").problems())
                .singleElement().asString()
                .contains("method 'passwd' is not a pg_hba method")
                .contains("Use scram-sha-256 with a password, or trust for password-less roles");
    }

    @Test
    void unknownConnectionTypeIsAProblem() {
        assertThat(new HbaRule("hots", "replication", "replicator", "10.0.0.0/24", "trust").problems())
                .singleElement().asString()
                .contains("connection type 'hots' is not one of")
                .contains("Use 'host' for TCP connections");
    }

    @Test
    void userWithASpaceIsAProblemAndQuotedListsAreNot() {
        // Issue 25 item 4: lists and quoted names load, as PostgreSQL reads them (HbaFormsTest has the rest).
        assertThat(HbaRule.replication("a b", "10.0.0.0/24", "trust").problems())
                .singleElement().asString()
                .contains("user 'a b' must be a keyword, a name of letters, digits and _ . $ -")
                .contains("write any other name in double quotes (\"a b\")");
        assertThat(HbaRule.replication("a,b", "10.0.0.0/24", "trust").problems()).isEmpty();
        assertThat(HbaRule.replication("\"x\"", "10.0.0.0/24", "trust").problems()).isEmpty();
    }

    @Test
    void everyProblemOfARuleIsListed() {
        assertThat(new HbaRule("hots", "replication", "replicator", "10.0.0.0/33", "passwd").problems())
                .as("type, method and address").hasSize(3);
    }
}
