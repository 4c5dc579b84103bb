package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandResultTest {
    private static final String NL = System.lineSeparator();

    @Test
    void tailKeepsTheLastLinesOfStderr() {
        CommandResult r = new CommandResult(1, "out", "one\ntwo\nthree\n");

        assertThat(r.tail(2)).isEqualTo("two" + NL + "three");
    }

    @Test
    void tailKeepsEverythingWhenShorter() {
        assertThat(new CommandResult(1, "", "one\r\ntwo").tail(20)).isEqualTo("one" + NL + "two");
    }

    @Test
    void tailFallsBackToStdoutWhenStderrIsBlank() {
        assertThat(new CommandResult(1, "a\nb\nc", "  \n").tail(1)).isEqualTo("c");
        assertThat(new CommandResult(1, "a\nb", null).tail(5)).isEqualTo("a" + NL + "b");
    }

    @Test
    void tailIsEmptyWithoutOutput() {
        assertThat(new CommandResult(1, null, null).tail(5)).isEmpty();
    }

    @Test
    void succeededMeansExitCodeZero() {
        assertThat(new CommandResult(0, "", "").succeeded()).isTrue();
        assertThat(new CommandResult(2, "", "").succeeded()).isFalse();
    }
}
