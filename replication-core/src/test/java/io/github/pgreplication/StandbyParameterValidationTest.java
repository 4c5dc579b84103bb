package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 11: parameters the library manages for a standby cannot be overridden with withParameter. */
class StandbyParameterValidationTest {

    private static Replication.Builder with(String name, String value) {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withParameter(name, value));
    }

    @Test
    void primarySlotNamePointsAtWithSlot() {
        assertThat(rejected(with("primary_slot_name", "My-Slot")).getMessage())
                .contains("standby 'eshub' parameter primary_slot_name", "the library writes it from the standby's"
                        + " slot", "Remove .withParameter(\"primary_slot_name\", ...) and use .withSlot(\"my_slot\")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"host=main port=1 user=replicator application_name=lost", "", "host=eshua.example"})
    void primaryConninfoIsRefusedWhateverItSays(String conninfo) {
        assertThat(rejected(with("primary_conninfo", conninfo)).getMessage())
                .contains("standby 'eshub' parameter primary_conninfo", "the library writes it from the description",
                        "Remove .withParameter(\"primary_conninfo\", ...)", "replicationRole(...)", ".withPassfile(...)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"5433", "5432 ", "x"})
    void aPortOtherThanWithPortsIsRefused(String port) {
        assertThat(rejected(with("port", port)).getMessage())
                .contains("standby 'eshub' parameter port '" + port + "'", "the port given with withPort (5432)",
                        "use .withPort(" + (port.equals("x") ? "5433" : port.trim()) + ")");
    }

    @Test
    void thePortWithPortWroteLoads() {
        loads(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withPort(5433)));
        loads(Replication.primary(Primary.at(PRIMARY)).addStandby(standby("eshub").withPort(5433)
                .withParameter("port", "5433")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"off", "OFF", "false", "0", "no"})
    void hotStandbyOffIsRefused(String value) {
        assertThat(rejected(with("hot_standby", value)).getMessage())
                .contains("standby 'eshub' parameter hot_standby '" + value + "'", "read-only queries",
                        "Remove .withParameter(\"hot_standby\", ...)");
    }

    @Test
    void hotStandbyOffOnThePrimaryIsRefusedWhenThereAreStandbys() {
        assertThat(rejected(Descriptions.valid().settings(PrimarySettings.empty().withHotStandby(false)))
                .getMessage()).contains("hot_standby = 'off'", "standbys inherit it", "withHotStandby(true)");
        loads(Replication.primary(Primary.at(PRIMARY)).settings(PrimarySettings.empty().withHotStandby(false)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"recovery_target", "recovery_target_lsn", "recovery_target_name", "recovery_target_time",
            "recovery_target_xid"})
    void recoveryTargetsAreRefused(String name) {
        assertThat(rejected(with(name, "immediate")).getMessage())
                .contains("standby 'eshub' parameter " + name, "a recovery target would stop (or promote) it",
                        "Remove .withParameter(\"" + name + "\", ...)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"max_standby_streaming_delay", "hot_standby_feedback", "restore_command",
            "recovery_min_apply_delay", "shared_buffers", "hot_standby"})
    void otherParametersLoad(String name) {
        loads(with(name, name.equals("hot_standby") ? "on" : "1"));
    }
}
