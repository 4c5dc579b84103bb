package io.github.pgreplication.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a libpq connection string of {@code keyword = value} pairs (libpq's own rules: pairs apart by white space,
 * spaces around {@code =} allowed, a value unquoted or in single quotes, with {@code \'} and {@code \\} escapes). The
 * URI form is not read.
 */
public final class Conninfo {
    /** The keywords that make a connection private and authenticated: a standby's must match what is described. */
    public static final List<String> TLS_KEYWORDS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey",
            "sslcrl", "sslcrldir", "channel_binding", "sslnegotiation");

    private Conninfo() {
    }

    /**
     * @param text a connection string
     * @return its pairs in order (a keyword given twice: the last), or empty when it does not parse
     */
    public static Optional<Map<String, String>> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return Optional.of(out);
            }
            int start = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(start, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (key.isEmpty() || i >= n || text.charAt(i) != '=') {
                return Optional.empty();
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        return Optional.empty(); // unterminated quote
                    }
                    char c = text.charAt(i++);
                    if (c == '\'') {
                        break;
                    }
                    if (c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    value.append(c);
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    value.append(c);
                }
            }
            out.put(key, value.toString());
        }
    }
}
