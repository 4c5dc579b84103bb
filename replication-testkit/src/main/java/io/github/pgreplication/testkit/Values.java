package io.github.pgreplication.testkit;

import io.github.pgreplication.Problem;

/** The testkit's refusals of a value a test handed it, in the core's form. */
final class Values {
    private Values() {
    }

    /**
     * @param subject what is refused, naming the value (escaped here, with the rest)
     * @param rule    the rule it breaks
     * @param fix     what to do instead
     * @return the refusal, on one line: {@code subject: rule. fix}
     */
    static IllegalArgumentException refused(String subject, String rule, String fix) {
        return new IllegalArgumentException(new Problem(subject, rule, fix).describe());
    }
}
