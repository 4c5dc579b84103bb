package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.PrimarySettings.ArchiveMode;
import io.github.pgreplication.PrimarySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of pgBackRest: archiving in its settings, and a stanza with a first full backup.
 *
 * <pre>{@code
 * PgBackRest pgBackRest = PgBackRest.on(primary.host(), "psql");
 * primaryConfig.writeTo(primary.host());
 * try (Replication replication = Replication.primary(primary)
 *         .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA),
 *                 pgBackRest))                       // archive_mode=on, archive_command, archive_timeout
 *         .load()) {
 *     replication.apply();                           // restarts the primary for archive_mode
 * }
 * StanzaSetup setup = PgBackRestPrimary.prepare(pgBackRest);   // stanza-create, check, first full backup
 * }</pre>
 */
public final class PgBackRestPrimary {
    /** Default {@code archive_timeout}: a WAL segment is archived at least once a minute. */
    public static final Duration DEFAULT_ARCHIVE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(PgBackRestPrimary.class);

    private PgBackRestPrimary() {
    }

    /**
     * @param settings   the primary's other settings
     * @param pgBackRest the primary's pgBackRest (its stanza and configuration path make the archive_command)
     * @return a copy with {@code archive_mode=on}, {@code archive_command} = {@link PgBackRest#archiveCommand()}
     *         and {@code archive_timeout=60s}
     */
    public static PrimarySettings withArchiving(PrimarySettings settings, PgBackRest pgBackRest) {
        return withArchiving(settings, pgBackRest, DEFAULT_ARCHIVE_TIMEOUT);
    }

    /**
     * @param settings       the primary's other settings
     * @param pgBackRest     the primary's pgBackRest
     * @param archiveTimeout {@code archive_timeout}: longest time before a partly filled WAL segment is archived;
     *                       zero turns it off
     * @return a copy with archiving through pgBackRest
     */
    public static PrimarySettings withArchiving(PrimarySettings settings, PgBackRest pgBackRest,
            Duration archiveTimeout) {
        Objects.requireNonNull(settings, "settings");
        if (archiveTimeout.isNegative()) {
            throw new IllegalArgumentException("archive_timeout " + archiveTimeout + " must not be negative");
        }
        return settings.withArchiveMode(ArchiveMode.ON)
                .withArchiveCommand(pgBackRest.archiveCommand())
                .withArchiveTimeout(archiveTimeout);
    }

    /**
     * Makes the repository ready for standbys, changing only what is missing: creates the stanza when
     * {@code info} reports it missing, checks it (WAL reaches the repository), and takes a full backup when there
     * is none. Run it on the host that holds the repository, after archiving is on, and not concurrently for
     * the same stanza (pgBackRest refuses concurrent stanza commands with [050]). {@code apply()} runs it as one
     * step for every standby restored with {@link PgBackRestRestore#withRepositoryPreparedBy(PgBackRest)}.
     *
     * @param pgBackRest the repository host's pgBackRest
     * @return what was done
     * @throws PgBackRestException of kind {@link PgBackRestException.Kind#ARCHIVE_PUSH} or
     *                             {@link PgBackRestException.Kind#ARCHIVE_TIMEOUT} when the check finds archiving
     *                             broken (archive_mode, archive_command, timeout)
     */
    public static StanzaSetup prepare(PgBackRest pgBackRest) {
        String node = pgBackRest.nodeName();
        StanzaInfo info = pgBackRest.info();
        boolean created = false;
        if (info.status().missing()) {
            pgBackRest.stanzaCreate();
            created = true;
        } else {
            LOG.info("[{}] stanza {} exists ({})", node, pgBackRest.stanza(), info.status());
        }
        pgBackRest.check();
        if (created) {
            info = pgBackRest.info();
        }
        boolean backup = false;
        BackupInfo latest = info.latestBackup().orElse(null);
        if (latest == null) {
            latest = pgBackRest.backup(BackupType.FULL);
            backup = true;
        } else {
            LOG.info("[{}] stanza {} has backup {}, no new backup needed", node, pgBackRest.stanza(),
                    latest.label());
        }
        return new StanzaSetup(pgBackRest.stanza(), created, backup, latest);
    }

    /**
     * @param pgBackRest the repository host's pgBackRest
     * @return the steps {@link #prepare(PgBackRest)} takes, as shell lines
     */
    public static List<String> runbook(PgBackRest pgBackRest) {
        String p = pgBackRest.shellPrefix();
        List<String> lines = new ArrayList<>();
        lines.add(p + " --output=json info   # stanza-create only if status code is 1 (missing stanza path)");
        lines.add(p + " stanza-create");
        lines.add(p + " check");
        lines.add(p + " --type=full backup   # only if info lists no backup");
        return lines;
    }

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
}
