package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.fail;
import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgBackRestPrimaryTest {

    @Test
    void archivingGoesThroughTheCoresSettings() {
        PgBackRest pg = PgBackRest.on(FakeHost.postgres("eshua"), "psql");
        PrimarySettings s = PgBackRestPrimary.withArchiving(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA),
                pg);
        assertThat(s.asMap()).containsExactly(Map.entry("wal_level", "replica"), Map.entry("archive_mode", "on"),
                Map.entry("archive_command", "pgbackrest --stanza=psql archive-push %p"),
                Map.entry("archive_timeout", "60s"));
    }

    @Test
    void archiveCommandCarriesANonDefaultConfigAndTimeout() {
        PgBackRest pg = PgBackRest.on(FakeHost.postgres("eshua"), "psql")
                .withConfigPath("/var/lib/postgresql/pgbackrest.conf");
        PrimarySettings s = PgBackRestPrimary.withArchiving(PrimarySettings.empty(), pg, Duration.ofSeconds(30));
        assertThat(s.get("archive_command")).contains("pgbackrest --config=/var/lib/postgresql/pgbackrest.conf"
                + " --stanza=psql archive-push %p");
        assertThat(s.get("archive_timeout")).contains("30s");
        assertThatThrownBy(() -> PgBackRestPrimary.withArchiving(PrimarySettings.empty(), pg, Duration.ofSeconds(-1)))
                .hasMessageContaining("must not be negative");
    }

    /** A primary whose successive {@code info} calls print the given fixtures. */
    private static FakeHost primary(String... infos) {
        Deque<String> queue = new ArrayDeque<>(List.of(infos));
        return FakeHost.postgres("eshua").onContaining("info", c -> ok(Fixtures.info(
                queue.size() > 1 ? queue.poll() : queue.peek())));
    }

    @Test
    void prepareCreatesChecksAndTakesTheFirstFullBackup() {
        FakeHost host = primary("info-no-stanza", "info-no-backup", "info-full");
        PgBackRestPrimary.StanzaSetup setup = PgBackRestPrimary.prepare(PgBackRest.on(host, "lab"));

        assertThat(setup.stanzaCreated()).isTrue();
        assertThat(setup.fullBackupTaken()).isTrue();
        assertThat(setup.unchanged()).isFalse();
        assertThat(setup.latest()).map(BackupInfo::label).contains("20261122-004606F");
        assertThat(host.programs()).extracting(a -> a.get(a.size() - 1)).containsExactly("info", "stanza-create",
                "check", "info", "backup", "info");
        assertThat(host.programs()).contains(List.of("pgbackrest", "--stanza=lab", "--type=full", "backup"));
    }

    @Test
    void prepareAgainChangesNothing() {
        FakeHost host = primary("info-full-diff-incr");
        PgBackRestPrimary.StanzaSetup setup = PgBackRestPrimary.prepare(PgBackRest.on(host, "lab"));
        assertThat(setup.unchanged()).isTrue();
        assertThat(setup.latestBackup().label()).isEqualTo("20261122-004606F_20261122-004614I");
        assertThat(host.programs()).extracting(a -> a.get(a.size() - 1)).containsExactly("info", "check");
    }

    @Test
    void prepareTakesABackupWhenTheStanzaHasNone() {
        FakeHost host = primary("info-no-backup", "info-full");
        PgBackRestPrimary.StanzaSetup setup = PgBackRestPrimary.prepare(PgBackRest.on(host, "lab"));
        assertThat(setup.stanzaCreated()).isFalse();
        assertThat(setup.fullBackupTaken()).isTrue();
    }

    @Test
    void prepareStopsWhenArchivingDoesNotWork() {
        FakeHost host = primary("info-no-backup")
                .onContaining("check", c -> fail(82, Fixtures.error("check-archive-timeout")));
        assertThatThrownBy(() -> PgBackRestPrimary.prepare(PgBackRest.on(host, "lab")))
                .satisfies(kind(Kind.ARCHIVE_TIMEOUT));
        assertThat(host.programs()).noneMatch(a -> a.contains("backup"));
    }

    @Test
    void runbookShowsTheCommands() {
        assertThat(PgBackRestPrimary.runbook(PgBackRest.on(FakeHost.postgres("eshua"), "psql")
                .withConfigPath("/etc/pgbackrest/pgbackrest.conf")))
                .containsExactly(
                        "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=psql --output=json info"
                                + "   # stanza-create only if status code is 1 (missing stanza path)",
                        "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=psql stanza-create",
                        "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=psql check",
                        "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=psql --type=full backup"
                                + "   # only if info lists no backup");
    }
}
