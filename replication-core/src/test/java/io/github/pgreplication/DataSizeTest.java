package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1GB", "300MB", "1536kB", "-1", "1TB", "512B", "64kB"})
    void parseThenToPostgresRoundTrips(String text) {
        assertThat(DataSize.parse(text).toPostgres()).as("the largest exact unit is the one written").isEqualTo(text);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({"1024MB, 1GB", "2048kB, 2MB", "1024B, 1kB", "1 GB, 1GB", "' 300MB ', 300MB", "0B, 0B"})
    void toPostgresUsesTheLargestExactUnit(String text, String expected) {
        assertThat(DataSize.parse(text).toPostgres()).isEqualTo(expected);
    }

    @Test
    void parseCountsPostgresUnitsInPowersOf1024() {
        assertThat(DataSize.parse("1kB").bytes()).isEqualTo(1024L);
        assertThat(DataSize.parse("300MB").bytes()).isEqualTo(300L * 1024 * 1024);
        assertThat(DataSize.parse("1GB").bytes()).isEqualTo(1L << 30);
        assertThat(DataSize.parse("1TB").bytes()).isEqualTo(1L << 40);
    }

    @Test
    void minusOneIsUnlimited() {
        assertThat(DataSize.parse("-1")).isEqualTo(DataSize.unlimited());
        assertThat(DataSize.unlimited().isUnlimited()).isTrue();
        assertThat(DataSize.unlimited().toPostgres()).isEqualTo("-1");
        assertThat(DataSize.parse("1GB").isUnlimited()).isFalse();
    }

    @Test
    void factoriesMatchParsedValues() {
        assertThat(DataSize.ofMegabytes(300)).isEqualTo(DataSize.parse("300MB"));
        assertThat(DataSize.ofGigabytes(1)).isEqualTo(DataSize.ofMegabytes(1024));
        assertThat(DataSize.ofGigabytes(1)).as("toString is the PostgreSQL rendering").hasToString("1GB");
    }

    @Test
    void sizesCompareByBytes() {
        assertThat(DataSize.parse("1GB")).isGreaterThan(DataSize.parse("1023MB"));
        assertThat(DataSize.parse("1024MB")).isEqualByComparingTo(DataSize.parse("1GB"));
    }

    @Test
    void lowerCaseUnitIsRejectedWithCorrectedUnit() {
        assertThatThrownBy(() -> DataSize.parse("1gb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1gb' is not a PostgreSQL size")
                .hasMessageContaining("B, kB, MB, GB or TB (units are case-sensitive), or -1 for no limit")
                .hasMessageEndingWith("Try '1GB'.");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({"1gb, 1GB", "64KB, 64kB", "64k, 64kB", "2 mib, 2MB", "3 t, 3TB", "10 bytes, 10B",
            "10 parsecs, 10MB"})
    void unitMistakesGetASuggestion(String text, String suggestion) {
        assertThatThrownBy(() -> DataSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageEndingWith("Try '" + suggestion + "'.");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "GB", "1.5GB", "-2", "1024", "big"})
    void textWithoutWholeNumberAndUnitIsRejected(String text) {
        assertThatThrownBy(() -> DataSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a PostgreSQL size")
                .hasMessageContaining("Try '");
    }

    @Test
    void nullIsRejectedWithAMessage() {
        assertThatThrownBy(() -> DataSize.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null' is not a PostgreSQL size");
    }

    @Test
    void negativeBytesOtherThanMinusOneAreRejected() {
        assertThatThrownBy(() -> new DataSize(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size -2 bytes is negative")
                .hasMessageContaining("use -1 for unlimited");
    }

    @Test
    void sizeTooLargeForALongIsRejectedWithAMessage() {
        assertThatThrownBy(() -> DataSize.parse("10000000TB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10000000TB'");
    }
}
