package io.github.pgreplication.pgbackrest;

/**
 * The stanza exists but holds no backup to restore (pgBackRest error [075] backup-set-invalid, or {@code info}
 * status 2 "no valid backups"). Take a full backup on the repository host first; a standby may fall back to
 * pg_basebackup meanwhile.
 */
public class NoBackupException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param failure the failed command, or null when found without running one
     */
    public NoBackupException(String message, PgBackRestFailure failure) {
        super(message, failure);
    }
}
