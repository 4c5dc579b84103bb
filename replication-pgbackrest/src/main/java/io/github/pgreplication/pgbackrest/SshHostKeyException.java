package io.github.pgreplication.pgbackrest;

/**
 * The repository host's SSH host key is not pinned in the standby's {@code known_hosts} ("Host key verification
 * failed"), or differs from the pinned one ("REMOTE HOST IDENTIFICATION HAS CHANGED"). Pin it with
 * {@link SshTrust#pinHostKey}; never turn off host key checking.
 */
public class SshHostKeyException extends SshException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public SshHostKeyException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
