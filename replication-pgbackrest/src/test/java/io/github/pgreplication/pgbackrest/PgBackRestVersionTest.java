package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgBackRestVersionTest {
    @Test
    void parsesTheFormatsPgBackRestPrints() {
        assertThat(PgBackRest.Version.parse("pgBackRest 2.45\n")).isEqualTo(new PgBackRest.Version(2, 45, -1, ""))
                .hasToString("2.45");
        assertThat(PgBackRest.Version.parse("pgBackRest 2.55.1")).hasToString("2.55.1");
        assertThat(PgBackRest.Version.parse("pgBackRest 2.56.0dev").suffix()).isEqualTo("dev");
        assertThat(PgBackRest.Version.parse("2.45")).isEqualTo(PgBackRest.Version.parse("pgBackRest 2.45"));
    }

    @Test
    void ordersVersions() {
        assertThat(PgBackRest.Version.parse("2.45")).isLessThan(PgBackRest.Version.parse("2.46"));
        assertThat(PgBackRest.Version.parse("2.55.1")).isGreaterThan(PgBackRest.Version.parse("2.55"));
        assertThat(PgBackRest.Version.parse("2.56.0dev")).isLessThan(PgBackRest.Version.parse("2.56.0"));
        assertThat(PgBackRest.Version.parse("2.46").isAtLeast(PgBackRest.Version.parse("2.46"))).isTrue();
    }

    @Test
    void noVersionIsAClearError() {
        assertThatThrownBy(() -> PgBackRest.Version.parse("command not found"))
                .hasMessageContaining("holds no pgBackRest version")
                .hasMessageContaining("'pgBackRest 2.45'");
    }
}
