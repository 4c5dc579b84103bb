package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import io.github.pgreplication.internal.SlotName;

class SlotNameTest {

    @Test
    void forStandbyAppendsSlotSuffix() {
        assertThat(SlotName.forStandby("eshub").value()).isEqualTo("eshub_slot");
    }

    @Test
    void forStandbyMakesTheNameValid() {
        assertThat(SlotName.forStandby("Eshub-1").value()).as("lower case, hyphen to underscore")
                .isEqualTo("eshub_1_slot");
    }

    @Test
    void suggestReplacesInvalidCharactersWithUnderscores() {
        assertThat(SlotName.suggest("eshub-slot")).isEqualTo("eshub_slot");
        assertThat(SlotName.suggest("My Slot!")).isEqualTo("my_slot_");
    }

    @Test
    void suggestGivesADefaultForEmptyOrNull() {
        assertThat(SlotName.suggest("")).isEqualTo("standby_slot");
        assertThat(SlotName.suggest(null)).isEqualTo("standby_slot");
    }

    @Test
    void suggestTruncatesTo63Characters() {
        assertThat(SlotName.suggest("a".repeat(80))).hasSize(63);
        assertThat(SlotName.problem(SlotName.suggest("A-".repeat(40)))).as("the suggestion is valid").isNull();
    }

    @Test
    void problemIsNullForAValidName() {
        assertThat(SlotName.problem("eshub_slot")).isNull();
        assertThat(SlotName.problem("a".repeat(63))).as("63 characters is the limit").isNull();
    }

    @Test
    void problemNamesTheValueTheRuleAndASuggestion() {
        assertThat(SlotName.problem("eshub-slot"))
                .contains("slot name 'eshub-slot' is invalid")
                .contains("only lower-case letters, digits and underscores, 1 to 63 characters")
                .endsWith("Try 'eshub_slot'");
    }

    @Test
    void problemReportsTooLongAndEmptyNames() {
        assertThat(SlotName.problem("a".repeat(64))).contains("1 to 63 characters").contains("Try '" + "a".repeat(63));
        assertThat(SlotName.problem("")).contains("slot name ''").endsWith("Try 'standby_slot'");
        assertThat(SlotName.problem(null)).contains("slot name 'null'");
    }

    @Test
    void constructorRejectsInvalidNames() {
        assertThatThrownBy(() -> SlotName.of("Eshub"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot name 'Eshub' is invalid")
                .hasMessageContaining("Try 'eshub'");
    }

    @Test
    void toStringIsTheName() {
        assertThat(SlotName.of("eshub_slot")).hasToString("eshub_slot");
    }
}
