package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.HbaRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class HbaStepTest {
    private static final String USER_RULES = "# TYPE  DATABASE  USER  ADDRESS  METHOD\n"
            + "local   all       all            peer\n"
            + "host    all       all   127.0.0.1/32  scram-sha-256\n";

    private final HbaStep step = new HbaStep("eshua",
            List.of(HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256")));

    @Test
    void blockIsMarkedAndHoldsTheRules() {
        assertThat(step.block()).isEqualTo(HbaStep.BEGIN + "\n"
                + "host replication replicator 10.0.0.0/24 scram-sha-256\n"
                + HbaStep.END + "\n");
    }

    @Test
    void withoutBlockRemovesOnlyTheManagedBlock() {
        String file = step.block() + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockKeepsTextBeforeAndAfter() {
        String file = "# header kept\n" + step.block() + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo("# header kept\n" + USER_RULES);
    }

    @Test
    void withoutBlockRemovesABlockWithOtherRules() {
        String oldBlock = HbaStep.BEGIN + "\nhost replication replicator 192.168.0.0/16 trust\n" + HbaStep.END + "\n";

        assertThat(HbaStep.withoutBlock(oldBlock + USER_RULES)).as("a previous run's rules are replaced")
                .isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockHandlesABlockAtTheEndWithoutNewline() {
        String file = USER_RULES + HbaStep.BEGIN + "\nhost replication r 10.0.0.0/8 trust\n" + HbaStep.END;

        assertThat(HbaStep.withoutBlock(file)).isEqualTo(USER_RULES);
    }

    @Test
    void withoutBlockLeavesAFileWithoutBlockUnchanged() {
        assertThat(HbaStep.withoutBlock(USER_RULES)).isEqualTo(USER_RULES);
        assertThat(HbaStep.withoutBlock("")).isEmpty();
    }

    @Test
    void withoutBlockIgnoresAnUnterminatedBlock() {
        String file = HbaStep.BEGIN + "\n" + USER_RULES;

        assertThat(HbaStep.withoutBlock(file)).as("without END nothing is removed").isEqualTo(file);
    }

    @Test
    void rewritingIsIdempotent() {
        String once = step.block() + HbaStep.withoutBlock(USER_RULES);
        String twice = step.block() + HbaStep.withoutBlock(once);

        assertThat(twice).as("the block is replaced, never duplicated").isEqualTo(once);
    }

    @Test
    void runbookShowsTheBlockAndTheReload() {
        assertThat(step.runbook()).contains(HbaStep.BEGIN, "host replication replicator 10.0.0.0/24 scram-sha-256",
                HbaStep.END);
        assertThat(String.join("\n", step.runbook())).contains("pg_reload_conf()", "pg_hba_file_rules");
    }
}
