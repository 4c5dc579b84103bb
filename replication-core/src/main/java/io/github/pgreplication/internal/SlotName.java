package io.github.pgreplication.internal;

import io.github.pgreplication.Problem;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A replication slot name: lower-case letters, digits and underscores, 1 to 63 characters (PostgreSQL's rule).
 *
 * @param value the name
 */
public record SlotName(String value) {
    private static final Pattern RULE = Pattern.compile("[a-z0-9_]{1,63}");

    /**
     * Validates the name.
     *
     * @param value the name
     */
    public SlotName {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * @param value a slot name
     * @return the slot name
     */
    public static SlotName of(String value) {
        return new SlotName(value);
    }

    /**
     * @param standbyName a standby's name
     * @return the default slot name for it: the name made valid, plus {@code _slot} (eshub gives eshub_slot)
     */
    public static SlotName forStandby(String standbyName) {
        return new SlotName(suggest(standbyName + "_slot"));
    }

    /**
     * @param value a candidate slot name
     * @return null when valid, else a message naming the value, the rule and a valid suggestion
     */
    public static String problem(String value) {
        if (value != null && RULE.matcher(value).matches()) {
            return null;
        }
        return "slot name '" + Problem.shown(value) + "' is invalid: slot names use only lower-case letters, digits and"
                + " underscores, 1 to 63 characters. Try '" + suggest(value) + "'";
    }

    /**
     * @param value any text
     * @return a valid slot name close to it
     */
    public static String suggest(String value) {
        String s = value == null ? "" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (s.isEmpty()) {
            s = "standby_slot";
        }
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    @Override
    public String toString() {
        return value;
    }
}
