package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgBackRestVersionTest {
    @Test
    void parsesTheFormatsPgBackRestPrints() {
        assertThat(PgBackRestVersion.parse("pgBackRest 2.45\n")).isEqualTo(new PgBackRestVersion(2, 45, -1, ""))
                .hasToString("2.45");
        assertThat(PgBackRestVersion.parse("pgBackRest 2.55.1")).hasToString("2.55.1");
        assertThat(PgBackRestVersion.parse("pgBackRest 2.56.0dev").suffix()).isEqualTo("dev");
        assertThat(PgBackRestVersion.parse("2.45")).isEqualTo(PgBackRestVersion.parse("pgBackRest 2.45"));
    }

    @Test
    void ordersVersions() {
        assertThat(PgBackRestVersion.parse("2.45")).isLessThan(PgBackRestVersion.parse("2.46"));
        assertThat(PgBackRestVersion.parse("2.55.1")).isGreaterThan(PgBackRestVersion.parse("2.55"));
        assertThat(PgBackRestVersion.parse("2.56.0dev")).isLessThan(PgBackRestVersion.parse("2.56.0"));
        assertThat(PgBackRestVersion.parse("2.46").isAtLeast(PgBackRestVersion.parse("2.46"))).isTrue();
    }

    @Test
    void noVersionIsAClearError() {
        assertThatThrownBy(() -> PgBackRestVersion.parse("command not found"))
                .hasMessageContaining("holds no pgBackRest version")
                .hasMessageContaining("'pgBackRest 2.45'");
    }
}
