package io.github.pgreplication.pgbackrest;

/**
 * WAL does not reach the repository from the primary: {@code archive_command} is not pgBackRest's (error [068]
 * archive-command-invalid), archiving is off ([087] archive-disabled), or pushing fails (see the subclass
 * {@link ArchiveTimeoutException} for [082]).
 */
public class ArchivePushException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public ArchivePushException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
