package io.github.pgreplication.testkit;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;

/**
 * The second runbook's layout in the testkit, through the public pgBackRest API: the repository and sshd on the
 * primary, standbys restored from it over SSH.
 */
final class PgBackRestSetup {
    /** Repository path on the primary, as in the runbook. */
    static final String REPOSITORY = "/var/lib/pgbackrest";

    private PgBackRestSetup() {
    }

    /**
     * Starts sshd on the primary and writes its pgbackrest.conf (the runbook's [global] and stanza sections).
     *
     * @return pgBackRest on the primary
     */
    static PgBackRest repository(ClusterNode primary, String stanza) {
        primary.startSshd();
        PgBackRestConfig.builder()
                .repository(Repository.posix(REPOSITORY).withRetentionFull(2))
                .processMax(2)
                .logPath("/var/log/pgbackrest")
                .startFast(true)
                .addStanza(StanzaSection.named(stanza).withPgPath(primary.dataDirectory())
                        .withPgPort(ClusterNode.PORT))
                .build()
                .writeTo(primary.host());
        return PgBackRest.on(primary.host(), stanza).withNodeName(primary.name());
    }

    /**
     * @return the standby cloned by a pgBackRest restore over SSH from the primary (which prepares the stanza and
     *         takes the first full backup when needed), falling back to pg_basebackup
     */
    static Standby restoredStandby(Standby standby, ClusterNode primary, PgBackRest repository) {
        RepositoryHost host = RepositoryHost.at(primary.name()).withAccess(primary.host());
        return standby.withCloneMethods(
                PgBackRestRestore.from(host, repository.stanza()).withRepositoryPreparedBy(repository),
                BaseBackup.defaults());
    }
}
