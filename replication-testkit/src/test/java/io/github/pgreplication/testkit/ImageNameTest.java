package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Image names, from the builder or the override property, checked before Docker is asked; no Docker. */
class ImageNameTest {
    private static final String PROPERTY = PostgresImage.PROPERTY + ".17";

    /** What the build may have set (-Dpgreplication.image.17=...), put back after each test. */
    private final String before = System.getProperty(PROPERTY);

    @AfterEach
    void putBack() {
        if (before == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, before);
        }
    }

    @Test
    void aValidOverrideIsUsedAsItIs() {
        System.setProperty(PROPERTY, "registry.example.com:5000/team/postgres:17-custom");
        assertThat(PostgresImage.resolve(17)).isEqualTo("registry.example.com:5000/team/postgres:17-custom");
    }

    @Test
    void anInvalidOverrideIsRefusedEscapedNamingWhereItCameFrom() {
        System.setProperty(PROPERTY, "postgres:17\nINFO forged");
        assertThatThrownBy(() -> PostgresImage.resolve(17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image 'postgres:17\\nINFO forged'")
                .hasMessageContaining(PROPERTY)
                .hasMessageContaining("is not a valid Docker image name")
                .hasMessageContaining("pgreplication/postgres:17-local")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theBuilderRefusesAnInvalidImage() {
        assertThatThrownBy(() -> ReplicationCluster.builder().image("postgres 17; rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image 'postgres 17; rm -rf /' (ReplicationCluster.Builder.image)")
                .hasMessageContaining("is not a valid Docker image name");
        assertThatCode(() -> ReplicationCluster.builder().image("postgres:17").image(null))
                .as("a valid name, and null for the default, are taken").doesNotThrowAnyException();
    }
}
