package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The switch of {@link SpareMachines} and what makes two sets of machines interchangeable; no Docker. */
class SpareMachinesTest {
    @AfterEach
    void clear() {
        System.clearProperty(SpareMachines.PROPERTY);
    }

    @Test
    void prefetchingIsOnUnlessSwitchedOffThePropertyWinning() {
        assertThat(SpareMachines.enabled(null, null)).isTrue();
        assertThat(SpareMachines.enabled("false", null)).isFalse();
        assertThat(SpareMachines.enabled(" FALSE ", null)).isFalse();
        assertThat(SpareMachines.enabled(null, "false")).isFalse();
        assertThat(SpareMachines.enabled("true", "false")).isTrue();
        assertThat(SpareMachines.enabled("false", "true")).isFalse();
        assertThat(SpareMachines.enabled("", null)).isTrue();
    }

    @Test
    void theSystemPropertyIsRead() {
        System.setProperty(SpareMachines.PROPERTY, "false");
        assertThat(SpareMachines.enabled()).isFalse();
        System.setProperty(SpareMachines.PROPERTY, "true");
        assertThat(SpareMachines.enabled()).isTrue();
    }

    @Test
    void anyOtherValueIsRefusedNamingTheSwitchTheValueAndTheChoices() {
        assertThatThrownBy(() -> SpareMachines.enabled("off\n", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pgreplication.prefetch (or PGREPLICATION_PREFETCH) is 'off\\n'")
                .hasMessageContaining("must be true")
                .hasMessageContaining("or false")
                .hasMessageContaining("-Dpgreplication.prefetch=false");
        assertThatThrownBy(() -> SpareMachines.enabled(null, "of\u0007f")).hasMessageContaining("is 'of\\u0007f'");
        // Issue 25 item 3: a trailing line break is refused, not trimmed into a valid value.
        assertThatThrownBy(() -> SpareMachines.enabled("false\n", null)).hasMessageContaining("is 'false\\n'");
    }

    @Test
    void machinesAreInterchangeableOnlyWithTheSameImageNamesPortsStorageAndTemplateCopies() {
        SpareMachines.Shape shape = new SpareMachines.Shape("img", List.of("primary", "standby1"), Set.of(), true,
                Set.of("primary"));
        assertThat(shape).isEqualTo(new SpareMachines.Shape("img", List.of("primary", "standby1"), Set.of(), true,
                Set.of("primary")));
        assertThat(shape).isNotEqualTo(new SpareMachines.Shape("other", List.of("primary", "standby1"), Set.of(),
                true, Set.of("primary")));
        assertThat(shape).isNotEqualTo(new SpareMachines.Shape("img", List.of("primary", "standby2"), Set.of(), true,
                Set.of("primary")));
        assertThat(shape).isNotEqualTo(new SpareMachines.Shape("img", List.of("primary", "standby1"),
                Set.of("standby1"), true, Set.of("primary")));
        assertThat(shape).isNotEqualTo(new SpareMachines.Shape("img", List.of("primary", "standby1"), Set.of(), false,
                Set.of("primary")));
        assertThat(shape).isNotEqualTo(new SpareMachines.Shape("img", List.of("primary", "standby1"), Set.of(), true,
                Set.of()));
    }
}
