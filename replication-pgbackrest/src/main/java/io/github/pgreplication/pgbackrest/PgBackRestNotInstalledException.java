package io.github.pgreplication.pgbackrest;

/**
 * The {@code pgbackrest} program is missing on a host (exit code 127, or "No such file or directory" when pgBackRest
 * starts its remote on the repository host).
 */
public class PgBackRestNotInstalledException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public PgBackRestNotInstalledException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
