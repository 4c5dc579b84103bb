package io.github.pgreplication.pgbackrest;

/**
 * A standby cannot fetch WAL from the repository with {@code archive-get} (its {@code restore_command}): the segment
 * is missing because the primary's {@code archive_command} does not work, or the repository cannot be read.
 */
public class ArchiveGetException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public ArchiveGetException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
