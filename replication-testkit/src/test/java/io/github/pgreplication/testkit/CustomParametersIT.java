package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.ServiceControl;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Custom (dotted) parameters, and the usual pg_stat_statements set-up where the library that defines
 * {@code pg_stat_statements.max} is loaded by the restart of the same apply(): both are set, the restart happens,
 * the values show, and a second apply() changes nothing.
 */
class CustomParametersIT {
    static final String CANARY = "it's a \"canary\", \\ on one line";
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "custom", "broken");
        machines.initDatabase("custom");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    private static Replication describe(PrimarySettings settings) {
        ClusterNode custom = machines.machine("custom");
        return Replication.primary(Primary.at(custom.internalEndpoint()).withName("custom")
                        .withAdminEndpoint(custom.endpoint()).withAdmin("postgres", custom.password())
                        .withHost(custom.host()).withService(ServiceControl.pgCtl()))
                .settings(settings)
                .load();
    }

    private static StepOutcome settingsStep(ApplyResult result) {
        return result.outcomes().stream().filter(s -> s.title().startsWith("settings")).findFirst().orElseThrow();
    }

    @Test
    void customAndExtensionParametersApplyWithTheRestartThatLoadsTheLibrary() {
        ClusterNode custom = machines.machine("custom");
        PrimarySettings settings = PrimarySettings.empty()
                .withParameter("acceptance.canary", CANARY)
                // Two libraries in one value: each goes as a literal of its own (one literal holding the comma would
                // name a library "pg_stat_statements,auto_explain", and the restart would fail).
                .withParameter("shared_preload_libraries", "pg_stat_statements,auto_explain")
                .withParameter("intervalstyle", "iso_8601") // pg_settings spells it IntervalStyle
                .withParameter("pg_stat_statements.max", "2000")
                .withParameter("pg_stat_statements.track", "all");
        String startedBefore = custom.query("SELECT pg_postmaster_start_time()");
        try (Replication replication = describe(settings)) {
            StepOutcome first = settingsStep(replication.apply());
            assertThat(first.status()).isEqualTo(StepOutcome.Status.APPLIED);
            assertThat(first.detail()).contains("restarted for [shared_preload_libraries]")
                    .contains("[acceptance.canary] kept as custom parameters (no loaded library defines them)");
        }
        String startedAfter = custom.query("SELECT pg_postmaster_start_time()");
        assertThat(startedAfter).as("the server was restarted").isNotEqualTo(startedBefore);
        assertThat(custom.query("SELECT name || '=' || setting FROM pg_settings WHERE name IN"
                + " ('shared_preload_libraries', 'pg_stat_statements.max', 'pg_stat_statements.track') ORDER BY name"))
                .isEqualTo("pg_stat_statements.max=2000\npg_stat_statements.track=all\n"
                        + "shared_preload_libraries=pg_stat_statements, auto_explain");
        assertThat(custom.query("SHOW IntervalStyle")).isEqualTo("iso_8601");
        assertThat(custom.query("SELECT pending_restart FROM pg_settings WHERE name = 'pg_stat_statements.max'"))
                .isEqualTo("f");
        // A placeholder is never listed in pg_settings; a new session reads it, and it is in the configuration file.
        assertThat(custom.query("SELECT current_setting('acceptance.canary')")).isEqualTo(CANARY);
        assertThat(custom.query("SELECT setting FROM pg_file_settings WHERE name = 'acceptance.canary'"
                + " AND error IS NULL")).isEqualTo(CANARY);
        custom.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        assertThat(custom.query("SELECT count(*) > 0 FROM pg_stat_statements")).as("the library is loaded")
                .isEqualTo("t");

        try (Replication again = describe(settings)) {
            StepOutcome second = settingsStep(again.apply());
            assertThat(second.status()).as(second.toString()).isEqualTo(StepOutcome.Status.ALREADY_DONE);
        }
        assertThat(custom.query("SELECT pg_postmaster_start_time()")).as("no second restart").isEqualTo(startedAfter);

        // A changed custom value is a change like any other: reloaded, no restart.
        try (Replication changed = describe(settings.withParameter("acceptance.canary", "second"))) {
            StepOutcome third = settingsStep(changed.apply());
            assertThat(third.status()).isEqualTo(StepOutcome.Status.APPLIED);
            assertThat(third.detail()).contains("set [acceptance.canary]").doesNotContain("restarted");
        }
        assertThat(custom.query("SELECT current_setting('acceptance.canary')")).isEqualTo("second");
        assertThat(custom.query("SELECT pg_postmaster_start_time()")).isEqualTo(startedAfter);
    }

    @Test
    void aPlainNameThatDoesNotExistIsStillRefusedSayingSo() {
        try (Replication replication = describe(PrimarySettings.empty().withParameter("work_meme", "4MB"))) {
            assertThatThrownBy(replication::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Parameter 'work_meme' does not exist on primary 'custom'")
                    .hasMessageContaining("not in pg_settings")
                    .hasMessageContaining("dotted name, e.g. pg_stat_statements.max");
        }
        assertThat(machines.machine("custom").query("SELECT count(*) FROM pg_file_settings WHERE name = 'work_meme'"))
                .isEqualTo("0");
    }

    @Test
    void aServerThatCannotStartFailsAtOnceWithTheEndOfItsLog() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> machines.initDatabase("broken", Map.of("shared_buffers", "lots")))
                .as("initDatabase's start noticed that postgres exited")
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("the server exited as it started; the end of "
                        + PostgresMachines.DATA_DIRECTORY + ".log:")
                .hasMessageContaining("shared_buffers");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("at once, not after a 120 s wait")
                .isLessThan(Duration.ofSeconds(20));
    }
}
