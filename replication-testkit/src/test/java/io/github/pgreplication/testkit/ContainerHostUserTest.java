package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/** The user a {@link ContainerHost} runs as, checked before it reaches docker exec or a message; no Docker. */
class ContainerHostUserTest {
    @SuppressWarnings("resource") // never started
    private final GenericContainer<?> box = new GenericContainer<>("postgres:17").withNetworkAliases("box");

    @Test
    void hostsOfOneContainerShareItsMachineWhateverTheirUser() {
        ContainerHost postgres = ContainerHost.of(box, "postgres");
        assertThat(postgres.name()).isEqualTo("container:box:postgres");
        assertThat(postgres.machine()).isEqualTo("container:box").isEqualTo(postgres.as("root").machine())
                .isEqualTo(postgres.as("1000").machine());
    }

    @Test
    void aUserWithALineBreakIsRefusedEscaped() {
        assertThatThrownBy(() -> ContainerHost.of(box, "postgres\nroot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("container user 'postgres\\nroot'")
                .hasMessageContaining("must be a login name or a uid")
                .hasMessageContaining("ContainerHost.of(container, \"postgres\")")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aUserWithAGroupOrAnOptionIsRefused() {
        assertThatThrownBy(() -> ContainerHost.of(box, "postgres").as("postgres:root"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("container user 'postgres:root'");
        assertThatThrownBy(() -> ContainerHost.of(box, "-u0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContainerHost.of(box, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
