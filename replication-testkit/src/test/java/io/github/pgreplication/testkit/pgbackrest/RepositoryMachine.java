package io.github.pgreplication.testkit.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.PgBackRestPrimary;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.StanzaSection;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The repository host of the second runbook inside a test machine: a running PostgreSQL 17 whose WAL is archived
 * with pgBackRest into a posix repository on the same machine. Everything goes through the public API; archiving is
 * switched on with plain SQL so that these tests do not depend on the core's apply().
 */
final class RepositoryMachine {
    /** pgBackRest's configuration on the repository host: under the postgres user's home, passed with --config. */
    static final String CONFIG = "/var/lib/postgresql/pgbackrest.conf";
    /** The repository (owned by postgres in the images). */
    static final String REPOSITORY = "/var/lib/pgbackrest";
    /** The stanza every test uses. */
    static final String STANZA = "main";
    /** Seconds pgBackRest's check waits for WAL: short, so a broken archive_command fails fast. */
    static final int ARCHIVE_TIMEOUT_SECONDS = 5;

    private RepositoryMachine() {
    }

    /**
     * @param kind the kind expected
     * @return for {@code isInstanceOfSatisfying(PgBackRestException.class, kind(Kind.X))}
     */
    static Consumer<PgBackRestException> kind(Kind kind) {
        return e -> assertThat(e.kind()).as("the PgBackRestException's kind").isEqualTo(kind);
    }

    /**
     * Writes the repository's pgbackrest.conf and switches archiving on (archive_mode needs a restart).
     *
     * @param repo a machine with a running database ({@code machines.initDatabase(name)})
     * @return pgBackRest for the stanza on that machine, reading {@link #CONFIG}
     */
    static PgBackRest prepare(ClusterNode repo) {
        PgBackRestConfig.builder()
                .repository(Repository.posix(REPOSITORY).withRetentionFull(2))
                .logPath("/var/log/pgbackrest")
                .startFast(true)
                .globalOption("archive-timeout", Integer.toString(ARCHIVE_TIMEOUT_SECONDS))
                .addStanza(StanzaSection.named(STANZA).withPgPath(PostgresMachines.DATA_DIRECTORY))
                .build()
                .writeTo(repo.host(), CONFIG);
        PgBackRest pgBackRest = PgBackRest.on(repo.host(), STANZA).withConfigPath(CONFIG).withNodeName(repo.name());
        sql(repo.host(), "ALTER SYSTEM SET archive_mode = 'on'");
        setArchiveCommand(repo.host(), pgBackRest.archiveCommand());
        restart(repo.host());
        return pgBackRest;
    }

    /**
     * @param main       the primary, holding the repository (its own pgbackrest.conf written)
     * @param repository pgBackRest on it
     * @return a description of that primary, archiving into the repository, a replication role trusted on the
     *         machines' network, and no standby yet
     */
    static Replication.Builder primaryArchivingInto(ClusterNode main, PgBackRest repository) {
        return Replication.primary(Primary.at(main.internalEndpoint()).withName(main.name())
                        .withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                        .withHost(main.host()).withDataDirectory(main.dataDirectory())
                        .withService(ServiceControl.pgCtl()))
                .settings(PgBackRestPrimary.withArchiving(PrimarySettings.empty(), repository))
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"));
    }

    /**
     * @param repo  the repository host
     * @param store the posix repository's path
     * @return its pgbackrest.conf's shared part: the repository (two full backups kept), the log path, start-fast,
     *         and the stanza {@link #STANZA} of its data directory on {@link ClusterNode#PORT}; add to it, then build
     */
    static PgBackRestConfig.Builder repositoryConfig(ClusterNode repo, String store) {
        return PgBackRestConfig.builder()
                .repository(Repository.posix(store).withRetentionFull(2))
                .logPath("/var/log/pgbackrest")
                .startFast(true)
                .addStanza(StanzaSection.named(STANZA).withPgPath(repo.dataDirectory()).withPgPort(ClusterNode.PORT));
    }

    /**
     * Runs SQL through psql over the local socket, as postgres. The statements go through a 0600 file rather than
     * standard input: the container exec does not close standard input, so psql would wait for more.
     *
     * @param variables psql variables ({@code -v name=value}), referenced as {@code :'name'} to be quoted by psql
     * @return the output rows, unaligned, without trailing newline
     */
    static String sql(Host host, String statements, String... variables) {
        String file = "/var/lib/postgresql/.pgbackrest-it.sql";
        host.writeFile(file, statements + "\n", "0600");
        try {
            Command psql = Command.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres");
            for (String v : variables) {
                psql = psql.withArgs("-v", v);
            }
            return host.run(psql.withArgs("-f", file).withTimeout(Duration.ofMinutes(1))).stdout().strip();
        } finally {
            host.deleteFile(file);
        }
    }

    /** Sets archive_command (quoted by psql, whatever it holds) and reloads. */
    static void setArchiveCommand(Host host, String archiveCommand) {
        sql(host, "ALTER SYSTEM SET archive_command = :'cmd';\nSELECT pg_reload_conf();", "cmd=" + archiveCommand);
    }

    /** Restarts PostgreSQL with pg_ctl (for archive_mode). */
    static void restart(Host host) {
        host.run(Command.of("pg_ctl", "-D", PostgresMachines.DATA_DIRECTORY, "-w", "-l",
                "/var/lib/postgresql/data.log", "restart").withTimeout(Duration.ofMinutes(1)));
    }
}
