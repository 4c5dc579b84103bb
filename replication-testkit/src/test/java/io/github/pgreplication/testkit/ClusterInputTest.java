package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 25: the testkit's inputs follow the core's rules, checked when given, before any container; no Docker. */
class ClusterInputTest {
    @ParameterizedTest(name = "[{index}] {0} s")
    @ValueSource(longs = {0, -5})
    void aStreamingTimeoutThatIsNotPositiveIsRefusedWhenGiven(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        assertThatThrownBy(() -> ReplicationCluster.builder().streamingTimeout(d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamingTimeout " + d + " must be positive")
                .hasMessageContaining("e.g. .streamingTimeout(Duration.ofMinutes(1))");
        assertThatThrownBy(() -> ReplicationCluster.builder().streamingTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("streamingTimeout");
        assertThatCode(() -> ReplicationCluster.builder().streamingTimeout(Duration.ofSeconds(1)))
                .doesNotThrowAnyException();
    }

    @Test
    void aStandbyNameWhoseSlotWouldNotFitIsRefused() {
        String name = "s".repeat(59);
        assertThatThrownBy(() -> ReplicationCluster.builder().standbyNames(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("standby name '" + name + "'")
                .hasMessageContaining("its default slot '" + name + "_slot' would be 64 characters");
        assertThatCode(() -> ReplicationCluster.builder().standbyNames("s".repeat(58))).doesNotThrowAnyException();
    }

    @Test
    void aLongStandbyNameIsShownShortened() {
        String name = "s-" + "x".repeat(9_998);
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                () -> ReplicationCluster.builder().standbyNames(name));
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).contains("standby name 's-xxx", "(10000 characters)").hasSizeLessThan(1_000);
        Throwable image = org.assertj.core.api.Assertions.catchThrowable(
                () -> ReplicationCluster.builder().image("Image " + "x".repeat(9_994)));
        assertThat(image.getMessage()).contains("image 'Image xxx", "(10000 characters)").hasSizeLessThan(1_000);
    }

    @Test
    void aTemplateLongerThanAPostgresqlNameIsRefusedBeforeTheClusterIsAsked() {
        assertThatThrownBy(() -> TestDatabase.create(null, "t".repeat(64), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template database '" + "t".repeat(64) + "'")
                .hasMessageContaining("is 64 bytes long; PostgreSQL names are at most 63 bytes in UTF-8");
        assertThatThrownBy(() -> TestDatabase.create(null, "é".repeat(32), Duration.ofSeconds(1)))
                .as("32 characters, 64 bytes").hasMessageContaining("is 64 bytes long");
    }
}
