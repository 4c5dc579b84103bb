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
public record StanzaInfo(String name, StanzaStatus status, boolean backupLockHeld, String cipher,
        List<BackupInfo> backups, List<WalArchiveRange> archives, List<StanzaDatabase> databases) {

    /** Copies lists and checks for nulls. */
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

    /** @param label a backup label @return that backup, when present */
    public Optional<BackupInfo> backup(String label) {
        return backups.stream().filter(b -> b.label().equals(label)).findFirst();
    }

    /** @return the current cluster (the last in the history) */
    public Optional<StanzaDatabase> currentDatabase() {
        return databases.isEmpty() ? Optional.empty() : Optional.of(databases.get(databases.size() - 1));
    }
}
