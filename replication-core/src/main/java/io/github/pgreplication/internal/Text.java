package io.github.pgreplication.internal;

/**
 * The one check for characters that must never reach a configuration file, a command line or a log line: line
 * breaks, NUL and every other control character (C0, DEL, C1), the Unicode line and paragraph separators that
 * Java's {@code \R} treats as line breaks, and the bidirectional controls (Unicode's Bidi_Control: the marks,
 * embeddings, overrides and isolates), which reorder how a line is displayed so that it reads as something else.
 * Used by every validation that handles such a value. How a value is shown in a message is
 * {@link io.github.pgreplication.Problem#shown(String)}, built on {@link #escape(String)}.
 */
public final class Text {
    private Text() {
    }

    /**
     * @param value any text; null has none
     * @return whether it holds a character that would break a line, is invisible control or reorders the line
     */
    public static boolean hasControl(String value) {
        if (value == null) {
            return false;
        }
        return value.chars().anyMatch(Text::isControl);
    }

    private static boolean isControl(int ch) {
        return Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' || isBidiControl(ch);
    }

    /** Unicode's Bidi_Control property: ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. */
    private static boolean isBidiControl(int ch) {
        return ch == '\u061c' || ch == '\u200e' || ch == '\u200f' || ch >= '\u202a' && ch <= '\u202e'
                || ch >= '\u2066' && ch <= '\u2069';
    }

    /**
     * @param value any text; null gives {@code null}
     * @return the whole text with control characters written as escapes ({@code \n}, {@code \r}, {@code \t},
     *         {@code \0}, else {@code \u001b}), and so are invisible format characters (zero-width space, byte
     *         order mark...), so that a message showing it stays on one line and shows what is there
     */
    public static String escape(String value) {
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
                    if (isControl(ch) || Character.getType(ch) == Character.FORMAT) {
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
     * @param value any text; null gives {@code null}
     * @return the value as a message shows it: {@link io.github.pgreplication.Problem#shown(String)}
     */
    public static String printable(String value) {
        return io.github.pgreplication.Problem.shown(value);
    }

    /**
     * @param value any text
     * @return its length in bytes once encoded in UTF-8, as PostgreSQL and the file system count it
     */
    public static int utf8Length(String value) {
        return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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
