package io.github.pgreplication.pgbackrest;

import java.util.Optional;

/**
 * The repository host refused the standby's key ({@code Permission denied (publickey)}): the public key is not in
 * the repository user's {@code ~/.ssh/authorized_keys}, that file or directory has loose permissions, or the
 * account is locked. When known, {@link #publicKey()} is the line to install.
 */
public class SshKeyNotAuthorizedException extends SshException {
    private static final long serialVersionUID = 1L;

    private final String publicKey;

    /**
     * @param message   what failed and what to do
     * @param publicKey the standby's public key line, or null when unknown
     * @param failure   the failed command, or null
     */
    public SshKeyNotAuthorizedException(String message, String publicKey, PgBackRestFailure failure) {
        super(message, failure);
        this.publicKey = publicKey;
    }

    /** @return the standby's public key line to add to the repository user's authorized_keys, when known */
    public Optional<String> publicKey() {
        return Optional.ofNullable(publicKey);
    }
}
