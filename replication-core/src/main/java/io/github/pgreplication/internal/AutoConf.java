package io.github.pgreplication.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and updates {@code name = 'value'} lines of a postgresql.auto.conf, the format ALTER SYSTEM writes. */
public final class AutoConf {
    private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*?)\\s*$");

    private AutoConf() {
    }

    /**
     * @param v a value
     * @return it quoted as ALTER SYSTEM writes values (quotes and backslashes doubled)
     */
    public static String quote(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * @param content file text
     * @return the last value of each parameter, unquoted
     */
    static Map<String, String> parse(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : content.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.matches() && !line.trim().startsWith("#")) {
                out.put(m.group(1), unquote(m.group(2)));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < v.length() - 1; i++) {
                char ch = v.charAt(i);
                if ((ch == '\'' || ch == '\\') && i + 1 < v.length() - 1) {
                    sb.append(v.charAt(++i));
                } else {
                    sb.append(ch);
                }
            }
            return sb.toString();
        }
        return v;
    }

    /**
     * @param content file text
     * @param values  parameters to set; existing lines for them are replaced
     * @param quote   how to quote a value
     * @return the new text
     */
    static String withValues(String content, Map<String, String> values, UnaryOperator<String> quote) {
        StringBuilder sb = new StringBuilder();
        for (String line : content.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (line.isEmpty() || (m.matches() && values.containsKey(m.group(1)))) {
                continue;
            }
            sb.append(line).append('\n');
        }
        values.forEach((k, v) -> sb.append(k).append(" = ").append(quote.apply(v)).append('\n'));
        return sb.toString();
    }
}
