package io.github.pgreplication;

import java.util.regex.Pattern;

/**
 * A PostgreSQL WAL location (log sequence number), written {@code 16/B374D848}.
 *
 * @param value the 64-bit position, compared unsigned
 */
public record Lsn(long value) implements Comparable<Lsn> {
    private static final Pattern FORMAT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    /**
     * @param text an LSN as PostgreSQL prints it, e.g. {@code 0/3000148}
     * @return the parsed LSN
     */
    public static Lsn parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + Problem.shown(text) + "' is not an LSN: expected two hexadecimal"
                    + " numbers separated by '/', such as '0/3000148'");
        }
        int slash = text.indexOf('/');
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return new Lsn((hi << 32) | lo);
    }

    /**
     * @param text an LSN or null
     * @return the parsed LSN, or null when {@code text} is null (PostgreSQL's way of saying "unknown")
     */
    public static Lsn parseNullable(String text) {
        return text == null ? null : parse(text);
    }

    /**
     * @param other another LSN
     * @return bytes from {@code other} to this (negative when this is behind)
     */
    public long minus(Lsn other) {
        return value - other.value;
    }

    /**
     * @param other another LSN
     * @return whether this position is at or past {@code other}
     */
    public boolean isAtOrAfter(Lsn other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
