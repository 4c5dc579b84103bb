package io.github.pgreplication.pgbackrest.internal;

import static java.util.Map.entry;

import java.util.Map;

/**
 * pgBackRest's error codes used by the diagnostics. pgBackRest prints {@code ERROR: [NNN]: message} and exits with
 * NNN as its exit code.
 *
 * <p>Source: {@code src/build/error/error.yaml} in the pgbackrest/pgbackrest repository (the definitions from which
 * {@code src/common/error.auto.c} is generated; {@code build/error.yaml} in older releases). Checked against the
 * output of pgBackRest 2.45 (Debian bookworm) for every code below except 087, 044, 050, 058 and 062, whose use
 * here only adds a hint; 038, 039, 040, 055, 068, 075, 082, 087, 103 and 125 are also reproduced with pgBackRest
 * 2.55.1 by the testkit's integration tests ({@code io.github.pgreplication.testkit.pgbackrest}). The error class
 * names ({@link #byName}) are those {@code info} prints in a repository's status, e.g. {@code [ProtocolError]}.
 */
public final class ErrorCodes {
    /** {@code config}: e.g. "no database found" when no pg1 host can be reached. */
    public static final int CONFIG = 27;
    /** {@code option-invalid}. */
    public static final int OPTION_INVALID = 31;
    /**
     * {@code option-required}: e.g. "archive-get command requires option: pg1-path / HINT: does this stanza
     * exist?".
     */
    public static final int OPTION_REQUIRED = 37;
    /** {@code pg-running}: "unable to restore while PostgreSQL is running". */
    public static final int PG_RUNNING = 38;
    /** {@code protocol}: e.g. "expected value '2.45' for greeting key 'version' but got '2.44'". */
    public static final int PROTOCOL = 39;
    /** {@code path-not-empty}: "unable to restore to path '...' because it contains files". */
    public static final int PATH_NOT_EMPTY = 40;
    /** {@code file-open}. */
    public static final int FILE_OPEN = 41;
    /** {@code archive-mismatch}: the archive belongs to another cluster or version. */
    public static final int ARCHIVE_MISMATCH = 44;
    /** {@code lock-acquire}: another pgBackRest process holds the lock. */
    public static final int LOCK_ACQUIRE = 50;
    /** {@code backup-mismatch}. */
    public static final int BACKUP_MISMATCH = 51;
    /** {@code file-missing}: e.g. "unable to load info file '.../archive.info'" when the stanza does not exist. */
    public static final int FILE_MISSING = 55;
    /** {@code host-connect}: "unable to connect to 'HOST:PORT'" (the TLS server, an object store). */
    public static final int HOST_CONNECT = 49;
    /** {@code db-connect}: pgBackRest cannot connect to PostgreSQL. */
    public static final int DB_CONNECT = 56;
    /** {@code db-mismatch}: pg1-path holds another cluster than the stanza's. */
    public static final int DB_MISMATCH = 58;
    /** {@code stop}: the stanza was stopped with {@code pgbackrest stop}. */
    public static final int STOP = 62;
    /** {@code archive-command-invalid}: "archive_command '...' must contain pgbackrest". */
    public static final int ARCHIVE_COMMAND_INVALID = 68;
    /** {@code backup-set-invalid}: "no backup set found to restore". */
    public static final int BACKUP_SET_INVALID = 75;
    /** {@code archive-timeout}: "WAL segment ... was not archived before the 60000ms timeout". */
    public static final int ARCHIVE_TIMEOUT = 82;
    /** {@code archive-disabled}: archive_mode is off. */
    public static final int ARCHIVE_DISABLED = 87;
    /** {@code crypto}: a TLS certificate that cannot be verified, or that does not name the host. */
    public static final int TLS_CRYPTO = 95;
    /** {@code execute}: a program could not be run. */
    public static final int EXECUTE = 102;
    /** {@code repo-invalid}: "unable to find a valid repository" (details in the preceding WARN lines). */
    public static final int REPO_INVALID = 103;
    /**
     * {@code unknown}: used when a child process exits with a code pgBackRest does not know, such as ssh's 255:
     * "remote-0 process on 'HOST' terminated unexpectedly [255]: ...".
     */
    public static final int UNKNOWN = 125;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            entry("ConfigError", CONFIG),
            entry("OptionInvalidError", OPTION_INVALID),
            entry("OptionRequiredError", OPTION_REQUIRED),
            entry("PgRunningError", PG_RUNNING),
            entry("ProtocolError", PROTOCOL),
            entry("PathNotEmptyError", PATH_NOT_EMPTY),
            entry("FileOpenError", FILE_OPEN),
            entry("ArchiveMismatchError", ARCHIVE_MISMATCH),
            entry("LockAcquireError", LOCK_ACQUIRE),
            entry("BackupMismatchError", BACKUP_MISMATCH),
            entry("FileMissingError", FILE_MISSING),
            entry("DbConnectError", DB_CONNECT),
            entry("DbMismatchError", DB_MISMATCH),
            entry("StopError", STOP),
            entry("ArchiveCommandInvalidError", ARCHIVE_COMMAND_INVALID),
            entry("BackupSetInvalidError", BACKUP_SET_INVALID),
            entry("ArchiveTimeoutError", ARCHIVE_TIMEOUT),
            entry("ArchiveDisabledError", ARCHIVE_DISABLED),
            entry("ExecuteError", EXECUTE),
            entry("RepoInvalidError", REPO_INVALID),
            entry("UnknownError", UNKNOWN));

    private ErrorCodes() {
    }

    /**
     * @param errorClass pgBackRest's error class as {@code info} prints it in a repository status, e.g.
     *                   {@code ProtocolError} from {@code [ProtocolError] expected value...}
     * @return its code, e.g. 39, or -1 when it is not one of the codes above
     */
    public static int byName(String errorClass) {
        return BY_NAME.getOrDefault(errorClass, -1);
    }
}
