package io.github.pgreplication.internal;

import java.time.Duration;
import java.util.Objects;

/** The one check of a timeout a caller gives: present and positive (a zero or negative limit would end at once). */
public final class Durations {
    private Durations() {
    }

    /**
     * @param what    what the duration is, for the message, e.g. {@code pg_basebackup timeout}
     * @param value   the duration given
     * @param example code giving a valid one, e.g. {@code .withTimeout(Duration.ofHours(2))}
     * @return the duration
     * @throws NullPointerException     when it is null
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration positive(String what, Duration value, String example) {
        Objects.requireNonNull(value, what + " must not be null: e.g. " + example);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " " + value + " must be positive: e.g. " + example);
        }
        return value;
    }
}
