package io.github.pgreplication.pgbackrest;

/**
 * The standby cannot open its SSH connection to the repository host. pgBackRest reports these as error [125]
 * ("remote-0 process on 'HOST' terminated unexpectedly [255]"); {@link SshTrust#verify} reports them directly.
 * Subclasses say which part failed.
 */
public class SshException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public SshException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
