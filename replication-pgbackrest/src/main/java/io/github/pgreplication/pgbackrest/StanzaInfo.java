package io.github.pgreplication.pgbackrest;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stanza as {@code pgbackrest info --output=json} reports it.
 *
 * <pre>{@code
 * StanzaInfo info = PgBackRest.on(primary.host(), "psql").info();
 * if (info.status().missing()) { ... stanza-create ... }
 * info.latestBackup().ifPresent(b -> System.out.println(b.label() + " " + b.type() + " " + b.walStop()));
 * }</pre>
 *
 * @param name           stanza name
 * @param status         status code and message
 * @param backupLockHeld whether a backup or expire holds the stanza's lock right now
 * @param cipher         repository cipher, e.g. {@code none}
 * @param backups        backups, oldest first
 * @param archives       WAL ranges per database
 * @param databases      clusters the stanza has held, the current one last
 */
public record StanzaInfo(String name, Status status, boolean backupLockHeld, String cipher,
        List<BackupInfo> backups, List<WalRange> archives, List<Database> databases) {

    /**
     * Copies lists and checks for nulls.
     *
     * @param name           stanza name
     * @param status         status code and message
     * @param backupLockHeld whether a backup or expire holds the stanza's lock right now
     * @param cipher         repository cipher, e.g. {@code none}
     * @param backups        backups, oldest first
     * @param archives       WAL ranges per database
     * @param databases      clusters the stanza has held, the current one last
     */
    public StanzaInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        backups = List.copyOf(backups);
        archives = List.copyOf(archives);
        databases = List.copyOf(databases);
    }

    /** @return whether the stanza exists in the repository */
    public boolean exists() {
        return !status.missing();
    }

    /** @return whether it holds at least one backup */
    public boolean hasBackups() {
        return !backups.isEmpty();
    }

    /** @return the newest backup of any type */
    public Optional<BackupInfo> latestBackup() {
        return backups.stream().max(Comparator.comparing(BackupInfo::stop));
    }

    /** @return the newest full backup */
    public Optional<BackupInfo> latestFullBackup() {
        return backups.stream().filter(b -> b.type() == BackupType.FULL).max(Comparator.comparing(BackupInfo::stop));
    }

    /**
     * @param label a backup label
     * @return that backup, when present
     */
    public Optional<BackupInfo> backup(String label) {
        return backups.stream().filter(b -> b.label().equals(label)).findFirst();
    }

    /** @return the current cluster (the last in the history) */
    public Optional<Database> currentDatabase() {
        return databases.isEmpty() ? Optional.empty() : Optional.of(databases.get(databases.size() - 1));
    }

    /**
     * A stanza's status in {@code pgbackrest info}. Codes (pgBackRest's {@code command/info/info.c}): 0 ok, 1 missing
     * stanza path, 2 no valid backups, 3 missing stanza data, 4 different across repos, 5 database mismatch across
     * repos, 99 other.
     *
     * @param code    the status code
     * @param message pgBackRest's message, e.g. {@code no valid backups}; for {@link #OTHER} the failing repository's
     *                error message rather than the bare word {@code other}
     */
    public record Status(int code, String message) {
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

    /**
     * A PostgreSQL cluster a stanza has held (one per {@code stanza-upgrade}).
     *
     * @param id       history id
     * @param systemId the cluster's system identifier, as text (it can exceed a signed 64-bit number)
     * @param version  PostgreSQL major version, e.g. {@code 15}
     * @param repoKey  repository number
     */
    public record Database(int id, String systemId, String version, int repoKey) {
    }

    /**
     * The WAL held in the repository for one PostgreSQL version and system of a stanza.
     *
     * @param id      archive id, e.g. {@code 15-1}
     * @param min     oldest WAL segment, or null when none is archived yet
     * @param max     newest WAL segment, or null
     * @param repoKey repository number
     */
    public record WalRange(String id, String min, String max, int repoKey) {
        /** @return whether any WAL is archived */
        public boolean hasWal() {
            return max != null;
        }
    }
}
