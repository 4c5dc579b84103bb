package io.github.pgreplication.testkit;

import io.github.pgreplication.Problem;

/**
 * Checks of the values a test hands the testkit, and their refusals, with the core's own escaping. The core's
 * {@code internal} package is exported to the pgBackRest module alone (a test may put the testkit on the module
 * path, where it could not reach it), so its {@code Text.printable} is reached through the public {@link Problem},
 * which escapes every part with it.
 */
final class Values {
    /** The core's rule for control characters (its {@code Validator.CONTROL_RULE}), for the testkit's refusals. */
    static final String CONTROL_RULE = "must not contain line breaks or NUL (nor any other control character): it"
            + " is written into configuration files, commands and logs";

    private Values() {
    }

    /** @param value any text; null gives {@code null} @return it with control characters written as escapes */
    static String printable(String value) {
        return value == null ? "null" : new Problem(value, "-", "-").subject();
    }

    /** @param value any text @return whether it holds a control character (what {@link #printable} escapes) */
    static boolean hasControl(String value) {
        return value != null && !printable(value).equals(value);
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
