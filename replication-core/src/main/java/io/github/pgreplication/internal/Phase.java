package io.github.pgreplication.internal;

import io.github.pgreplication.clone.ContributedStep;

/** The phases of a plan, in the order they run; any part of the library may contribute steps to each. */
public enum Phase {
    /** The primary's checks and configuration. */
    PRIMARY("prepare the primary"),
    /** What the standbys need once the primary is prepared, before any clone (e.g. a repository's backup). */
    AFTER_PRIMARY("once the primary is prepared, before the clones"),
    /** Each standby's own work, up to streaming; standbys in parallel when allowed. */
    STANDBYS("each standby up to streaming"),
    /** Work that needs every standby streaming (synchronous_standby_names belongs here). */
    AFTER_STREAMING("once every standby streams"),
    /** Final checks of the whole set-up. */
    VERIFICATION("verify");

    private final String heading;

    Phase(String heading) {
        this.heading = heading;
    }

    /** @return the phase's heading in a runbook */
    public String heading() {
        return heading;
    }

    /**
     * @param phase a phase of the clone SPI
     * @return the plan's phase it runs in
     */
    static Phase of(ContributedStep.Phase phase) {
        return switch (phase) {
            case PRIMARY -> PRIMARY;
            case AFTER_PRIMARY -> AFTER_PRIMARY;
            case STANDBY -> STANDBYS;
            case AFTER_STREAMING -> AFTER_STREAMING;
            case VERIFICATION -> VERIFICATION;
        };
    }
}
