package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringNeverShowsTheValue() {
        Secret s = Secret.of("hunter2");

        assertThat(s).hasToString("****");
        assertThat("password=" + s).as("string concatenation hides it too").isEqualTo("password=****");
    }

    @Test
    void absentSecretSaysSo() {
        assertThat(Secret.none()).hasToString("(none)");
        assertThat(Secret.none().isPresent()).isFalse();
        assertThat(Secret.none().reveal()).isEmpty();
    }

    @Test
    void revealGivesTheValue() {
        assertThat(Secret.of("hunter2").reveal()).contains("hunter2");
        assertThat(Secret.of("hunter2").isPresent()).isTrue();
    }

    @Test
    void redactReplacesEveryOccurrence() {
        assertThat(Secret.of("hunter2").redact("pw hunter2, again hunter2."))
                .isEqualTo("pw ****, again ****.");
    }

    @Test
    void redactHandlesHostileValuesLiterally() {
        assertThat(Secret.of("s3cr'et\\;x$1").redact("-W s3cr'et\\;x$1 done"))
                .as("no regex interpretation of quotes, backslashes or $").isEqualTo("-W **** done");
    }

    @Test
    void redactLeavesTextAloneWithoutASecret() {
        assertThat(Secret.none().redact("text")).isEqualTo("text");
        assertThat(Secret.of("").redact("text")).as("an empty secret redacts nothing").isEqualTo("text");
        assertThat(Secret.of("x").redact(null)).isNull();
    }

    @Test
    void ofRejectsNullAndPointsToNone() {
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Secret.none()");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
        assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo(Secret.none());
    }
}
