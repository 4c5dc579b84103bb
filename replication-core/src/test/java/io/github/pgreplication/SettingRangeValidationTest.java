package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7 item 10: every parameter PrimarySettings types is checked against what PostgreSQL accepts (pg_settings
 * min_val, max_val, unit, enumvals), however it was given, and a value PostgreSQL would round is refused naming
 * what it would become.
 */
class SettingRangeValidationTest {

    private static InvalidReplicationConfigException refused(PrimarySettings settings) {
        return rejected(valid().settings(settings));
    }

    @Test
    void subSecondArchiveTimeoutIsNotSilentlyZero() {
        PrimarySettings s = PrimarySettings.empty().withArchiveTimeout(Duration.ofMillis(500));
        assertThat(s.get("archive_timeout")).as("written exactly").contains("0.5s");

        assertThat(refused(s).getMessage()).contains("archive_timeout = '0.5s'", "PostgreSQL keeps archive_timeout"
                + " in whole seconds and would make it 0s, which disables it",
                "Use withArchiveTimeout(Duration.ofSeconds(1))");
    }

    @ParameterizedTest(name = "[{index}] {0} ms -> {1} s, suggest {2}")
    @CsvSource({"1500, 2, 2", "2500, 2, 3", "60001, 60, 61", "1, 0, 1"})
    void archiveTimeoutsThatWouldBeRoundedNameTheRoundedValue(long millis, long rounded, long suggested) {
        assertThat(refused(PrimarySettings.empty().withArchiveTimeout(Duration.ofMillis(millis))).getMessage())
                .contains("would make it " + rounded + "s", "Duration.ofSeconds(" + suggested + ")");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(longs = {-1, -60, -1_000_000})
    void negativeDurationsAreRefused(long seconds) {
        assertThat(refused(PrimarySettings.empty().withArchiveTimeout(Duration.ofSeconds(seconds))).getMessage())
                .contains("archive_timeout = '" + seconds + "s'", "outside PostgreSQL's range for archive_timeout:"
                        + " 0 to 1073741823 s (0 disables it)", "withArchiveTimeout(Duration.ofMinutes(1))");
    }

    @Test
    void durationsAboveTheMaximumAreRefused() {
        assertThat(refused(PrimarySettings.empty().withArchiveTimeout(Duration.ofDays(20000))).getMessage())
                .contains("archive_timeout = '1728000000s'", "0 to 1073741823 s");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"0", "60", "60s", "1min", "2h", "1d", "30000ms", "1000000us"})
    void archiveTimeoutsPostgresKeepsExactlyLoad(String value) {
        loads(valid().settings(PrimarySettings.empty().withParameter("archive_timeout", value)));
        loads(valid().settings(PrimarySettings.empty().withArchiveTimeout(Duration.ofMinutes(5))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"soon", "1 minute", "1M", "1S", "--1"})
    void archiveTimeoutsThatAreNotDurationsAreRefused(String value) {
        assertThat(refused(PrimarySettings.empty().withParameter("archive_timeout", value)).getMessage())
                .contains("is not a PostgreSQL duration", "us, ms, s, min, h or d (case-sensitive)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"-5", "-1", "0", "1", "-5MB"})
    void unitLessOrNegativeWalSizesAreCheckedLikeSizes(String value) {
        InvalidReplicationConfigException e = refused(PrimarySettings.empty().withMaxWalSize(value));
        assertThat(e.getMessage()).contains("max_wal_size = '" + value + "'");
        assertThat(e.getMessage()).containsAnyOf("outside PostgreSQL's range for max_wal_size: 2 to 2147483647MB",
                "must hold at least two WAL segments", "Sizes are not negative");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"2", "16MB", "31MB"})
    void walSizesBelowTwoSegmentsAreRefusedBecauseTheServerWouldNotStart(String value) {
        assertThat(refused(PrimarySettings.empty().withMinWalSize(value)).getMessage())
                .contains("min_wal_size = '" + value + "'", "must hold at least two WAL segments (32MB with the"
                        + " default 16MB segments), or PostgreSQL refuses to start", "Write '32MB' or more");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({"1536kB, 2MB, '2MB', '1MB'", "1025kB, 1MB, '2MB', '1MB'", "3000000B, 3MB, '3MB', '2MB'"})
    void sizesPostgresWouldRoundToMegabytesAreRefused(String value, String rounded, String up, String down) {
        assertThat(refused(PrimarySettings.empty().withParameter("wal_keep_size", value)).getMessage())
                .contains("wal_keep_size = '" + value + "'", "PostgreSQL keeps wal_keep_size in whole MB and would"
                        + " make it " + rounded, "Write '" + up + "'", "or '" + down + "'");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1GB", "1024", "32MB", "2TB", "1048576kB"})
    void exactSizesInRangeLoad(String value) {
        loads(valid().settings(PrimarySettings.empty().withMaxWalSize(value)));
    }

    @Test
    void unlimitedIsAcceptedOnlyWherePostgresAllowsIt() {
        loads(valid().settings(PrimarySettings.empty().withMaxSlotWalKeepSize(DataSize.unlimited())));
        assertThat(refused(PrimarySettings.empty().withWalKeepSize(DataSize.unlimited())).getMessage())
                .contains("wal_keep_size = '-1'", "0 to 2147483647MB");
        assertThat(refused(PrimarySettings.empty().withParameter("max_slot_wal_keep_size", "-2")).getMessage())
                .contains("-1 to 2147483647MB (-1 for no limit)");
    }

    @Test
    void sizesAboveTheMaximumAreRefused() {
        assertThat(refused(PrimarySettings.empty().withMaxWalSize(DataSize.parse("4096TB"))).getMessage())
                .contains("max_wal_size = '4096TB'", "2 to 2147483647MB");
        assertThat(refused(PrimarySettings.empty().withMaxWalSize("99999999999999999999")).getMessage())
                .contains("2 to 2147483647MB");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(ints = {-1, -10, 262144, Integer.MAX_VALUE})
    void senderAndSlotCountsOutsidePostgresRangeAreRefused(int n) {
        assertThat(refused(PrimarySettings.empty().withMaxWalSenders(n)).getMessage())
                .contains("max_wal_senders = '" + n + "'", "outside PostgreSQL's range for max_wal_senders: 0 to"
                        + " 262143", "withMaxWalSenders(10)");
        assertThat(refused(PrimarySettings.empty().withMaxReplicationSlots(n)).getMessage())
                .contains("max_replication_slots = '" + n + "'", "0 to 262143", "withMaxReplicationSlots(10)");
    }

    @ParameterizedTest(name = "[{index}] {0} = {1}")
    @CsvSource({"fsync, maybe", "full_page_writes, yess", "wal_log_hints, 2", "hot_standby, onn"})
    void booleansAreOnOrOff(String name, String value) {
        assertThat(refused(PrimarySettings.empty().withParameter(name, value)).getMessage())
                .contains(name + " = '" + value + "'", "a boolean is on or off");
    }

    @ParameterizedTest(name = "[{index}] {0} = {1}")
    @CsvSource({"wal_level, hot_standby", "wal_level, archive", "synchronous_commit, true", "wal_sync_method, sync",
            "wal_compression, gzip", "archive_mode, yes"})
    void enumsAcceptPostgresVisibleValuesOnly(String name, String value) {
        assertThat(refused(PrimarySettings.empty().withParameter(name, value)).getMessage())
                .contains(name + " = '" + value + "'", "PostgreSQL accepts one of [");
    }

    @ParameterizedTest(name = "[{index}] {0} = {1}")
    @CsvSource({"wal_level, REPLICA", "synchronous_commit, remote_apply", "wal_compression, lz4", "fsync, TRUE",
            "archive_mode, always"})
    void enumAndBooleanValuesLoadCaseInsensitively(String name, String value) {
        loads(valid().settings(PrimarySettings.empty().withParameter(name, value)));
    }

    @Test
    void oneStandbyIsWordedInTheSingular() {
        assertThat(refused(PrimarySettings.empty().withMaxWalSenders(1)).getMessage())
                .contains("max_wal_senders = 1: the standby needs 2 (").doesNotContain("1 standbys");
        assertThat(refused(PrimarySettings.empty().withMaxReplicationSlots(0)).getMessage())
                .contains("max_replication_slots = 0: the standby needs its own slot");
    }
}
