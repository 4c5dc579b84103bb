package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 8: pg_hba authentication options, parsed, built, written and checked per method. */
class HbaRuleOptionsTest {

    @Test
    void theRuleFromTheIssueParsesAndRoundTrips() {
        String line = "hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-full";
        HbaRule rule = HbaRule.parse(line);

        assertThat(rule.options()).containsExactly(Map.entry("clientcert", "verify-full"));
        assertThat(rule.toLine()).isEqualTo(line);
        assertThat(rule.problems()).isEmpty();
        assertThat(rule).isEqualTo(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 scram-sha-256")
                .withOption("clientcert", "verify-full"));
    }

    @Test
    void quotedValuesAreParsedAndWrittenBackQuoted() {
        HbaRule rule = HbaRule.parse("host all all 10.0.0.0/8 ldap ldapserver=ldap.example.net ldapprefix=\"cn=\""
                + " ldapsuffix=\", dc=example, dc=net\"  # people");

        assertThat(rule.options()).containsExactly(Map.entry("ldapserver", "ldap.example.net"),
                Map.entry("ldapprefix", "cn="), Map.entry("ldapsuffix", ", dc=example, dc=net"));
        assertThat(rule.toLine()).isEqualTo("host all all 10.0.0.0/8 ldap ldapserver=ldap.example.net ldapprefix=cn="
                + " ldapsuffix=\", dc=example, dc=net\"");
        assertThat(rule.problems()).isEmpty();
        assertThat(HbaRule.parse(rule.toLine())).as("the written line parses to the same rule").isEqualTo(rule);
    }

    @Test
    void aDoubleQuoteInAValueIsDoubled() {
        HbaRule rule = HbaRule.parse("host all all 10.0.0.0/8 ldap ldapserver=x ldapbasedn=\"dc=x\""
                + " ldapsearchfilter=\"(cn=\"\"$username\"\")\"");
        assertThat(rule.options()).containsEntry("ldapsearchfilter", "(cn=\"$username\")");
        assertThat(rule.toLine()).endsWith("ldapsearchfilter=\"(cn=\"\"$username\"\")\"");
        assertThat(HbaRule.parse(rule.toLine())).isEqualTo(rule);
    }

