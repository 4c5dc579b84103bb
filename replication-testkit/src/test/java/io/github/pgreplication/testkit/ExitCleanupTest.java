package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitCleanupTest {
    /** A running JVM accepts shutdown hooks; the probe hook is removed again (a second check sees the same). */
    @Test
    void aRunningJvmIsNotShuttingDown() {
        assertThat(ExitCleanup.shuttingDown()).isFalse();
        assertThat(ExitCleanup.shuttingDown()).isFalse();
    }
}
