package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.internal.Text;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pgBackRest version, as printed by {@code pgbackrest version} ({@code pgBackRest 2.45}, {@code pgBackRest 2.55.1},
 * {@code pgBackRest 2.56.0dev}).
 *
 * @param major  major number (2)
 * @param minor  minor number (45)
 * @param patch  patch number, -1 when absent (2.45); compared as 0
 * @param suffix anything after the numbers, e.g. {@code dev}; empty for releases
 */
public record PgBackRestVersion(int major, int minor, int patch, String suffix)
        implements Comparable<PgBackRestVersion> {
    private static final Pattern VERSION = Pattern.compile("(?:pgBackRest\\s+)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(\\S*)");

    /** Checks for nulls. */
    public PgBackRestVersion {
        Objects.requireNonNull(suffix, "suffix");
    }

    /**
     * @param text the output of {@code pgbackrest version}, or a bare version such as {@code 2.45}
     * @return the version
     * @throws IllegalArgumentException when no version is found
     */
    public static PgBackRestVersion parse(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("'" + Text.printable(text) + "' holds no pgBackRest version: expected"
                    + " output like 'pgBackRest 2.45' from 'pgbackrest version'");
        }
        return new PgBackRestVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? -1 : Integer.parseInt(m.group(3)), m.group(4));
    }

    /** @param other another version @return whether this one is at least {@code other} */
    public boolean isAtLeast(PgBackRestVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(PgBackRestVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(Math.max(patch, 0), Math.max(o.patch, 0));
        }
        if (c == 0 && !suffix.equals(o.suffix)) {
            // a release sorts after its pre-releases (2.56.0dev < 2.56.0)
            c = suffix.isEmpty() ? 1 : o.suffix.isEmpty() ? -1 : suffix.compareTo(o.suffix);
        }
        return c;
    }

    /** @return the version as pgBackRest prints it, e.g. {@code 2.45} or {@code 2.55.1} */
    @Override
    public String toString() {
        return major + "." + minor + (patch < 0 ? "" : "." + patch) + suffix;
    }
}
