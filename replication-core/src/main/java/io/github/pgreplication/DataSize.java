package io.github.pgreplication;

import io.github.pgreplication.internal.Text;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as PostgreSQL writes it in its configuration: a whole number and a unit among {@code B}, {@code kB},
 * {@code MB}, {@code GB}, {@code TB} (case-sensitive, as PostgreSQL requires), or {@code -1} where the parameter
 * allows "no limit" (for example {@code max_slot_wal_keep_size}).
 *
 * <pre>{@code
 * DataSize.parse("1GB"); DataSize.ofMegabytes(300); DataSize.unlimited();
 * }</pre>
 *
 * @param bytes the size in bytes; {@code -1} means unlimited
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(B|kB|MB|GB|TB)");
    private static final long KB = 1024;

    /**
     * Validates the size.
     *
     * @param bytes the size in bytes; {@code -1} means unlimited
     */
    public DataSize {
        if (bytes < -1) {
            throw new IllegalArgumentException("size " + bytes + " bytes is negative; use -1 for unlimited");
        }
    }

    /**
     * @param text a size such as {@code 1GB}, {@code 300MB}, {@code 64kB} or {@code -1}
     * @return the parsed size
     * @throws IllegalArgumentException naming the value, the accepted units and a corrected value
     */
    public static DataSize parse(String text) {
        if (Text.hasControl(text)) {
            // Refused, not dropped: "1GB\n" is a value with a line break, whatever PostgreSQL would make of it.
            String clean = Text.withoutControl(text).strip();
            String fix;
            try {
                parse(clean);
                fix = " Try '" + clean + "'.";
            } catch (IllegalArgumentException e) {
                fix = suggestion(clean);
            }
            throw new IllegalArgumentException("'" + Problem.shown(text) + "' is not a PostgreSQL size: it holds a"
                    + " control character (a line break, carriage return, tab...), which is refused rather than"
                    + " dropped; write the size on one line." + fix);
        }
        // Spaces only, as PostgreSQL reads " 1 GB " too.
        String t = text == null ? "" : text.strip();
        if (t.equals("-1")) {
            return unlimited();
        }
        Matcher m = FORMAT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + Problem.shown(text) + "' is not a PostgreSQL size: write a whole"
                    + " number followed by B, kB, MB, GB or TB (units are case-sensitive), or -1 for no limit."
                    + suggestion(t));
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + Problem.shown(text) + "' is too large a size. Try '1TB'.");
        }
        long factor = factor(m.group(2));
        try {
            return new DataSize(Math.multiplyExact(n, factor));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + Problem.shown(text) + "' is too large a size. Try '1TB'.");
        }
    }

    /** @return a suggestion that itself parses, ending with {@code Try 'VALUE'.}; exact whenever one exists */
    private static String suggestion(String t) {
        Matcher m = Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)").matcher(t);
        if (!m.matches()) {
            return " Try '1GB'.";
        }
        String unit = m.group(3).isEmpty() ? "MB" : switch (m.group(3).toLowerCase(Locale.ROOT)) {
            case "b", "byte", "bytes" -> "B";
            case "k", "kb", "kib" -> "kB";
            case "m", "mb", "mib" -> "MB";
            case "g", "gb", "gib" -> "GB";
            case "t", "tb", "tib" -> "TB";
            default -> null;
        };
        String note = m.group(1).isEmpty() ? "" : " Sizes are not negative (-1 means no limit where allowed).";
        if (m.group(3).isEmpty() && m.group(1).isEmpty()) {
            note = " A size needs its unit.";
        }
        if (unit == null) {
            unit = "MB";
        }
        java.math.BigDecimal number = new java.math.BigDecimal(m.group(2));
        java.math.BigDecimal bytes = number.multiply(java.math.BigDecimal.valueOf(factor(unit)));
        if (bytes.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return note + " It is too large a size besides. Try '1TB'.";
        }
        if (number.stripTrailingZeros().scale() <= 0) {
            return note + " Try '" + number.toBigInteger() + unit + "'.";
        }
        if (bytes.stripTrailingZeros().scale() <= 0) {
            return note + " Sizes are whole numbers of a unit; " + Problem.shown(t) + " is exactly '"
                    + new DataSize(bytes.longValueExact()).toPostgres() + "'. Try '"
                    + new DataSize(bytes.longValueExact()).toPostgres() + "'.";
        }
        long kb = bytes.divide(java.math.BigDecimal.valueOf(KB), 0, java.math.RoundingMode.HALF_UP).longValue();
        return note + " Sizes are whole numbers of a unit; the nearest whole kB is " + kb + "kB. Try '"
                + new DataSize(kb * KB).toPostgres() + "'.";
    }

    private static long factor(String unit) {
        return switch (unit) {
            case "B" -> 1;
            case "kB" -> KB;
            case "MB" -> KB * KB;
            case "GB" -> KB * KB * KB;
            default -> KB * KB * KB * KB;
        };
    }

    /**
     * @param megabytes size in MiB (PostgreSQL's MB)
     * @return the size
     */
    public static DataSize ofMegabytes(long megabytes) {
        return new DataSize(Math.multiplyExact(megabytes, KB * KB));
    }

    /**
     * @param gigabytes size in GiB (PostgreSQL's GB)
     * @return the size
     */
    public static DataSize ofGigabytes(long gigabytes) {
        return new DataSize(Math.multiplyExact(gigabytes, KB * KB * KB));
    }

    /** @return the "no limit" value, rendered {@code -1} */
    public static DataSize unlimited() {
        return new DataSize(-1);
    }

    /** @return whether this is the "no limit" value */
    public boolean isUnlimited() {
        return bytes == -1;
    }

    /** @return the largest exact PostgreSQL rendering: {@code 1GB}, {@code 300MB}, {@code 1536kB}, {@code -1} */
    public String toPostgres() {
        if (bytes == -1) {
            return "-1";
        }
        String[] units = {"TB", "GB", "MB", "kB"};
        long[] factors = {KB * KB * KB * KB, KB * KB * KB, KB * KB, KB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return bytes + "B";
    }

    @Override
    public int compareTo(DataSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toPostgres();
    }
}
