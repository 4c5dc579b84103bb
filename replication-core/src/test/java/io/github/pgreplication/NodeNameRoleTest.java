package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25 item 2: every node's name follows the rule of every role it can take. The primary becomes a standby at a
 * switchover (its name is then the application_name the new primary reports, and its slot {@code <name>_slot}), so
 * its name, data directory and future slot are held to the standbys' rules; a name whose default slot would not fit
 * PostgreSQL's 63 bytes is refused instead of its slot being cut short.
 */
class NodeNameRoleTest {
    private static final String RULE = "node names use letters, digits and underscores, 1 to 63 characters";

    private static Replication.Builder primaryNamed(String name) {
        return Replication.primary(Primary.at(PRIMARY).withName(name)).addStandby(standby("eshub"));
    }

    @Test
    void aRightToLeftOverrideInThePrimarysNameIsRefusedAsTheControlCharacterItIs() {
        InvalidReplicationConfigException e = rejected(primaryNamed("eshua\u202egnp"));
        assertThat(e.getMessage()).contains("primary name 'eshua\\u202egnp'", ".withName(\"eshuagnp\")",
                "must not contain line breaks or NUL (nor any other control character)").doesNotContain("\u202e");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"eshua-1", "eshua.example", "eshua 1", "é", "eshua\u200b",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void thePrimarysNameFollowsTheStandbyRule(String name) {
        InvalidReplicationConfigException e = rejected(primaryNamed(name));
        assertThat(e.getMessage()).as("the rule, and why it holds for the primary")
                .contains("primary name '" + Problem.shown(name) + "'", RULE,
                        "the primary becomes a standby at a switchover")
                .contains("Try .withName(\"");
        assertThat(e.getMessage()).as("invisible characters are shown escaped").doesNotContain("\u202e", "\u200b");
    }

    @Test
    void aPrimaryNameOfTenThousandCharactersIsRefusedShortened() {
        InvalidReplicationConfigException e = rejected(primaryNamed("p".repeat(10_000)));
        assertThat(e.getMessage()).contains(RULE, "(10000 characters)").hasSizeLessThan(1_500);
    }

    @Test
    void aNameWhoseDefaultSlotWouldBeCutIsRefused() {
        String name = "e".repeat(59);
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby(name)));
        assertThat(e.getMessage()).as("the slot it would get and the limit")
                .contains("standby '" + name + "'", "its default slot '" + name + "_slot' would be 64 characters",
                        "slot names are at most 63", "give it a name of at most 58 characters or its own slot")
                .contains(".withSlot(\"");
        loads(Replication.primary(Primary.at(PRIMARY)).addStandby(standby(name).withSlot("eshub_slot")));
        loads(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("e".repeat(58))));

        InvalidReplicationConfigException primary = rejected(primaryNamed(name));
        assertThat(primary.getMessage()).as("the primary has no slot of its own to give")
                .contains("primary name '" + name + "'", "its default slot '" + name + "_slot' would be 64"
                        + " characters", "Try .withName(\"" + "e".repeat(58) + "\")");
    }

    @Test
    void thePrimaryIsNamedAfterItsHostAsAValidName() {
        assertThat(Primary.at(Endpoint.of("eshua.example", 5432)).name()).isEqualTo("eshua_example");
        assertThat(Primary.at(Endpoint.of("10.0.0.5")).name()).isEqualTo("10_0_0_5");
        assertThat(Primary.at(Endpoint.of("h".repeat(253))).name()).as("cut so that its slot fits")
                .hasSize(58);
        loads(Replication.primary(Primary.at(Endpoint.of("db-1.example.com", 5432))).addStandby(standby("eshub")));
        assertThat(Replication.standbyOf(Endpoint.of("db-1.example.com"), ReplicationRole.named("replicator"))
                .addStandby(standby("eshub")).load()).as("a join names its primary after its host too").isNotNull();
    }

    @Test
    void thePrimaryAndAStandbyCannotShareAName() {
        InvalidReplicationConfigException e = rejected(primaryNamed("eshub"));
        assertThat(e.getMessage()).contains("primary 'eshub' and standby 'eshub'",
                "each node needs its own name", "Rename one, e.g. .withName(\"eshub_2\")");
    }

    @Test
    void thePrimarysFutureSlotIsNoStandbysSlot() {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY).withName("eshua"))
                .addStandby(standby("eshub").withSlot("eshua_slot")));
        assertThat(e.getMessage()).contains("standby 'eshub' slot 'eshua_slot'",
                "it is the slot primary 'eshua' gets when it becomes a standby at a switchover",
                ".withSlot(\"eshub_slot\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/", "/.", "relative", "/etc", "/srv/..", "/var/lib/x\ny"})
    void thePrimarysDataDirectoryFollowsTheStandbyRule(String dir) {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY).withName("eshua")
                .withDataDirectory(dir)).addStandby(standby("eshub")));
        assertThat(e.getMessage()).contains("primary 'eshua' data directory '" + Problem.shown(dir) + "'",
                "Use a dedicated directory written from the root");
        loads(Replication.primary(Primary.at(PRIMARY).withDataDirectory("/var/lib/postgresql/17/main"))
                .addStandby(standby("eshub")));
    }
}
