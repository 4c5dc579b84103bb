package io.github.pgreplication.pgbackrest;

/**
 * The repository host's SSH server cannot be reached: connection refused, timed out, no route, or unknown host
 * name.
 */
public class SshConnectionException extends SshException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public SshConnectionException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
