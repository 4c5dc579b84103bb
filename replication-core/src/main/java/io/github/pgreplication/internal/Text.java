package io.github.pgreplication.internal;

/**
 * The one check for characters that must never reach a configuration file, a command line or a log line: line
 * breaks, NUL and every other control character (C0, DEL, C1), and the Unicode line and paragraph separators
 * that Java's {@code \R} treats as line breaks. Used by every validation that handles such a value.
 */
public final class Text {
    private Text() {
    }

    /**
     * @param value any text; null has none
     * @return whether it holds a character that would break a line or is invisible control
     */
    public static boolean hasControl(String value) {
        if (value == null) {
            return false;
        }
        return value.chars().anyMatch(Text::isControl);
    }

    private static boolean isControl(int ch) {
        return Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029';
    }

    /**
     * @param value any text; null gives {@code null}
     * @return the text with control characters written as escapes ({@code \n}, {@code \r}, {@code \t},
     *         {@code \0}, else {@code \u001b}), so that a message showing it stays on one line
     */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(value.length());
        value.chars().forEach(ch -> {
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0 -> sb.append("\\0");
                default -> {
                    if (isControl(ch)) {
                        sb.append(String.format("\\u%04x", ch));
                    } else {
                        sb.append((char) ch);
                    }
                }
            }
        });
        return sb.toString();
    }

    /**
     * @param value any text
     * @return the text with every control character removed, for building a suggestion
     */
    public static String withoutControl(String value) {
        StringBuilder sb = new StringBuilder();
        value.chars().filter(ch -> !isControl(ch)).forEach(ch -> sb.append((char) ch));
        return sb.toString();
    }

    /**
     * @param count how many
     * @param singular the noun for one, e.g. {@code standby}
     * @param plural   the noun for several, e.g. {@code standbys}
     * @return {@code 1 standby}, {@code 2 standbys}
     */
    public static String count(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }
}
