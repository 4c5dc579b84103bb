package io.github.pgreplication;

import java.time.Duration;
import java.util.Objects;

/**
 * Retires a standby: passed to {@link Replication#remove(Remove)} and {@link Replication#plan(Remove)}. Its slot is
 * dropped where it lives (the primary, or its upstream for a cascading standby), and the pg_hba rules of this set-up
 * that served its address alone. An upstream of cascading standbys ({@link Standby#streamingFrom}) is refused
 * unless {@link #withStandbysRepointed(boolean)}: they are then pointed at its own upstream first, each with its slot
 * there, and checked to stream, before it stops.
 *
 * <pre>{@code
 * replication.remove(Remove.standby("eshub").withStop(true).withStandbysRepointed(true));
 * }</pre>
 *
 * @param standby           the standby to retire
 * @param stop              whether to stop it first (without, a standby still streaming is refused: its slot is in
 *                          use); default false
 * @param standbysRepointed whether the standbys streaming from it are pointed at its upstream (else it is refused
 *                          while they do); default false
 * @param streamTimeout     how long the re-pointed standbys may take to stream; default 60 s
 */
public record Remove(String standby, boolean stop, boolean standbysRepointed, Duration streamTimeout) {
    /**
     * Checks for nulls and ranges.
     *
     * @param standby           the standby to retire
     * @param stop              whether to stop it first
     * @param standbysRepointed whether the standbys streaming from it are pointed at its upstream
     * @param streamTimeout     how long the re-pointed standbys may take to stream
     */
    public Remove {
        Objects.requireNonNull(standby, "standby must not be null: name the standby to retire, e.g."
                + " Remove.standby(\"eshub\")");
        Switchover.positive("streamTimeout", streamTimeout);
    }

    /**
     * @param name the standby to retire
     * @return a removal with defaults: not stopped, refused while standbys stream from it
     */
    public static Remove standby(String name) {
        return new Remove(name, false, false, Duration.ofSeconds(60));
    }

    /**
     * @param value whether to stop the standby first
     * @return a copy
     */
    public Remove withStop(boolean value) {
        return new Remove(standby, value, standbysRepointed, streamTimeout);
    }

    /**
     * @param value whether the standbys streaming from it are pointed at its own upstream (the primary, or the standby
     *              it streams from) before it goes
     * @return a copy
     */
    public Remove withStandbysRepointed(boolean value) {
        return new Remove(standby, stop, value, streamTimeout);
    }

    /**
     * @param timeout how long the re-pointed standbys may take to stream
     * @return a copy
     */
    public Remove withStreamTimeout(Duration timeout) {
        return new Remove(standby, stop, standbysRepointed, timeout);
    }
}
