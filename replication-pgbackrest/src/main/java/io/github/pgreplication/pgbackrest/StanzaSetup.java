package io.github.pgreplication.pgbackrest;

import java.util.Optional;

/**
 * What {@link PgBackRestPrimary#prepare(PgBackRest)} did.
 *
 * @param stanza          the stanza
 * @param stanzaCreated   whether {@code stanza-create} ran because the stanza did not exist
 * @param fullBackupTaken whether a full backup was taken because there was none
 * @param latestBackup    the newest backup afterwards
 */
public record StanzaSetup(String stanza, boolean stanzaCreated, boolean fullBackupTaken, BackupInfo latestBackup) {
    /** @return whether nothing had to change */
    public boolean unchanged() {
        return !stanzaCreated && !fullBackupTaken;
    }

    /** @return the newest backup, when there is one */
    public Optional<BackupInfo> latest() {
        return Optional.ofNullable(latestBackup);
    }
}
