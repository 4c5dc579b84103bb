package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Looking a machine up by name; the machines are created, never started, and need no Docker. */
class MachineLookupTest {
    private final PostgresMachines machines = PostgresMachines.create("postgres:17", null, false, List.of("main"));

    @Test
    void anUnknownNameIsRefusedEscapedNamingTheMachines() {
        assertThat(machines.machine("main").name()).isEqualTo("main");
        assertThatThrownBy(() -> machines.machine("main\nWARN forged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no machine named 'main\\nWARN forged'; machines are [main]");
    }
}
