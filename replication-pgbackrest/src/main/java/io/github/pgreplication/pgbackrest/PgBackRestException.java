package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.ReplicationException;
import java.util.Optional;

/**
 * Root of the pgBackRest module's exceptions. Subclasses name what failed (a missing stanza, an SSH key that is not
 * authorized, PostgreSQL running where a restore should go...) and every message says what to do next. When the
 * failure came from a command, {@link #failure()} holds its exit code, pgBackRest's error code and output.
 *
 * <p>This class itself is thrown for pgBackRest errors without a more specific type; its message still carries
 * pgBackRest's own error text and hints.
 */
public class PgBackRestException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    private final transient PgBackRestFailure failure;

    /**
     * @param message what failed, the offending value, and the next step
     * @param failure the failed command, or null when the problem was found without running pgBackRest
     */
    public PgBackRestException(String message, PgBackRestFailure failure) {
        super(message);
        this.failure = failure;
    }

    /**
     * @param message what failed, the offending value, and the next step
     * @param failure the failed command, or null
     * @param cause   the underlying exception
     */
    public PgBackRestException(String message, PgBackRestFailure failure, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** @return the failed command, when the problem came from one */
    public Optional<PgBackRestFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return pgBackRest's error code (e.g. 55 for {@code [055]}), or -1 when there is none */
    public int errorCode() {
        return failure == null ? -1 : failure.errorCode();
    }
}
