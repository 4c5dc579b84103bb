package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.fail;
import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgBackRestTest {

    @Test
    void commandsAreArgumentListsWithConfigAndStanza() {
        PgBackRest pg = PgBackRest.on(FakeHost.postgres("eshua"), "psql")
                .withConfigPath("/var/lib/postgresql/pgbackrest.conf");
        assertThat(pg.command("backup", List.of("--type=full")).argv()).containsExactly("pgbackrest",
                "--config=/var/lib/postgresql/pgbackrest.conf", "--stanza=psql", "--type=full", "backup");
        assertThat(pg.command("archive-get", List.of(), "000000010000000000000007", "/tmp/x").argv())
                .endsWith("archive-get", "000000010000000000000007", "/tmp/x");
        assertThat(PgBackRest.on(FakeHost.postgres("eshua"), "psql").command("check", List.of()).argv())
                .as("no --config without a config path").containsExactly("pgbackrest", "--stanza=psql", "check");
    }

    @Test
    void archiveAndRestoreCommandStrings() {
        assertThat(PgBackRest.archiveCommand("psql")).isEqualTo("pgbackrest --stanza=psql archive-push %p");
        assertThat(PgBackRest.restoreCommand("psql")).isEqualTo("pgbackrest --stanza=psql archive-get %f \"%p\"");
        PgBackRest custom = PgBackRest.on(FakeHost.postgres("eshua"), "psql")
                .withConfigPath("/srv/my conf/pgbackrest.conf").withExecutable("/usr/bin/pgbackrest");
        assertThat(custom.archiveCommand()).isEqualTo("/usr/bin/pgbackrest '--config=/srv/my conf/pgbackrest.conf'"
                + " --stanza=psql archive-push %p");
        assertThat(custom.restoreCommand()).isEqualTo("/usr/bin/pgbackrest '--config=/srv/my conf/pgbackrest.conf'"
                + " --stanza=psql archive-get %f \"%p\"");
    }

    @Test
    void stanzaAndConfigPathAreChecked() {
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "my/stanza"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stanza name 'my/stanza' is invalid").hasMessageContaining("Try 'my_stanza'");
        assertThatThrownBy(() -> PgBackRest.on(FakeHost.postgres("eshua"), "psql").withConfigPath("pgbackrest.conf"))
                .hasMessageContaining("config path 'pgbackrest.conf': must be an absolute path")
                .hasMessageContaining("e.g. /var/lib/postgresql/pgbackrest.conf");
    }

    @Test
    void stanzaCreateCheckAndBackupRunInOrderAndBackupReturnsTheNewBackup() {
        FakeHost host = FakeHost.postgres("eshua")
                .onContaining("info", c -> ok(Fixtures.info("info-full")));
        PgBackRest pg = PgBackRest.on(host, "lab").withTimeout(Duration.ofHours(2));
        pg.stanzaCreate();
        pg.check();
        BackupInfo full = pg.backup(BackupType.FULL);

        assertThat(full.label()).isEqualTo("20261122-004606F");
        assertThat(host.programs()).containsExactly(
                List.of("pgbackrest", "--stanza=lab", "stanza-create"),
                List.of("pgbackrest", "--stanza=lab", "check"),
                List.of("pgbackrest", "--stanza=lab", "--type=full", "backup"),
                List.of("pgbackrest", "--stanza=lab", "--output=json", "info"));
        assertThat(host.commands.get(2).timeout()).as("long commands use the configured timeout")
                .isEqualTo(Duration.ofHours(2));
        assertThat(host.commands.get(1).timeout()).isEqualTo(PgBackRest.SHORT_TIMEOUT);
    }

    @Test
    void infoPicksThisStanza() {
        FakeHost host = FakeHost.postgres("eshua").onContaining("info", c -> ok(Fixtures.info("info-full-diff-incr")));
        assertThat(PgBackRest.on(host, "lab").info().backups()).hasSize(3);
        assertThatThrownBy(() -> PgBackRest.on(host, "other").info())
                .hasMessageContaining("did not report stanza 'other' (it reported [lab])");
    }

    @Test
    void restorePassesOptionsInAFixedOrder() {
        FakeHost host = FakeHost.postgres("eshub");
        PgBackRest.on(host, "psql").restore(RestoreOptions.standby("/var/lib/postgresql/data")
                .withRecoveryOption("primary_slot_name", "eshub_slot").withProcessMax(2).withSet("20261122-004606F"));
        assertThat(host.programs()).containsExactly(List.of("pgbackrest", "--stanza=psql", "--type=standby",
                "--delta", "--pg1-path=/var/lib/postgresql/data", "--process-max=2",
                "--recovery-option=primary_slot_name=eshub_slot", "--set=20261122-004606F", "restore"));
    }

    @Test
    void restoreOptionsRefuseNonsense() {
        assertThatThrownBy(() -> RestoreOptions.into("/d").withProcessMax(0)).hasMessageContaining("between 1");
        assertThatThrownBy(() -> RestoreOptions.into("/d").withOption("set=x")).hasMessageContaining("--name=value");
        assertThat(RestoreOptions.into("/d").toArguments()).containsExactly("--pg1-path=/d");
        assertThat(RestoreOptions.into("/d").withType(RestoreOptions.Type.IMMEDIATE).withDelta(true).toArguments())
                .containsExactly("--type=immediate", "--delta", "--pg1-path=/d");
    }

    @Test
    void aDeltaBySizeAndTimestampAddsForceAndNeverForceAlone() {
        RestoreOptions bySize = RestoreOptions.into("/d").withDelta(DeltaMatch.SIZE_AND_TIMESTAMP);
        assertThat(bySize.toArguments()).as("--force only after --delta: alone it overwrites the directory")
                .containsExactly("--delta", "--force", "--pg1-path=/d");
        assertThat(bySize.deltaMatch()).isEqualTo(DeltaMatch.SIZE_AND_TIMESTAMP);
        assertThat(RestoreOptions.into("/d").withDelta(DeltaMatch.CHECKSUM).toArguments())
                .containsExactly("--delta", "--pg1-path=/d");
        assertThat(bySize.withDelta(false).toArguments()).as("no delta, no --force").containsExactly("--pg1-path=/d");
        assertThat(bySize.withDelta(true).deltaMatch()).as("withDelta(true) is the checksum delta")
                .isEqualTo(DeltaMatch.CHECKSUM);
        assertThat(new RestoreOptions("/d", null, true, null, Map.of(), null, List.of()).deltaMatch())
                .as("null is the default, checksum").isEqualTo(DeltaMatch.CHECKSUM);

        assertThatThrownBy(() -> RestoreOptions.into("/d").withDelta((DeltaMatch) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("delta match null: give DeltaMatch.CHECKSUM (safe, reads every file) or"
                        + " DeltaMatch.SIZE_AND_TIMESTAMP (reads none;");
        assertThatThrownBy(() -> new RestoreOptions("/d", null, false, DeltaMatch.SIZE_AND_TIMESTAMP, Map.of(), null,
                List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delta match SIZE_AND_TIMESTAMP without --delta: pgBackRest's --force alone overwrites"
                        + " the whole data directory instead of keeping the files that match. Turn the delta on with"
                        + " it: .withDelta(DeltaMatch.SIZE_AND_TIMESTAMP)");
        for (String force : List.of("--force", "--force=y")) {
            assertThatThrownBy(() -> RestoreOptions.into("/d").withOption(force))
                    .as(force).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + force + "' among the restore options: without --delta"
                            + " pgBackRest's --force overwrites the whole data directory")
                    .hasMessageContaining(".withDelta(DeltaMatch.SIZE_AND_TIMESTAMP)");
        }
    }

    @Test
    void archiveGetReportsAMissingSegmentAsFalse() {
        FakeHost host = FakeHost.postgres("eshub")
                .onContaining("0000000100000000000000FF", c -> new CommandResult(1,
                        "P00   INFO: unable to find 0000000100000000000000FF in the archive\n", ""))
                .onContaining("000000010000000000000007", c -> ok(""));
        PgBackRest pg = PgBackRest.on(host, "lab");
        assertThat(pg.archiveGet("000000010000000000000007", "/data/x", "/data")).isTrue();
        assertThat(pg.archiveGet("0000000100000000000000FF", "/data/x", null)).isFalse();
        assertThat(host.programs().get(0)).containsExactly("pgbackrest", "--stanza=lab", "--pg1-path=/data",
                "archive-get", "000000010000000000000007", "/data/x");
    }

    @Test
    void archiveGetFailureIsDiagnosed() {
        FakeHost host = FakeHost.postgres("eshub").onContaining("archive-get",
                c -> fail(103, Fixtures.error("archive-get-permission")));
        assertThatThrownBy(() -> PgBackRest.on(host, "lab").archiveGet("000000010000000000000007", "/d/x", "/d"))
                .satisfies(kind(Kind.REPOSITORY_PERMISSION));
    }

    @Test
    void versionIsParsedFromRealOutput() {
        FakeHost host = FakeHost.postgres("eshua").on(List.of("pgbackrest", "version"),
                c -> ok(Fixtures.read("output/version.txt")));
        assertThat(PgBackRest.on(host, "lab").version()).isEqualTo(new PgBackRest.Version(2, 45, -1, ""));
        assertThat(host.programs()).containsExactly(List.of("pgbackrest", "version"));
    }

    @Test
    void sameVersionPasses() {
        FakeHost a = FakeHost.postgres("eshub").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.45\n"));
        FakeHost b = FakeHost.postgres("eshua").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.45\n"));
        assertThat(PgBackRest.requireSameVersion(PgBackRest.on(a, "lab"), PgBackRest.on(b, "lab")))
                .hasToString("2.45");
    }

    @Test
    void versionMismatchNamesBothHostsAndVersions() {
        FakeHost a = FakeHost.postgres("eshub").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.45\n"));
        FakeHost b = FakeHost.postgres("eshua").on(List.of("pgbackrest", "version"), c -> ok("pgBackRest 2.55.1\n"));
        assertThatThrownBy(() -> PgBackRest.requireSameVersion(PgBackRest.on(a, "lab"),
                PgBackRest.on(b, "lab").withNodeName("primary")))
                .satisfies(kind(Kind.VERSION_MISMATCH))
                .hasMessageContaining("pgBackRest versions differ: 2.45 on eshub, 2.55.1 on primary")
                .hasMessageContaining("exact same version on both ends")
                .hasMessageContaining("Install the same version on both hosts");
    }

    @Test
    void aProgramThatCannotStartIsReportedAsNotInstalled() {
        io.github.pgreplication.host.Host host = new io.github.pgreplication.host.Host() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public CommandResult execute(io.github.pgreplication.host.Command command) {
                throw new io.github.pgreplication.CommandFailedException("local", command.toCommandLine(), -1, false,
                        "Cannot run program \"pgbackrest\": error=2, No such file or directory",
                        "Check that 'pgbackrest' is installed and on PATH.");
            }
        };
        assertThatThrownBy(() -> PgBackRest.on(host, "lab").version())
                .satisfies(kind(Kind.NOT_INSTALLED))
                .hasMessageContaining("pgbackrest cannot be started on local")
                .hasMessageContaining("apt-get install pgbackrest");
    }
}
