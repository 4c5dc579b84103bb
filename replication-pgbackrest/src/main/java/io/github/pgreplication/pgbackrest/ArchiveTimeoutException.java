package io.github.pgreplication.pgbackrest;

/**
 * A WAL segment was not archived before the archive timeout (pgBackRest error [082] archive-timeout): the primary's
 * {@code archive_command} is not working (wrong {@code --stanza} or {@code --config}, repository not writable, stanza
 * stopped).
 */
public class ArchiveTimeoutException extends ArchivePushException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public ArchiveTimeoutException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
