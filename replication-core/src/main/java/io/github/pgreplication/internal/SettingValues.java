package io.github.pgreplication.internal;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a desired parameter value is already in effect, comparing it with {@code pg_settings} the way
 * PostgreSQL would parse it: booleans by meaning, enums case-insensitively, numbers with units converted to the
 * parameter's base unit ({@code 1GB} equals {@code 1024} in {@code MB}), strings exactly.
 */
public final class SettingValues {
    private static final Pattern NUMBER_UNIT = Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*$");
    private static final Pattern BASE_UNIT = Pattern.compile("^(\\d*)\\s*([a-zA-Z]+)$");
    private static final Map<String, BigDecimal> MEMORY = Map.of("B", BigDecimal.ONE, "kB", BigDecimal.valueOf(1024),
            "MB", BigDecimal.valueOf(1024L * 1024), "GB", BigDecimal.valueOf(1024L * 1024 * 1024),
            "TB", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024));
    private static final Map<String, BigDecimal> TIME = Map.of("us", BigDecimal.ONE, "ms", BigDecimal.valueOf(1000),
            "s", BigDecimal.valueOf(1_000_000), "min", BigDecimal.valueOf(60_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000L), "d", BigDecimal.valueOf(86_400_000_000L));

    private SettingValues() {
    }

    /**
     * The parameters PostgreSQL reads as a list of quoted items (GUC_LIST_QUOTE): one literal holding a comma is one
     * item to it ({@code '"a,b"'}), so {@code shared_preload_libraries = 'a,b'} would load a library named "a,b" and
     * the server would not start. Each item goes as a literal of its own.
     */
    public static final java.util.Set<String> LIST_QUOTED = java.util.Set.of("shared_preload_libraries",
            "session_preload_libraries", "local_preload_libraries", "search_path", "temp_tablespaces",
            "unix_socket_directories");

    /**
     * @param value a list as written in postgresql.conf or shown by pg_settings: {@code a, "b c", d}
     * @return its items, trimmed, double quotes removed ({@code ""} inside them read as one); empty for an empty value
     */
    public static java.util.List<String> listItems(String value) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < value.length() && value.charAt(i + 1) == '"') {
                    item.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
                any = true;
            } else if (c == ',' && !quoted) {
                out.add(item.toString().strip());
                item.setLength(0);
                any = false;
            } else {
                item.append(c);
                any |= !Character.isWhitespace(c);
            }
        }
        if (any || !out.isEmpty()) {
            out.add(item.toString().strip());
        }
        return out;
    }

    /**
     * @param name    the parameter
     * @param desired the value described
     * @param setting pg_settings' value
     * @param unit    pg_settings' unit
     * @param vartype pg_settings' vartype
     * @return whether they are the same value; a {@link #LIST_QUOTED} list item by item
     */
    public static boolean matches(String name, String desired, String setting, String unit, String vartype) {
        if (setting != null && LIST_QUOTED.contains(name)) {
            return listItems(desired).equals(listItems(setting));
        }
        return matches(desired, setting, unit, vartype);
    }

    /**
     * @param desired the value asked for, as written in postgresql.conf
     * @param setting {@code pg_settings.setting}
     * @param unit    {@code pg_settings.unit}, may be null
     * @param vartype {@code pg_settings.vartype}: bool, enum, integer, real, string
     * @return whether the desired value is the one in effect
     */
    public static boolean matches(String desired, String setting, String unit, String vartype) {
        if (setting == null) {
            return false;
        }
        switch (vartype) {
            case "bool":
                return bool(desired) != null && bool(desired).equals(bool(setting));
            case "enum":
                return desired.trim().equalsIgnoreCase(setting);
            case "integer":
                return numbersMatch(desired, setting, unit, true);
            case "real":
                return numbersMatch(desired, setting, unit, false);
            default:
                return desired.equals(setting);
        }
    }

    private static Boolean bool(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("on") || s.equals("true") || s.equals("yes") || s.equals("1") || s.equals("t")) {
            return Boolean.TRUE;
        }
        if (s.equals("off") || s.equals("false") || s.equals("no") || s.equals("0") || s.equals("f")) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static boolean numbersMatch(String desired, String setting, String unit, boolean integer) {
        Matcher d = NUMBER_UNIT.matcher(desired);
        if (!d.matches()) {
            return false;
        }
        BigDecimal current = new BigDecimal(setting.trim());
        BigDecimal value = new BigDecimal(d.group(1));
        String desiredUnit = d.group(2);
        if (desiredUnit.isEmpty() || unit == null || value.signum() < 0) {
            return value.compareTo(current) == 0;
        }
        Matcher b = BASE_UNIT.matcher(unit);
        if (!b.matches()) {
            return false;
        }
        BigDecimal baseMultiplier = b.group(1).isEmpty() ? BigDecimal.ONE : new BigDecimal(b.group(1));
        Map<String, BigDecimal> family = MEMORY.containsKey(b.group(2)) ? MEMORY : TIME;
        BigDecimal base = family.get(b.group(2));
        BigDecimal wanted = family.get(desiredUnit);
        if (base == null || wanted == null) {
            return false;
        }
        BigDecimal inBaseUnits = value.multiply(wanted).divide(baseMultiplier.multiply(base), 10,
                java.math.RoundingMode.HALF_EVEN);
        if (integer) {
            // PostgreSQL rounds integer parameters to their base unit (rint): 1536kB is 2 in MB.
            inBaseUnits = inBaseUnits.setScale(0, java.math.RoundingMode.HALF_EVEN);
        }
        return inBaseUnits.compareTo(current) == 0;
    }

    /**
     * @param value       a time setting as written in postgresql.conf, e.g. {@code 1h}, {@code 5min}, {@code 300000}
     * @param defaultUnit the setting's unit when the value has none, e.g. {@code ms}
     * @return it as a duration; empty when it is not a time, or is negative
     */
    public static java.util.Optional<java.time.Duration> time(String value, String defaultUnit) {
        Matcher m = NUMBER_UNIT.matcher(value);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        BigDecimal unit = TIME.get(m.group(2).isEmpty() ? defaultUnit : m.group(2));
        BigDecimal number = new BigDecimal(m.group(1));
        if (unit == null || number.signum() < 0) {
            return java.util.Optional.empty();
        }
        BigDecimal micros = number.multiply(unit).setScale(0, java.math.RoundingMode.HALF_EVEN);
        return java.util.Optional.of(java.time.Duration.ofNanos(micros.longValueExact() * 1000));
    }
}
