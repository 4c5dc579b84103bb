package io.github.pgreplication.pgbackrest;

/**
 * A restore was asked into a data directory where PostgreSQL runs (pgBackRest error [038] pg-running:
 * {@code postmaster.pid} is present). Stop the server first.
 */
public class PostgresRunningException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public PostgresRunningException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
