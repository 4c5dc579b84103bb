package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Machine and standby names are checked before any container or network exists; no Docker. */
class MachineNamesTest {
    @Test
    void aMachineNameAgainstTheRuleIsRefusedEscapedBeforeAnyContainerIsMade() {
        assertThatThrownBy(() -> PostgresMachines.create("img", null, false, List.of("main", "stand\nby")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("machine name 'stand\\nby'")
                .hasMessageContaining("must be 1 to 63 letters, digits or underscores")
                .hasMessageContaining("e.g. \"standby1\"")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> PostgresMachines.create("img", null, false, List.of("main", "main")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("machine name 'main': is given twice");
    }

    @Test
    void theBuilderRefusesBadDuplicateAndPrimaryStandbyNames() {
        assertThatThrownBy(() -> ReplicationCluster.builder().standbyNames("s1", "s-2;x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("standby name 's-2;x': must be 1 to 63 letters, digits or underscores");
        assertThatThrownBy(() -> ReplicationCluster.builder().standbyNames("s1", "s1"))
                .hasMessageContaining("standby name 's1': is given twice");
        assertThatThrownBy(() -> ReplicationCluster.builder().standbyNames("primary"))
                .hasMessageContaining("standby name 'primary': is the name of the cluster's primary");
        assertThatCode(() -> ReplicationCluster.builder().standbyNames("eshub", "standby_2"))
                .as("names by the rule are taken").doesNotThrowAnyException();
    }
}
