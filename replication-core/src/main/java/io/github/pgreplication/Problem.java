package io.github.pgreplication;

import io.github.pgreplication.internal.Text;
import java.util.Objects;

/**
 * One configuration problem found by {@link Replication.Builder#load()} (or by a module's own validation, such as
 * pgBackRest's). Control characters in any part (a line break in the value a subject names) are written as escapes
 * ({@code \n}, {@code \t}), so that a problem always shows on one line, in a message as in a log.
 *
 * @param subject what is wrong, naming the offending value (for example {@code slot name 'eshub-slot' of standby
 *                'eshub'})
 * @param rule    the rule it breaks
 * @param fix     what to do instead, with code or a value to copy where possible
 */
public record Problem(String subject, String rule, String fix) {
    /** Validates that all parts are present, and escapes their control characters. */
    public Problem {
        subject = Text.printable(Objects.requireNonNull(subject, "subject"));
        rule = Text.printable(Objects.requireNonNull(rule, "rule"));
        fix = Text.printable(Objects.requireNonNull(fix, "fix"));
    }

    /** @return {@code subject: rule. fix} on one line */
    public String describe() {
        return subject + ": " + rule + (rule.endsWith(".") ? " " : ". ") + fix;
    }
}
