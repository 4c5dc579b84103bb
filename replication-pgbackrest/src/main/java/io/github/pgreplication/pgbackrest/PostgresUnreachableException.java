package io.github.pgreplication.pgbackrest;

/**
 * pgBackRest cannot connect to the stanza's PostgreSQL server (pgBackRest error [056] db-connect, or [027] "no
 * database found" after a connection failure): wrong {@code pg1-port} or {@code pg1-socket-path}, or the server is
 * down.
 */
public class PostgresUnreachableException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public PostgresUnreachableException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
