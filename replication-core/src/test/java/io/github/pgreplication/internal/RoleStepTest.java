package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SCRAM iteration count the role step hashes with; the statement itself runs against real servers (ITs). */
class RoleStepTest {
    @Test
    void theServersScramIterationsAreUsedWhenItHasThemElsePostgresDefault() {
        assertThat(RoleStep.parseIterations("64")).isEqualTo(64);
        assertThat(RoleStep.parseIterations(" 10000 ")).isEqualTo(10000);
        // Before PostgreSQL 16, current_setting('scram_iterations', true) is null: 4096 is what the server uses.
        assertThat(RoleStep.parseIterations(null)).isEqualTo(4096);
        assertThat(RoleStep.parseIterations("0")).isEqualTo(4096);
        assertThat(RoleStep.parseIterations("-1")).isEqualTo(4096);
        assertThat(RoleStep.parseIterations("lots")).isEqualTo(4096);
        assertThat(RoleStep.DEFAULT_SCRAM_ITERATIONS).isEqualTo(4096);
    }
}
