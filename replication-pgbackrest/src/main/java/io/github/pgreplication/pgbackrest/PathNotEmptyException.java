package io.github.pgreplication.pgbackrest;

/**
 * A restore target holds files that pgBackRest will not overwrite (pgBackRest error [040] path-not-empty): without
 * {@code --delta}, or with {@code --delta} in a directory that is not a PostgreSQL data directory.
 */
public class PathNotEmptyException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public PathNotEmptyException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
