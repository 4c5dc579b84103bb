package io.github.pgreplication;

import io.github.pgreplication.internal.Text;
import java.util.Objects;

/**
 * One configuration problem found by {@link Replication.Builder#load()} (or by a module's own validation, such as
 * pgBackRest's). Control characters in any part (a line break in the value a subject names) are written as escapes
 * ({@code \n}, {@code \t}), so that a problem always shows on one line, in a message as in a log.
 *
 * <p>A value the user gave appears in a subject (and in every other refusal message of the library) through
 * {@link #shown(String)}: escaped, and shortened to its start and its length when it is long, so that a value of
 * 10,000 characters does not fill the message.
 *
 * @param subject what is wrong, naming the offending value (for example {@code slot name 'eshub-slot' of standby
 *                'eshub'})
 * @param rule    the rule it breaks
 * @param fix     what to do instead, with code or a value to copy where possible
 */
public record Problem(String subject, String rule, String fix) {
    /** Values up to this many characters are shown whole by {@link #shown(String)}. */
    public static final int SHOWN_WHOLE = 128;
    /** How many characters of a longer value {@link #shown(String)} shows before its length. */
    public static final int SHOWN_START = 64;

    /**
     * Validates that all parts are present, and escapes their control characters.
     *
     * @param subject what is wrong, naming the offending value (for example {@code slot name 'eshub-slot' of standby
     *                'eshub'})
     * @param rule    the rule it breaks
     * @param fix     what to do instead, with code or a value to copy where possible
     */
    public Problem {
        subject = Text.escape(Objects.requireNonNull(subject, "subject"));
        rule = Text.escape(Objects.requireNonNull(rule, "rule"));
        fix = Text.escape(Objects.requireNonNull(fix, "fix"));
    }

    /**
     * How every refusal of the library shows a value it was given: control characters and invisible format
     * characters escaped ({@code \n}, {@code \u202e}); a value of more than {@value #SHOWN_WHOLE} characters
     * shortened to its first {@value #SHOWN_START} and its length, e.g. {@code eshubxxxx... (10000 characters)}
     * (a PostgreSQL name, at most 63 bytes, always shows whole).
     *
     * @param value the value as given; null gives {@code null}
     * @return the value as a message shows it, on one line
     */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        int characters = value.codePointCount(0, value.length());
        if (characters <= SHOWN_WHOLE) {
            return Text.escape(value);
        }
        return Text.escape(value.substring(0, value.offsetByCodePoints(0, SHOWN_START))) + "... (" + characters
                + " characters)";
    }

    /** @return {@code subject: rule. fix} on one line */
    public String describe() {
        return subject + ": " + rule + (rule.endsWith(".") ? " " : ". ") + fix;
    }
}
