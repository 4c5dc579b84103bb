package io.github.pgreplication.samples;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestConfig.CompressType;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.SshTrust;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary.StanzaSetup;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The second runbook ("PostgreSQL Slave avec pgBackRest", kept beside this repository), with the public API: the
 * primary holds the pgBackRest repository and runs sshd; the standby opens no inbound port, generates its SSH key on
 * first start, has it authorized on the primary, pins the primary's host key, is restored from the repository over SSH,
 * then streams from the primary and falls back to archive-get. The runbook's environment variables are honoured
 * with its defaults (BACKREST_STANZA=psql, BACKREST_PRIMARY_USER=postgres, PG_REPLICATION_USER=replicator,
 * PG_REPLICATION_PASSWORD=replication, PG_SLAVE_NAME=slave).
 *
 * <p>Run it with {@code scripts/run-sample.sh PgBackRestSample}.
 */
public final class PgBackRestSample {
    private PgBackRestSample() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String standbyName = env.getOrDefault("PG_SLAVE_NAME", "slave");
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17),
                List.of("primary", standbyName), Set.of(standbyName))) { // the standby publishes no port
            machines.initDatabase("primary").startSshd();
            run(machines, standbyName, env, System.out);
        }
    }

    /**
     * @param machines    a running "primary" with sshd, and the standby machine
     * @param standbyName the standby's name
     * @param env         the runbook's variables
     * @param out         where to print
     * @return what apply() did
     */
    public static ApplyResult run(PostgresMachines machines, String standbyName, Map<String, String> env,
            PrintStream out) {
        ClusterNode primary = machines.machine("primary");
        Host standbyHost = machines.machine(standbyName).host();
        String stanza = env.getOrDefault("BACKREST_STANZA", "psql");
        // snippet:seed2
        // Primary side, steps 2 and 3: pgbackrest.conf and archiving.
        PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .processMax(4)
                .logPath("/var/log/pgbackrest")
                .addStanza(StanzaSection.named(stanza).withPgPath(PostgresMachines.DATA_DIRECTORY).withPgPort(5432))
                .build()
                .writeTo(primary.host());                      // /etc/pgbackrest.conf
        PgBackRest repository = PgBackRest.on(primary.host(), stanza);

        // Standby side: the repository is on the primary, reached over SSH as BACKREST_PRIMARY_USER.
        RepositoryHost repositoryHost = RepositoryHost.at(primary.name())
                .withUser(env.getOrDefault("BACKREST_PRIMARY_USER", "postgres"))
                .withAccess(primary.host());                  // lets the library authorize the key (step 6)
        SshTrust trust = SshTrust.to(repositoryHost);
        String publicKey = trust.ensureKeyPair(standbyHost);  // generated on first start, as the runbook does
        out.println("Standby public key, for the primary's authorized_keys:\n  " + publicKey);

        String user = env.getOrDefault("PG_REPLICATION_USER", "replicator");
        Replication.Builder replication = Replication.primary(Primary.at(primary.internalEndpoint())
                        .withName("primary")
                        .withAdminEndpoint(primary.endpoint())
                        .withAdmin("postgres", primary.password())
                        .withHost(primary.host())
                        .withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named(user)
                        .withPassword(Secret.of(env.getOrDefault("PG_REPLICATION_PASSWORD", "replication"))))
                .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty()
                        .withMaxWalSenders(10)
                        .withWalLevel(WalLevel.REPLICA), repository))
                .allow(HbaRule.parse("host replication " + user + " 0.0.0.0/0 md5"))
                .addStandby(Standby.named(standbyName)
                        .withHost(standbyHost)
                        .withDataDirectory(PostgresMachines.DATA_DIRECTORY)
                        .withCloneMethods(
                                PgBackRestRestore.from(repositoryHost, stanza).withSshTrust(trust)
                                        .withRepositoryPreparedBy(repository), // stanza-create, check, backup
                                BaseBackup.defaults()));                       // if the restore fails
        // end-snippet:seed2
        return applyAndShow(replication, repository, stanza, machines.machine(standbyName), primary, out);
    }

    /** Applies the description and shows what the runbook's last steps check: the restore, the stanza, streaming. */
    private static ApplyResult applyAndShow(Replication.Builder replication, PgBackRest repository, String stanza,
            ClusterNode standby, ClusterNode primary, PrintStream out) {
        String standbyName = standby.name();
        try (Replication r = replication.load()) {
            out.println(r.plan().toRunbook());
            ApplyResult result = r.apply();
            out.println(result.summary());
            StanzaSetup stanzaState = PgBackRestPrimary.prepare(repository); // already done: reports it
            out.println("Stanza " + stanza + ": latest backup " + stanzaState.latestBackup().label());
            out.println(standbyName + " was " + result.cloneMethodUsed(standbyName).orElse("already in place"));
            primary.query("CREATE TABLE IF NOT EXISTS written_after_restore AS SELECT 42 AS answer");
            r.awaitReplay(r.currentLsn(), Duration.ofSeconds(30));
            out.println(standbyName + " reads: " + standby.query("SELECT answer FROM written_after_restore")
                    + "; in recovery: " + standby.query("SELECT pg_is_in_recovery()")
                    + "; WAL receiver: " + standby.query("SELECT status FROM pg_stat_wal_receiver")
                    + "; restore_command: " + standby.query("SHOW restore_command"));
            out.println();
            out.println(r.status().toTable());
            return result;
        }
    }

    /**
     * The repository compressed with zstd, and a standby that fell behind re-synced in place: pgBackRest's delta
     * keeps the files that match the backup and copies only the others.
     *
     * @param primary        the primary's host, which holds the repository
     * @param repositoryHost the repository host, as the standby reaches it
     * @param repository     pgBackRest on the primary
     * @return the standby
     */
    public static Standby resyncedInPlace(Host primary, RepositoryHost repositoryHost, PgBackRest repository) {
        // snippet:pgbackrest-delta
        PgBackRestConfig.builder()
                .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
                .compressType(CompressType.ZST).compressLevel(3)   // what the backups and the link carry
                .addStanza(StanzaSection.named("psql").withPgPath("/var/lib/postgresql/15/main"))
                .build()
                .writeTo(primary);
        Standby eshub = Standby.named("eshub")
                .withDataDirectory("/var/lib/postgresql/data")
                .withEmptyDataDirectoryAllowed(true)                 // its data may be overwritten
                .withCloneMethods(PgBackRestRestore.from(repositoryHost, "psql")
                                .withRepositoryPreparedBy(repository)
                                .withDelta(true)                     // keep the directory, copy what changed
                                .withProcessMax(2),
                        BaseBackup.defaults());
        // end-snippet:pgbackrest-delta
        return eshub;
    }
}
