package io.github.pgreplication;

import java.time.Duration;

/**
 * What one step did during {@link Replication#apply()}.
 *
 * @param node     the node
 * @param title    the step's title
 * @param status   applied, already done, or checked
 * @param detail   what happened, e.g. which clone method was used
 * @param elapsed  how long it took
 * @param commands how many commands it ran on hosts (each a process, an SSH session or a container exec): counted,
 *                 not timed, so a change that adds round trips shows
 * @param queries  how many SQL statements (and connection checks) it sent
 * @param polls    the commands and statements of its waits' looks after the first, which depend on how long the
 *                 servers take: not in {@code commands} nor {@code queries}
 */
public record StepOutcome(String node, String title, Status status, String detail, Duration elapsed, int commands,
        int queries, int polls) {
    /**
     * @param node    the node
     * @param title   the step's title
     * @param status  what it did
     * @param detail  what happened
     * @param elapsed how long it took
     */
    public StepOutcome(String node, String title, Status status, String detail, Duration elapsed) {
        this(node, title, status, detail, elapsed, 0, 0, 0);
    }

    /** What a step did. */
    public enum Status {
        /** The step changed something. */
        APPLIED,
        /** The step found its work already done and changed nothing. */
        ALREADY_DONE,
        /** A check step ran and passed. */
        CHECKED
    }

    @Override
    public String toString() {
        String label = switch (status) {
            case APPLIED -> "applied     ";
            case ALREADY_DONE -> "already done";
            case CHECKED -> "checked     ";
        };
        return label + "  " + node + ": " + title + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
