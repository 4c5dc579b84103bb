package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.internal.Text;
import java.util.Locale;

/** pgBackRest backup types ({@code --type} of the {@code backup} command, {@code type} in {@code info}). */
public enum BackupType {
    /** A copy of the whole cluster. */
    FULL,
    /** Files changed since the last full backup. */
    DIFF,
    /** Files changed since the last backup of any type. */
    INCR;

    /** @return the value pgBackRest uses, e.g. {@code full} */
    public String toPgBackRest() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value {@code full}, {@code diff} or {@code incr}
     * @return the type
     * @throws IllegalArgumentException for any other value
     */
    public static BackupType parse(String value) {
        for (BackupType t : values()) {
            if (t.toPgBackRest().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + Text.printable(value) + "' is not a pgBackRest backup type: expected"
                + " full, diff or incr");
    }
}
