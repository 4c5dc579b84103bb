package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The template of {@link ReplicationCluster#freshDatabase(String)}, checked before the cluster is asked; no Docker. */
class FreshDatabaseTemplateTest {
    @Test
    void aTemplateWithALineBreakIsRefusedEscapedBeforeTheClusterIsAsked() {
        assertThatThrownBy(() -> TestDatabase.create(null, "app\nERROR forged", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template database 'app\\nERROR forged'")
                .hasMessageContaining("must not contain line breaks")
                .hasMessageContaining("freshDatabase(\"template1\")")
                .hasMessageNotContaining("\n");
    }

    @Test
    void identifiersAreDoubleQuotedWithTheirQuotesDoubled() {
        assertThat(TestDatabase.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }
}
