package io.github.pgreplication;

import java.util.Objects;

/**
 * One configuration problem found by {@link Replication.Builder#load()}.
 *
 * @param subject what is wrong, naming the offending value (for example {@code slot name 'eshub-slot' of standby
 *                'eshub'})
 * @param rule    the rule it breaks
 * @param fix     what to do instead, with code or a value to copy where possible
 */
public record Problem(String subject, String rule, String fix) {
    /** Validates that all parts are present. */
    public Problem {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(fix, "fix");
    }

    /** @return {@code subject: rule. fix} on one line */
    public String describe() {
        return subject + ": " + rule + (rule.endsWith(".") ? " " : ". ") + fix;
    }
}
