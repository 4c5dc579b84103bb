package io.github.pgreplication.pgbackrest;

/**
 * Two hosts that talk to each other run different pgBackRest versions. pgBackRest requires the exact same version on
 * both ends of its SSH protocol and fails otherwise with error [039] ("expected value '2.45' for greeting key
 * 'version' but got '2.44'"). Install the same version on both.
 */
public class VersionMismatchException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    private final String localVersion;
    private final String remoteVersion;

    /**
     * @param message       what failed and what to do
     * @param localVersion  version on the host that ran the command (or the first host compared)
     * @param remoteVersion version on the other host
     * @param failure       the failed command, or null when found by comparing {@code pgbackrest version}
     */
    public VersionMismatchException(String message, String localVersion, String remoteVersion,
            PgBackRestFailure failure) {
        super(message, failure);
        this.localVersion = localVersion;
        this.remoteVersion = remoteVersion;
    }

    /** @return the version on the host that ran the command, e.g. {@code 2.45} */
    public String localVersion() {
        return localVersion;
    }

    /** @return the version on the other host, e.g. {@code 2.44} */
    public String remoteVersion() {
        return remoteVersion;
    }
}
