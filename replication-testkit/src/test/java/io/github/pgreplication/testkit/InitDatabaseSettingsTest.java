package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link PostgresMachines#initDatabase(String, Map)} writes into postgresql.auto.conf; no Docker. */
class InitDatabaseSettingsTest {
    @Test
    void valuesAreQuotedAsAlterSystemQuotesThemBackslashesToo() {
        assertThat(PostgresMachines.autoConf(Map.of("archive_command", "copy %p C:\\wal\\ 'x'")))
                .isEqualTo("listen_addresses = '*'\narchive_command = 'copy %p C:\\\\wal\\\\ ''x'''\n");
    }

    @Test
    void aNameThatIsNoParameterNameIsRefusedEscaped() {
        assertThatThrownBy(() -> PostgresMachines.autoConf(Map.of("wal_log_hints = on\narchive_command", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter name 'wal_log_hints = on\\narchive_command'")
                .hasMessageContaining("PostgreSQL parameter names are lower-case letters, digits, _ and .")
                .hasMessageContaining("Map.of(\"wal_log_hints\", \"on\")")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aValueWithALineBreakIsRefusedEscaped() {
        assertThatThrownBy(() -> PostgresMachines.autoConf(Map.of("work_mem", "4MB'\narchive_command = 'evil")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value of work_mem '4MB'\\narchive_command = 'evil'")
                .hasMessageContaining("must not contain line breaks")
                .hasMessageContaining("Write the value on one line")
                .hasMessageNotContaining("\n");
    }
}
