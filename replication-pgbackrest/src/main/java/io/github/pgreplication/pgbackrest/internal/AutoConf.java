package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Edits {@code postgresql.auto.conf} text: quoting as PostgreSQL's configuration parser expects it. */
public final class AutoConf {
    private AutoConf() {
    }

    /**
     * @param value a setting's value
     * @return whether pgBackRest can write it between single quotes as is: it copies recovery options without
     *         escaping, so a quote, a backslash or a line break (or any other control character) would corrupt
     *         postgresql.auto.conf
     */
    public static boolean safeForPgBackRest(String value) {
        return value.indexOf('\'') < 0 && value.indexOf('\\') < 0 && !Text.hasControl(value);
    }

    /**
     * @param value any value
     * @return it as a quoted configuration-file literal
     */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    /**
     * @param content the file's text
     * @param values  settings to set; active lines for them are removed first
     * @return the new text
     */
    public static String set(String content, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String line : content.split("\\R", -1)) {
            boolean replaced = values.keySet().stream().anyMatch(k ->
                    Pattern.compile("^\\s*" + Pattern.quote(k) + "\\s*=").matcher(line).find());
            if (!replaced) {
                out.add(line);
            }
        }
        StringBuilder sb = new StringBuilder(String.join("\n", out).replaceAll("\n+$", ""));
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append("# Written by pgreplication after pgBackRest restore (quoted for PostgreSQL)\n");
        values.forEach((k, v) -> sb.append(k).append(" = ").append(quote(v)).append('\n'));
        return sb.toString();
    }
}
