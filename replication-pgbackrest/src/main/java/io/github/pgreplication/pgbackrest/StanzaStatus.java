package io.github.pgreplication.pgbackrest;

/**
 * A stanza's status in {@code pgbackrest info}. Codes (pgBackRest's {@code command/info/info.c}): 0 ok, 1 missing
 * stanza path, 2 no valid backups, 3 missing stanza data, 4 different across repos, 5 database mismatch across
 * repos, 99 other.
 *
 * @param code    the status code
 * @param message pgBackRest's message, e.g. {@code no valid backups}; for {@link #OTHER} the failing repository's
 *                error message rather than the bare word {@code other}
 */
public record StanzaStatus(int code, String message) {
    /** Status code: the stanza exists and has at least one valid backup. */
    public static final int OK = 0;
    /** Status code: the stanza's directory does not exist in the repository (no stanza-create yet). */
    public static final int MISSING_STANZA_PATH = 1;
    /** Status code: the stanza exists but has no valid backup. */
    public static final int NO_BACKUP = 2;
    /** Status code: the stanza's directory exists but its info files are missing. */
    public static final int MISSING_STANZA_DATA = 3;
    /**
     * Status code: pgBackRest could not read the repository (ssh failure, permissions, version mismatch...); the
     * message is then the repository's error, e.g. {@code [UnknownError] remote-0 process on 'eshua' terminated
     * unexpectedly [255]: ...}.
     */
    public static final int OTHER = 99;

    /** @return whether the stanza is usable and has a backup */
    public boolean ok() {
        return code == OK;
    }

    /** @return whether the stanza must still be created ({@code stanza-create}) */
    public boolean missing() {
        return code == MISSING_STANZA_PATH || code == MISSING_STANZA_DATA;
    }

    /** @return whether the stanza exists without any valid backup */
    public boolean noBackup() {
        return code == NO_BACKUP;
    }

    @Override
    public String toString() {
        return code + " (" + message + ")";
    }
}
