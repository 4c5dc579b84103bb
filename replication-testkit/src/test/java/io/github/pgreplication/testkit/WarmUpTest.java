package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up runs to its end without Docker or any server: its description stays one the core accepts. */
class WarmUpTest {
    @Test
    void everyPartRunsToItsEndWithoutAnyServer() {
        assertThat(WarmUp.run()).as("core load() and plan(), a refused PgJDBC connection, a tar in memory").isTrue();
    }
}
