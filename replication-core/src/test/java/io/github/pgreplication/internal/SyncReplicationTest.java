package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a wait for a standby says about the primary's synchronous_standby_names. */
class SyncReplicationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"s", "FIRST 1 (s)", "ANY 1 (a, s)", "2 (a, S, b)", "*", "FIRST 1 (\"s\")", " s , t "})
    void aListedStandbyIsNamedWithTheBlockedCommits(String names) {
        assertThat(SyncReplication.listed(names, "s")).isTrue();
        assertThat(SyncReplication.note(names, "s"))
                .startsWith(" The primary has synchronous_standby_names = '" + names + "', which names 's'")
                .contains("commits on the primary that wait for a synchronous standby")
                .contains("block")
                .contains("the library's own sessions use synchronous_commit = local");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', value = {"FIRST 1 (t); s", "ANY 2 (sa, as); s", "standby1; standby"})
    void anUnlistedStandbyIsSaidToBeUnlisted(String names, String standby) {
        assertThat(SyncReplication.listed(names, standby)).isFalse();
        assertThat(SyncReplication.note(names, standby)).contains("which does not name '" + standby + "'")
                .doesNotContain("block");
    }

    @Test
    void asynchronousReplicationAddsNothing() {
        assertThat(SyncReplication.note("", "s")).isEmpty();
        assertThat(SyncReplication.note("  ", "s")).isEmpty();
    }
}
