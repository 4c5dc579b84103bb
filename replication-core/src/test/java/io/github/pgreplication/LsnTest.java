package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {

    @Test
    void parseReadsHighAndLowHalves() {
        assertThat(Lsn.parse("16/B374D848").value()).isEqualTo(0x16_B374_D848L);
        assertThat(Lsn.parse("0/3000148").value()).isEqualTo(0x300_0148L);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"16/B374D848", "0/3000148", "0/0", "FFFFFFFF/FFFFFFFF", "1/0"})
    void toStringRoundTripsPostgresFormat(String text) {
        assertThat(Lsn.parse(text)).hasToString(text);
    }

    @Test
    void lowerCaseHexIsAcceptedAndPrintedUpperCase() {
        assertThat(Lsn.parse("16/b374d848")).as("PostgreSQL prints upper case").hasToString("16/B374D848");
    }

    @Test
    void comparisonIsUnsigned() {
        Lsn high = Lsn.parse("FFFFFFFF/0");
        Lsn low = Lsn.parse("0/1");

        assertThat(high.value()).as("negative as a signed long").isNegative();
        assertThat(high).as("but later in the WAL").isGreaterThan(low);
        assertThat(high.isAtOrAfter(low)).isTrue();
        assertThat(low.isAtOrAfter(high)).isFalse();
    }

    @Test
    void equalPositionsAreAtOrAfterEachOther() {
        assertThat(Lsn.parse("0/3000148").isAtOrAfter(Lsn.parse("0/3000148"))).isTrue();
        assertThat(Lsn.parse("0/3000148")).isEqualByComparingTo(Lsn.parse("0/03000148"));
    }

    @Test
    void comparisonCrossesThe32BitBoundary() {
        assertThat(Lsn.parse("1/0")).isGreaterThan(Lsn.parse("0/FFFFFFFF"));
    }

    @Test
    void minusGivesBytesBetweenPositions() {
        assertThat(Lsn.parse("0/3000148").minus(Lsn.parse("0/3000100"))).isEqualTo(0x48);
        assertThat(Lsn.parse("1/0").minus(Lsn.parse("0/FFFFFFFF"))).as("across the boundary").isEqualTo(1);
        assertThat(Lsn.parse("0/3000100").minus(Lsn.parse("0/3000148"))).as("negative when behind")
                .isEqualTo(-0x48);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"3000148", "0/", "/1", "G/0", "0/3000148 ", "123456789/0", "0-1", ""})
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> Lsn.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not an LSN")
                .hasMessageContaining("two hexadecimal numbers separated by '/', such as '0/3000148'");
    }

    @Test
    void nullIsRejectedByParseAndPassedThroughByParseNullable() {
        assertThatThrownBy(() -> Lsn.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null' is not an LSN");
        assertThat(Lsn.parseNullable(null)).as("PostgreSQL's NULL means unknown").isNull();
        assertThat(Lsn.parseNullable("0/1")).isEqualTo(new Lsn(1));
    }
}
