package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Desired values against pg_settings (setting, unit, vartype), the way PostgreSQL would parse them. */
class SettingValuesTest {

    @Test
    void aListParameterIsComparedAndWrittenItemByItem() {
        assertThat(SettingValues.listItems("pg_stat_statements,auto_explain"))
                .containsExactly("pg_stat_statements", "auto_explain");
        assertThat(SettingValues.listItems(" \"$user\", public ,\"a,b\",\"q\"\"x\""))
                .containsExactly("$user", "public", "a,b", "q\"x");
        assertThat(SettingValues.listItems("")).isEmpty();
        assertThat(SettingValues.listItems("  ")).isEmpty();
        // pg_settings shows what ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain' set
        assertThat(SettingValues.matches("shared_preload_libraries", "pg_stat_statements,auto_explain",
                "pg_stat_statements, auto_explain", null, "string")).isTrue();
        assertThat(SettingValues.matches("shared_preload_libraries", "pg_stat_statements",
                "pg_stat_statements, auto_explain", null, "string")).isFalse();
        assertThat(SettingValues.matches("search_path", "\"$user\", public", "\"$user\", public", null, "string"))
                .isTrue();
        assertThat(SettingValues.matches("application_name", "a,b", "a, b", null, "string")).as("not a list")
                .isFalse();
        assertThat(String.join(", ", SettingsStep.values("shared_preload_libraries", "pg_stat_statements,"
                + " auto_explain").stream().map(SqlText::displayLiteral).toList()))
                .isEqualTo("'pg_stat_statements', 'auto_explain'");
        assertThat(String.join(", ", SettingsStep.values("shared_preload_libraries", "").stream()
                .map(SqlText::displayLiteral).toList())).isEqualTo("''");
        assertThat(SettingsStep.values("application_name", "a, b")).as("not a list: one value").containsExactly("a, b");
    }

    @ParameterizedTest(name = "[{index}] {0} vs on")
    @ValueSource(strings = {"on", "ON", "true", "yes", "1", "t", " on "})
    void boolSynonymsOfOnMatchOn(String desired) {
        assertThat(SettingValues.matches(desired, "on", null, "bool")).as(desired + " means on").isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0} vs off")
    @ValueSource(strings = {"off", "false", "no", "0", "f", "OFF"})
    void boolSynonymsOfOffMatchOff(String desired) {
        assertThat(SettingValues.matches(desired, "off", null, "bool")).isTrue();
        assertThat(SettingValues.matches(desired, "on", null, "bool")).as(desired + " is not on").isFalse();
    }

    @Test
    void boolThatIsNotABooleanNeverMatches() {
        assertThat(SettingValues.matches("maybe", "on", null, "bool")).isFalse();
    }

    @Test
    void enumsCompareCaseInsensitively() {
        assertThat(SettingValues.matches("REPLICA", "replica", null, "enum")).isTrue();
        assertThat(SettingValues.matches("Remote_Apply", "remote_apply", null, "enum")).isTrue();
        assertThat(SettingValues.matches("replica", "logical", null, "enum")).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} {2}")
    @CsvSource({
            "1GB, 1024, MB",
            "300MB, 300, MB",
            "64kB, 8, 8kB",
            "1MB, 128, 8kB",
            "128MB, 16384, 8kB",
            "1TB, 1048576, MB",
            "512B, 512, B",
            "-1, -1, MB",
            "1024, 1024, MB",
            "' 1GB ', 1024, MB"})
    void sizesWithUnitsMatchTheBaseUnitValue(String desired, String setting, String unit) {
        assertThat(SettingValues.matches(desired, setting, unit, "integer"))
                .as("%s equals %s in unit %s", desired, setting, unit).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} {2}")
    @CsvSource({"1GB, 1023, MB", "300MB, 300, kB", "64kB, 7, 8kB", "-1, 0, MB", "1GB, 1024, s"})
    void differentSizesDoNotMatch(String desired, String setting, String unit) {
        assertThat(SettingValues.matches(desired, setting, unit, "integer")).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} {2}")
    @CsvSource({"60s, 1, min", "1min, 60, s", "5min, 300000, ms", "1h, 60, min", "1d, 86400, s", "200ms, 200, ms",
            "30s, 30000, ms"})
    void timesWithUnitsMatchTheBaseUnitValue(String desired, String setting, String unit) {
        assertThat(SettingValues.matches(desired, setting, unit, "integer")).isTrue();
    }

    @Test
    void differentTimesDoNotMatch() {
        assertThat(SettingValues.matches("60s", "2", "min", "integer")).isFalse();
        assertThat(SettingValues.matches("1min", "59", "s", "integer")).isFalse();
    }

    @Test
    void numbersWithoutUnitCompareNumerically() {
        assertThat(SettingValues.matches("10", "10", null, "integer")).isTrue();
        assertThat(SettingValues.matches("10", "11", null, "integer")).isFalse();
        assertThat(SettingValues.matches("0.9", "0.90", null, "real")).as("numeric, not textual").isTrue();
    }

    @Test
    void numberThatDoesNotParseNeverMatches() {
        assertThat(SettingValues.matches("lots", "10", null, "integer")).isFalse();
        assertThat(SettingValues.matches("1 GB extra", "1024", "MB", "integer")).isFalse();
    }

    @Test
    void unknownUnitNeverMatches() {
        assertThat(SettingValues.matches("1parsec", "1", "MB", "integer")).isFalse();
    }

    @Test
    void stringsCompareExactly() {
        assertThat(SettingValues.matches("*", "*", null, "string")).isTrue();
        assertThat(SettingValues.matches("FIRST 1 (eshub)", "FIRST 1 (eshub)", null, "string")).isTrue();
        assertThat(SettingValues.matches("localhost", "Localhost", null, "string")).as("case matters").isFalse();
        assertThat(SettingValues.matches("a ", "a", null, "string")).as("spaces matter").isFalse();
    }

    @Test
    void unknownSettingNeverMatches() {
        assertThat(SettingValues.matches("on", null, null, "bool")).isFalse();
    }

    @Test
    void sizeRoundedByPostgresToItsBaseUnitCountsAsInEffect() {
        assertThat(SettingValues.matches("1536kB", "2", "MB", "integer")).isTrue();
    }
}