    @Test
    void secretOptionsAreMaskedEverywhereButTheFileLine() {
        HbaRule rule = HbaRule.parse("host all all 10.0.0.0/8 ldap ldapserver=x ldapbasedn=dc=x ldapbinddn=cn=b"
                + " ldapbindpasswd=s3cret");
        assertThat(rule.toLine()).contains("ldapbindpasswd=s3cret");
        assertThat(rule).hasToString("host all all 10.0.0.0/8 ldap ldapserver=x ldapbasedn=dc=x ldapbinddn=cn=b"
                + " ldapbindpasswd=****");
        assertThat(HbaRule.parse("host all all 10.0.0.0/8 trust ldapbindpasswd=s3cret").problems().toString())
                .doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-ca",
        "hostssl replication replicator 10.0.0.0/24 cert clientcert=verify-full map=certmap",
        "hostssl replication replicator 10.0.0.0/24 cert clientname=DN",
        "local replication replicator peer map=standbys",
        "local replication replicator ident map=standbys",
        "host replication replicator 10.0.0.0/24 ident map=x",
        "host replication replicator 10.0.0.0/24 gss include_realm=0 krb_realm=EXAMPLE.COM map=x",
        "host replication replicator 10.0.0.0/24 sspi compat_realm=1 upn_username=0",
        "host replication replicator 10.0.0.0/24 pam pamservice=postgresql pam_use_hostname=1",
        "host replication replicator 10.0.0.0/24 ldap ldapurl=\"ldap://ldap.example.net/dc=example,dc=net?uid?sub\"",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapbasedn=dc=x ldapsearchattribute=uid",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapscheme=ldaps ldapport=636 ldapprefix=cn=",
        "host replication replicator 10.0.0.0/24 radius radiusservers=\"a,b\" radiussecrets=s",
        "hostgssenc replication replicator 10.0.0.0/24 gss"})
    void rulesPostgresAcceptsHaveNoProblem(String line) {
        assertThat(HbaRule.parse(line).problems()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "host replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-full|needs a hostssl rule",
        "host replication replicator 10.0.0.0/24 trust clientname=CN|needs a hostssl rule",
        "hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=1|clientcert accepts [verify-ca,"
            + " verify-full]",
        "hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-fulll|clientcert=verify-full",
        "hostssl replication replicator 10.0.0.0/24 cert clientcert=verify-ca|cannot be used with method 'cert'",
        "hostssl replication replicator 10.0.0.0/24 trust clientname=cn|clientname accepts [CN, DN]",
        "host replication replicator 10.0.0.0/24 cert|method 'cert' needs a hostssl rule",
        "host replication replicator 10.0.0.0/24 peer|method 'peer' works only on local",
        "hostssl replication replicator 10.0.0.0/24 peer|method 'peer' works only on local",
        "local replication replicator gss|method 'gss' is not supported on local",
        "host replication replicator 10.0.0.0/24 scram-sha-256 map=x|option 'map' is not accepted by method"
            + " 'scram-sha-256'",
        "host replication replicator 10.0.0.0/24 trust foo=bar|option 'foo' is not accepted",
        "host replication replicator 10.0.0.0/24 md5 ldapserver=x|ldapserver belongs to method ldap",
        "host replication replicator 10.0.0.0/24 ldap|method 'ldap' needs option ldapserver (or ldapurl)",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x|needs ldapprefix/ldapsuffix (simple bind) or"
            + " ldapbasedn",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapbasedn=dc=x ldapprefix=cn=|cannot mix"
            + " simple bind options",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapbasedn=dc=x ldapsearchattribute=uid"
            + " ldapsearchfilter=x|not both",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapprefix=a ldapscheme=ldapz|ldapscheme"
            + " accepts [ldap, ldaps]",
        "host replication replicator 10.0.0.0/24 ldap ldapserver=x ldapprefix=a ldapport=http|is not a TCP port",
        "host replication replicator 10.0.0.0/24 radius|method 'radius' needs option radiusservers",
        "host replication replicator 10.0.0.0/24 radius radiusservers=a|needs option radiussecrets",
        "host replication replicator 10.0.0.0/24 radius radiusservers=a,b radiussecrets=\"x,y,z\"|lists 3 values"
            + " for 2 RADIUS server(s)",
        "local replication replicator peer map=|has no value",
        "local replication replicator 10.0.0.0/24 trust|a local rule (Unix socket) has no address field, but"
            + " '10.0.0.0/24' is given",
        "local replication replicator samehost peer|has no address field"})
    void rulesPostgresRefusesAreProblems(String line, String expected) {
        assertThat(HbaRule.parse(line).problems()).as(line).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void aLocalRuleGivenAnAddressKeepsItSoLoadRefusesIt() {
        HbaRule rule = HbaRule.parse("local replication replicator 10.0.0.0/24 trust");
        assertThat(rule.address()).as("not silently stripped").isEqualTo("10.0.0.0/24");
        assertThat(rule.toLine()).isEqualTo("local replication replicator 10.0.0.0/24 trust");

        assertThatThrownBy(() -> Descriptions.valid().allow(rule).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("pg_hba rule 'local replication replicator 10.0.0.0/24 trust'")
                .hasMessageContaining("has no address field")
                .hasMessageContaining("Remove it ('local replication replicator trust')");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "host replication replicator 10.0.0.0/24 trust clientcert=verify-ca hostssl|follows an option",
        "host replication replicator 10.0.0.0/24 trust map=a map=b|gives option map twice",
        "host replication replicator 10.0.0.0/24 ldap ldapprefix=\"cn=|unclosed double quote",
        "host replication replicator 10.0.0.0/24 trust =x|follows an option"})
    void malformedOptionsAreRefusedByParse(String line, String expected) {
        assertThatThrownBy(() -> HbaRule.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void optionsAreCheckedAtLoadWithValueRuleAndFix() {
        assertThatThrownBy(() -> Descriptions.valid().allow(HbaRule.replication("replicator", "10.0.0.0/24",
                "scram-sha-256").withOption("clientcert", "verify-full")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("pg_hba rule 'host replication replicator 10.0.0.0/24 scram-sha-256"
                        + " clientcert=verify-full'")
                .hasMessageContaining("needs a hostssl rule")
                .hasMessageContaining("Use 'hostssl' instead of 'host'");
    }

    @Test
    void withOptionReplacesAnEarlierValueAndKeepsOrder() {
        HbaRule rule = HbaRule.parse("local replication replicator peer").withOption("map", "a")
                .withOption("map", "b");
        assertThat(rule.options()).containsExactly(Map.entry("map", "b"));
        assertThat(rule.toLine()).isEqualTo("local replication replicator peer map=b");
    }
}
