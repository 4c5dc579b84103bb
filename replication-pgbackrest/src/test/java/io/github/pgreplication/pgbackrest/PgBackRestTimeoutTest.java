package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 25 item 5: pgBackRest's timeout setters refuse zero and negative durations, like every other one. */
class PgBackRestTimeoutTest {
    @ParameterizedTest(name = "[{index}] {0} s")
    @ValueSource(longs = {0, -1})
    void aTimeoutThatIsNotPositiveIsRefused(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withTimeout(d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pgBackRest timeout " + d + " must be positive")
                .hasMessageContaining("e.g. .withTimeout(Duration.ofHours(6))");
        assertThatThrownBy(() -> PgBackRestRestore.using("psql").withTimeout(d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pgBackRest restore timeout " + d + " must be positive")
                .hasMessageContaining("e.g. .withTimeout(Duration.ofHours(6))");
        assertThatCode(() -> PgBackRestRestore.using("psql").withTimeout(Duration.ofMinutes(1)))
                .doesNotThrowAnyException();
    }
}
