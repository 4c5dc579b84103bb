package io.github.pgreplication.host;

/** What a {@link ServiceControl} is asked to do to a PostgreSQL server. */
public enum ServiceAction {
    /** Start a stopped server. */
    START,
    /** Stop a running server (fast shutdown). */
    STOP,
    /** Stop if running, then start. */
    RESTART
}
