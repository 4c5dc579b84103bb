package io.github.pgreplication.pgbackrest;

/**
 * The standby has no SSH key pair for its pgBackRest user (the key the first start generates in the runbook was
 * never generated), so it cannot authenticate to the repository host. Generate it with
 * {@link SshTrust#ensureKeyPair}, or {@code ssh-keygen -t ed25519 -N "" -f ~/.ssh/id_ed25519} as that user.
 */
public class SshKeyMissingException extends SshException {
    private static final long serialVersionUID = 1L;

    private final String keyPath;

    /**
     * @param message what failed and what to do
     * @param keyPath the private key path that was looked for
     * @param failure the failed command, or null when found without running one
     */
    public SshKeyMissingException(String message, String keyPath, PgBackRestFailure failure) {
        super(message, failure);
        this.keyPath = keyPath;
    }

    /** @return the private key path that was looked for, e.g. {@code /var/lib/postgresql/.ssh/id_ed25519} */
    public String keyPath() {
        return keyPath;
    }
}
