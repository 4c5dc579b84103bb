package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 25 item 6: a pg_hba refusal suggests the corrected rule, not a generic example. The clientcert refusal said
 * "use hostssl" while its example kept {@code host} and dropped the option; the suggested line must be the
 * corrected one, and it must load.
 */
class HbaSuggestionTest {
    private static final Pattern SUGGESTED = Pattern.compile("HbaRule\\.parse\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)");

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("host replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-full",
                        "hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-full"),
                Arguments.of("host replication replicator 10.0.0.0/24 trust clientname=CN",
                        "hostssl replication replicator 10.0.0.0/24 trust clientname=CN"),
                Arguments.of("hostnossl replication replicator 10.0.0.0/24 cert map=certs",
                        "hostssl replication replicator 10.0.0.0/24 cert map=certs"),
                Arguments.of("host replication replicator 10.0.0.5 scram-sha-256",
                        "host replication replicator 10.0.0.5/32 scram-sha-256"),
                Arguments.of("host replication replicator fd00::5 scram-sha-256 clientcert=verify-ca",
                        "hostssl replication replicator fd00::5/128 scram-sha-256 clientcert=verify-ca"),
                Arguments.of("local replication postgres 10.0.0.0/24 peer", "local replication postgres peer"),
                Arguments.of("host replication replicator 10.0.0.0/24 ldap ldapserver=ldap.example.net"
                        + " ldapbasedn=\"dc=example, dc=net\" clientcert=verify-full",
                        "hostssl replication replicator 10.0.0.0/24 ldap ldapserver=ldap.example.net"
                                + " ldapbasedn=\"dc=example, dc=net\" clientcert=verify-full"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rules")
    void theSuggestedLineIsTheCorrectedRuleAndItLoads(String line, String corrected) {
        InvalidReplicationConfigException e = rejected(valid().allow(HbaRule.parse(line)));
        assertThat(e.problems()).as(e.getMessage()).isNotEmpty().allSatisfy(p -> {
            Matcher m = SUGGESTED.matcher(p.fix());
            assertThat(m.find()).as("a line to copy: " + p.fix()).isTrue();
            String suggested = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            assertThat(suggested).as("the corrected rule, its options kept").isEqualTo(corrected);
            assertThat(p.fix()).startsWith("Use the corrected rule:");
            loads(valid().allow(HbaRule.parse(suggested)));
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rules")
    void theRefusalStillSaysWhy(String line, String corrected) {
        assertThat(rejected(valid().allow(HbaRule.parse(line))).getMessage())
                .containsAnyOf("needs a hostssl rule", "Add the prefix length", "has no address field");
    }

    @Test
    void aSecretOptionIsNotShownInTheSuggestion() {
        HbaRule rule = HbaRule.parse("host replication replicator 10.0.0.0/24 ldap ldapserver=ldap.example.net"
                + " ldapbasedn=dc=example ldapbinddn=cn=admin ldapbindpasswd=s3cret clientcert=verify-full");
        InvalidReplicationConfigException e = rejected(valid().allow(rule));
        assertThat(e.getMessage()).doesNotContain("s3cret").contains("hostssl replication replicator 10.0.0.0/24"
                + " ldap", "ldapbindpasswd=****");
    }
}
