package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pgreplication.internal.Validator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.pgreplication.PrimarySettings.WalLevel;

/** Every rule checked by {@code Replication.Builder#load()}: each message names the value, the rule and the fix. */
class ValidationTest {
    private static final Endpoint PRIMARY = Endpoint.of("eshua.example", 5432);

    /** A standby on its own machine (standbys sharing one need their own data directory and port). */
    private static Standby standby(String name) {
        return Standby.named(name).withDataDirectory("/var/lib/postgresql/" + name)
                .withHost(Descriptions.host(name));
    }

    /** A valid description with one standby; tests break one thing in it. */
    private static Replication.Builder valid() {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub"));
    }

    private static InvalidReplicationConfigException rejected(Replication.Builder builder) {
        InvalidReplicationConfigException e = catchThrowableOfType(InvalidReplicationConfigException.class,
                builder::load);
        assertThat(e).as("load() must reject this description").isNotNull();
        return e;
    }

    @Test
    void validDescriptionLoadsWithoutContactingAnyServer() {
        Replication.Builder builder = Replication.primary(Primary.at(Endpoint.of("127.0.0.1", 1)))
                .settings(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA).withMaxWalSize("1GB")
                        .withMaxWalSenders(10).withMaxReplicationSlots(10))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of("pw")))
                .allow(HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256"))
                .addStandby(standby("eshub"))
                .addStandby(standby("eshuc"));

        assertThatCode(() -> {
            try (Replication replication = builder.load()) {
                assertThat(replication.standbys()).as("standbys in the order added")
                        .extracting(Standby::name).containsExactly("eshub", "eshuc");
            }
        }).as("a valid description loads; port 1 is unreachable, so load() must not connect").doesNotThrowAnyException();
    }

    @Test
    void slotNameWithHyphenIsRejectedWithUnderscoreSuggestion() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withSlot("eshub-slot")).load())
                .as("slot names allow [a-z0-9_] only")
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub'")
                .hasMessageContaining("'eshub-slot'")
                .hasMessageContaining("lower-case letters, digits and underscores, 1 to 63 characters")
                .hasMessageContaining("Try .withSlot(\"eshub_slot\")");
    }

    @Test
    void upperCaseSlotNameIsRejectedWithLowerCaseSuggestion() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withSlot("Eshub_Slot")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("'Eshub_Slot'")
                .hasMessageContaining("Try .withSlot(\"eshub_slot\")");
    }

    @Test
    void invalidStandbyNameIsRejectedWithSuggestion() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub-1")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub-1' name")
                .hasMessageContaining("letters, digits and underscores")
                .hasMessageContaining("application_name")
                .hasMessageContaining("Try Standby.named(\"eshub_1\")");
    }

    @Test
    void duplicateStandbyNamesAreRejected() {
        assertThatThrownBy(() -> valid()
                .addStandby(Standby.named("eshub").withDataDirectory("/srv/other")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub'")
                .hasMessageContaining("two standbys have this name; each needs its own")
                .hasMessageContaining("Standby.named(\"eshub_2\")");
    }

    @Test
    void twoStandbysSharingOneSlotAreRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withSlot("shared"))
                .addStandby(standby("eshuc").withSlot("shared")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshuc' slot 'shared'")
                .hasMessageContaining("standby 'eshub' uses this slot too; a physical slot serves one standby")
                .hasMessageContaining(".withSlot(\"eshuc_slot\")");
    }

    @Test
    void defaultSlotNamesThatCollideAreRejected() {
        // "a-b" and "a_b" both default to slot a_b_slot
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("a_b")).addStandby(standby("a-b")));

        assertThat(e.getMessage()).as("the collision on the derived slot name is reported")
                .contains("slot 'a_b_slot'", "standby 'a_b' uses this slot too");
    }

    @ParameterizedTest(name = "[{index}] role name {0}")
    @ValueSource(strings = {"repl\"icator", "repl'icator", "repl\\icator", "repl\nicator", "repl icator"})
    void roleNamesWithQuotesBackslashesLineBreaksOrSpacesAreRejected(String name) {
        assertThatThrownBy(() -> valid().replicationRole(ReplicationRole.named(name)).load())
                .as("a role name goes unquoted into pg_hba.conf and connection strings")
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("replication role name '")
                .hasMessageContaining("role names here use letters, digits and _ $ . -, 1 to 63 characters")
                .hasMessageContaining("Try ReplicationRole.named(\"repl_icator\")");
    }

    @Test
    void roleNameWithLineBreakIsShownEscapedInTheMessage() {
        InvalidReplicationConfigException e = rejected(valid().replicationRole(ReplicationRole.named("a\nb")));

        assertThat(e.problems()).as("one problem").hasSize(1);
        assertThat(e.problems().get(0).subject()).as("the line break is shown as \\n, keeping the message on one line")
                .isEqualTo("replication role name 'a\\nb'");
    }

    @Test
    void roleNameLongerThan63CharactersIsRejected() {
        String name = "r".repeat(64);

        assertThatThrownBy(() -> valid().replicationRole(ReplicationRole.named(name)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("1 to 63 characters")
                .hasMessageContaining("ReplicationRole.named(\"" + "r".repeat(63) + "\")");
    }

    @Test
    void emptyRoleNameIsReported() {
        assertThatThrownBy(() -> valid().replicationRole(ReplicationRole.named("")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("replication role name ''")
                .hasMessageContaining("1 to 63 characters");
    }

    @ParameterizedTest(name = "[{index}] password with {0}")
    @ValueSource(strings = {"new\nline", "carriage\rreturn", "nul\0char"})
    void passwordsWithLineBreaksOrNulAreRejectedWithoutShowingThem(String password) {
        InvalidReplicationConfigException e = rejected(valid()
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(password))));

        assertThat(e.getMessage()).as("rule and fix are stated")
                .contains("replication role password ****",
                        "must not contain line breaks or NUL",
                        "passfile",
                        "Choose a password without line breaks");
        assertThat(e.getMessage()).as("the password itself never appears").doesNotContain(password)
                .doesNotContain(password.substring(0, 3));
    }

    @ParameterizedTest(name = "[{index}] password {0}")
    @ValueSource(strings = {"it's", "dq\"x", "back\\slash", "semi;colon", "s3cr'et\\;x", "co:lon", "sp ace", "$HOME`id`"})
    void passwordsWithQuotesBackslashesAndSemicolonsAreAccepted(String password) {
        assertThatCode(() -> {
            try (Replication r = valid()
                    .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(password))).load()) {
                assertThat(r.role().hasPassword()).isTrue();
            }
        }).as("the password travels through a passfile and the driver's SCRAM, never through SQL text or argv")
                .doesNotThrowAnyException();
    }

    @Test
    void emptyPasswordIsRejected() {
        assertThatThrownBy(() -> valid()
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(""))).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("replication role password (empty)")
                .hasMessageContaining("an empty password cannot be used to log in")
                .hasMessageContaining("withoutPassword()");
    }

    @Test
    void walLevelMinimalWithStandbysIsRejected() {
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withWalLevel(WalLevel.MINIMAL)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("wal_level = 'minimal'")
                .hasMessageContaining("standbys need WAL with replica information: wal_level replica or logical")
                .hasMessageContaining("withWalLevel(WalLevel.REPLICA)");
    }

    @Test
    void walLevelMinimalWithoutStandbysIsAccepted() {
        assertThatCode(() -> {
            try (Replication r = Replication.primary(Primary.at(PRIMARY))
                    .settings(PrimarySettings.empty().withWalLevel(WalLevel.MINIMAL)).load()) {
                assertThat(r.standbys()).isEmpty();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void requiredWalSendersCountsTwoPerParallelCloneAndOneSpareWhenSequential() {
        assertThat(Validator.requiredWalSenders(0, true)).as("no standby, no sender").isZero();
        assertThat(Validator.requiredWalSenders(1, true)).as("pg_basebackup -Xs holds two").isEqualTo(2);
        assertThat(Validator.requiredWalSenders(3, true)).as("three clones at once").isEqualTo(6);
        assertThat(Validator.requiredWalSenders(1, false)).isEqualTo(2);
        assertThat(Validator.requiredWalSenders(3, false)).as("two streaming + one clone of two").isEqualTo(4);
    }

    @Test
    void maxWalSendersTooSmallForParallelClonesIsRejected() {
        assertThatThrownBy(() -> valid().addStandby(standby("eshuc"))
                .settings(PrimarySettings.empty().withMaxWalSenders(3)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_senders = 3")
                .hasMessageContaining("the 2 standbys need 4")
                .hasMessageContaining("pg_basebackup -Xs holds two connections")
                .hasMessageContaining("withMaxWalSenders(10)");
    }

    @Test
    void maxWalSendersTooSmallForSequentialClonesIsRejected() {
        assertThatThrownBy(() -> valid().addStandby(standby("eshuc")).parallelStandbys(false)
                .settings(PrimarySettings.empty().withMaxWalSenders(2)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_senders = 2")
                .hasMessageContaining("the 2 standbys need 3")
                .hasMessageContaining("one per streaming standby plus two for the clone running");
    }

    @Test
    void maxWalSendersEnoughForSequentialClonesIsAccepted() {
        assertThatCode(() -> {
            try (Replication r = valid().addStandby(standby("eshuc")).parallelStandbys(false)
                    .settings(PrimarySettings.empty().withMaxWalSenders(3)).load()) {
                assertThat(r.standbys()).hasSize(2);
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void maxWalSendersLargerThanNeededSuggestsTheNeededCount() {
        Replication.Builder b = Replication.primary(Primary.at(PRIMARY))
                .settings(PrimarySettings.empty().withMaxWalSenders(11));
        for (int i = 0; i < 6; i++) {
            b.addStandby(standby("s" + i));
        }

        assertThatThrownBy(b::load).isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_senders = 11")
                .hasMessageContaining("the 6 standbys need 12")
                .hasMessageContaining("withMaxWalSenders(12)");
    }

    @Test
    void maxWalSendersThatIsNotANumberIsRejected() {
        assertThatThrownBy(() -> valid()
                .settings(PrimarySettings.empty().withParameter("max_wal_senders", "ten")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_senders = 'ten'")
                .hasMessageContaining("must be a whole number")
                .hasMessageContaining("withMaxWalSenders(10)");
    }

    @Test
    void maxReplicationSlotsTooSmallIsRejected() {
        assertThatThrownBy(() -> valid().addStandby(standby("eshuc"))
                .settings(PrimarySettings.empty().withMaxReplicationSlots(1)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_replication_slots = 1")
                .hasMessageContaining("each of the 2 standbys needs its own slot")
                .hasMessageContaining("withMaxReplicationSlots(10)");
    }

    @Test
    void sizeWithLowerCaseUnitIsRejectedWithCorrectedUnit() {
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withMaxWalSize("1gb")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_size = '1gb'")
                .hasMessageContaining("B, kB, MB, GB or TB (units are case-sensitive)")
                .hasMessageContaining("Try '1GB'");
    }

    @Test
    void sizeWithUnknownUnitIsRejectedWithMegabyteSuggestion() {
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withMinWalSize("100 parsecs")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("min_wal_size = '100 parsecs'")
                .hasMessageContaining("is not a PostgreSQL size")
                .hasMessageContaining("Try '100MB'");
    }

    @Test
    void aSizeSuggestionTheSettingWouldRefuseIsReplacedByOneItAccepts() {
        // 10MB is below min_wal_size's two WAL segments (issue 7 item 14: a suggested fix must load)
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withMinWalSize("10 parsecs")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("min_wal_size = '10 parsecs'")
                .hasMessageContaining("Use withMinWalSize(\"80MB\")")
                .hasMessageNotContaining("Try '10MB'");
    }

    @Test
    void sizeProblemIsSplitIntoRuleAndFix() {
        InvalidReplicationConfigException e = rejected(valid().settings(PrimarySettings.empty()
                .withMaxWalSize("1gb")));

        Problem p = e.problems().get(0);
        assertThat(p.subject()).isEqualTo("max_wal_size = '1gb'");
        assertThat(p.rule()).as("the rule without the suggestion").doesNotContain("Try").contains("case-sensitive");
        assertThat(p.fix()).as("the fix is the suggestion").isEqualTo("Try '1GB'.");
    }

    @Test
    void sizeTooLargeIsReported() {
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withMaxWalSize("10000000TB")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("max_wal_size = '10000000TB'");
    }

    @Test
    void invalidParameterNameIsRejected() {
        assertThatThrownBy(() -> valid()
                .settings(PrimarySettings.empty().withParameter("Log Min Messages", "warning")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("parameter name 'Log Min Messages'")
                .hasMessageContaining("lower-case letters, digits, _ and .")
                .hasMessageContaining("withParameter(\"log_min_messages\", \"warning\")");
    }

    @Test
    void parameterValueWithLineBreakIsRejected() {
        assertThatThrownBy(() -> valid()
                .settings(PrimarySettings.empty().withArchiveCommand("true\nrm -rf /")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("value of archive_command")
                .hasMessageContaining("must not contain line breaks or NUL")
                .hasMessageContaining("Write the value on one line");
    }

    @Test
    void emptyPrimaryHostIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(Endpoint.of("", 5432)))
                .addStandby(standby("eshub")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("endpoint host ''")
                .hasMessageContaining("the host must not be empty")
                .hasMessageContaining("Endpoint.of(\"db.example.com\", 5432)");
    }

    @Test
    void hostWithSpaceIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(Endpoint.of("db example", 5432))).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("host 'db example'")
                .hasMessageContaining("without spaces or quotes");
    }

    @ParameterizedTest(name = "[{index}] port {0}")
    @ValueSource(ints = {0, -1, 65536, 70000})
    void portOutsideTcpRangeIsRejected(int port) {
        assertThatThrownBy(() -> Replication.primary(Primary.at(Endpoint.of("eshua.example", port)))
                .addStandby(standby("eshub")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("primary 'eshua_example' endpoint port " + port)
                .hasMessageContaining("a TCP port is between 1 and 65535")
                .hasMessageContaining("Endpoint.of(\"eshua.example\", 5432)");
    }

    @Test
    void adminEndpointIsCheckedToo() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY)
                .withAdminEndpoint(Endpoint.of("localhost", 0))).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("admin endpoint port 0");
    }

    @Test
    void standbyPortOutsideTcpRangeIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withPort(70000)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub' port 70000")
                .hasMessageContaining("Use .withPort(5432)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"10.0.0.0/33", "300.1.1.1/24", "10.0.0/24", "10.0.0.0/x", "fd00::/129"})
    void hbaRuleWithInvalidCidrIsRejected(String address) {
        String line = "host replication replicator " + address + " trust";

        assertThatThrownBy(() -> valid().allow(HbaRule.parse(line)).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("pg_hba rule '" + line + "'")
                .hasMessageContaining("address '" + address + "' is not a valid CIDR")
                .hasMessageContaining("prefix length 0-32 (e.g. 10.0.0.0/24)")
                .hasMessageContaining("Example: HbaRule.parse(\"host replication replicator 10.0.0.0/24"
                        + " scram-sha-256\")");
    }

    @Test
    void hbaRuleWithAddressWithoutPrefixLengthIsRejected() {
        assertThatThrownBy(() -> valid().allow(HbaRule.parse("host replication replicator 10.0.0.1 trust")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("address '10.0.0.1' is neither a CIDR")
                .hasMessageContaining("Add the prefix length: '10.0.0.1/32'");
    }

    @Test
    void hbaRuleWithUnknownMethodIsRejected() {
        assertThatThrownBy(() -> valid().allow(HbaRule.parse("host replication replicator 10.0.0.0/24 passwd"))
                .load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("pg_hba rule 'host replication replicator 10.0.0.0/24 passwd'")
                .hasMessageContaining("method 'passwd' is not a pg_hba method")
                .hasMessageContaining("Use scram-sha-256 with a password");
    }

    @Test
    void missingDataDirectoryIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY)).addStandby(Standby.named("eshub")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub' data directory (none)")
                .hasMessageContaining("every standby needs its PGDATA")
                .hasMessageContaining(".withDataDirectory(\"/var/lib/postgresql/17/main\")");
    }

    @Test
    void relativeDataDirectoryIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(Standby.named("eshub").withDataDirectory("data/eshub")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub' data directory 'data/eshub'")
                .hasMessageContaining("must be an absolute path")
                .hasMessageContaining("/var/lib/postgresql/data");
    }

    @Test
    void rootDataDirectoryIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(Standby.named("eshub").withDataDirectory("//")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("the root directory cannot be a data directory");
    }

    @Test
    void standbyWithoutCloneMethodIsRejected() {
        assertThatThrownBy(() -> Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withCloneMethods()).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshub' clone methods (none)")
                .hasMessageContaining(".withCloneMethods(BaseBackup.defaults())");
    }

    @Test
    void nonPositiveStreamingTimeoutIsRejected() {
        assertThatThrownBy(() -> valid().streamingTimeout(Duration.ZERO).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("streaming timeout PT0S")
                .hasMessageContaining("must be positive")
                .hasMessageContaining(".streamingTimeout(Duration.ofMinutes(1))");
    }

    @Test
    void everyProblemIsReportedAtOnceAndNumbered() {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(Endpoint.of("eshua", 0)))
                .settings(PrimarySettings.empty().withMaxWalSize("1gb"))
                .addStandby(Standby.named("eshub").withDataDirectory("relative").withSlot("eshub-slot")));

        assertThat(e.problems()).as("port, size, slot and data directory").hasSize(4);
        assertThat(e.getMessage()).as("counted, numbered, one per line")
                .startsWith("Invalid replication configuration: 4 problems")
                .contains("  1. ", "  2. ", "  3. ", "  4. ")
                .contains("port 0", "'1gb'", "'eshub-slot'", "'relative'");
        assertThat(e.getMessage().lines()).as("a heading line, then one line per problem").hasSize(5);
    }

    @Test
    void singleProblemIsCountedInTheSingular() {
        assertThatThrownBy(() -> valid().settings(PrimarySettings.empty().withMaxWalSize("1gb")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageStartingWith("Invalid replication configuration: 1 problem" + System.lineSeparator())
                .hasMessageContaining("  1. max_wal_size = '1gb': ");
    }

    @Test
    void problemDescribesSubjectRuleAndFixOnOneLine() {
        assertThat(new Problem("slot 'x-y'", "slot names use [a-z0-9_]", "Try 'x_y'").describe())
                .isEqualTo("slot 'x-y': slot names use [a-z0-9_]. Try 'x_y'");
    }

    @Test
    void aProblemIsOneLineWhateverTheValueItShowsHolds() {
        Problem p = new Problem("host 'a\nINFO: done'", "rule\r", "fix\u2028\0");
        assertThat(p.subject()).isEqualTo("host 'a\\nINFO: done'");
        assertThat(p.describe()).isEqualTo("host 'a\\nINFO: done': rule\\r. fix\\u2028\\0");
        assertThat(new Problem(p.subject(), p.rule(), p.fix())).as("escaping twice changes nothing").isEqualTo(p);
    }
}
