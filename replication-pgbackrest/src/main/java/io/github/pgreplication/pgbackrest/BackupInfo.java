package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Lsn;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One backup of a stanza, from {@code pgbackrest info --output=json}.
 *
 * @param label                 the backup label, e.g. {@code 20261122-004606F_20261122-004614I}
 * @param type                  full, diff or incr
 * @param start                 when it started
 * @param stop                  when it finished
 * @param lsnStart              WAL position at its start, or null when pgBackRest did not record it
 * @param lsnStop               WAL position at its end, or null
 * @param walStart              first WAL segment it needs, e.g. {@code 000000010000000000000003}
 * @param walStop               last WAL segment it needs
 * @param databaseSize          size of the cluster, bytes ({@code info.size})
 * @param databaseBackupSize    bytes copied by this backup ({@code info.delta})
 * @param repositorySize        size in the repository, bytes, after compression ({@code info.repository.size})
 * @param repositoryBackupSize  bytes this backup added to the repository ({@code info.repository.delta})
 * @param prior                 label of the backup it is based on, or null for a full backup
 * @param references            labels of the backups whose files it uses
 * @param pgBackRestVersion     pgBackRest version that took it
 * @param error                 whether pgBackRest found checksum errors during the backup
 * @param repoKey               repository number, 1 for {@code repo1}
 */
public record BackupInfo(String label, BackupType type, Instant start, Instant stop, Lsn lsnStart, Lsn lsnStop,
        String walStart, String walStop, long databaseSize, long databaseBackupSize, long repositorySize,
        long repositoryBackupSize, String prior, List<String> references, String pgBackRestVersion, boolean error,
        int repoKey) {

    /**
     * Copies the references and checks for nulls.
     *
     * @param label                 the backup label, e.g. {@code 20261122-004606F_20261122-004614I}
     * @param type                  full, diff or incr
     * @param start                 when it started
     * @param stop                  when it finished
     * @param lsnStart              WAL position at its start, or null when pgBackRest did not record it
     * @param lsnStop               WAL position at its end, or null
     * @param walStart              first WAL segment it needs, e.g. {@code 000000010000000000000003}
     * @param walStop               last WAL segment it needs
     * @param databaseSize          size of the cluster, bytes ({@code info.size})
     * @param databaseBackupSize    bytes copied by this backup ({@code info.delta})
     * @param repositorySize        size in the repository, bytes, after compression ({@code info.repository.size})
     * @param repositoryBackupSize  bytes this backup added to the repository ({@code info.repository.delta})
     * @param prior                 label of the backup it is based on, or null for a full backup
     * @param references            labels of the backups whose files it uses
     * @param pgBackRestVersion     pgBackRest version that took it
     * @param error                 whether pgBackRest found checksum errors during the backup
     * @param repoKey               repository number, 1 for {@code repo1}
     */
    public BackupInfo {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** @return how long it took */
    public java.time.Duration duration() {
        return java.time.Duration.between(start, stop);
    }
}
