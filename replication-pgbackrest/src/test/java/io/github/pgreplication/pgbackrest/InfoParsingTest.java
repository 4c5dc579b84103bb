package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.pgbackrest.internal.PgBackRestInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses real {@code pgbackrest info --output=json} output (pgBackRest 2.45, PostgreSQL 15). */
class InfoParsingTest {

    private static StanzaInfo lab(String fixture) {
        return PgBackRestInfo.parse(Fixtures.info(fixture)).stanza("lab").orElseThrow();
    }

    @Test
    void beforeStanzaCreateTheStanzaIsMissing() {
        StanzaInfo s = lab("info-no-stanza");
        assertThat(s.status()).isEqualTo(new StanzaInfo.Status(1, "missing stanza path"));
        assertThat(s.status().missing()).isTrue();
        assertThat(s.exists()).isFalse();
        assertThat(s.backups()).isEmpty();
        assertThat(s.archives()).isEmpty();
        assertThat(s.databases()).isEmpty();
    }

    @Test
    void afterStanzaCreateThereAreNoBackups() {
        StanzaInfo s = lab("info-no-backup");
        assertThat(s.status()).isEqualTo(new StanzaInfo.Status(2, "no valid backups"));
        assertThat(s.status().noBackup()).isTrue();
        assertThat(s.exists()).isTrue();
        assertThat(s.hasBackups()).isFalse();
        assertThat(s.latestBackup()).isEmpty();
        assertThat(s.archives()).singleElement()
                .isEqualTo(new StanzaInfo.WalRange("15-1", null, null, 1))
                .satisfies(a -> assertThat(a.hasWal()).isFalse());
        assertThat(s.currentDatabase()).contains(new StanzaInfo.Database(1, "7710790660466860707", "15", 1));
    }

    @Test
    void fullBackup() {
        StanzaInfo s = lab("info-full");
        assertThat(s.status().ok()).isTrue();
        assertThat(s.backupLockHeld()).isFalse();
        assertThat(s.cipher()).isEqualTo("none");
        BackupInfo full = s.backups().get(0);
        assertThat(full.label()).isEqualTo("20261122-004606F");
        assertThat(full.type()).isEqualTo(BackupType.FULL);
        assertThat(full.start()).isEqualTo(Instant.ofEpochSecond(1795308366));
        assertThat(full.stop()).isEqualTo(Instant.ofEpochSecond(1795308370));
        assertThat(full.duration()).hasSeconds(4);
        assertThat(full.lsnStart()).isEqualTo(Lsn.parse("0/3000028"));
        assertThat(full.lsnStop()).isEqualTo(Lsn.parse("0/3000138"));
        assertThat(full.walStart()).isEqualTo("000000010000000000000003");
        assertThat(full.walStop()).isEqualTo("000000010000000000000003");
        assertThat(full.databaseSize()).isEqualTo(27580187);
        assertThat(full.databaseBackupSize()).isEqualTo(27580187);
        assertThat(full.repositorySize()).isEqualTo(4605992);
        assertThat(full.repositoryBackupSize()).isEqualTo(4605992);
        assertThat(full.prior()).isNull();
        assertThat(full.references()).isEmpty();
        assertThat(full.pgBackRestVersion()).isEqualTo("2.45");
        assertThat(full.error()).isFalse();
        assertThat(full.repoKey()).isEqualTo(1);
        assertThat(s.latestFullBackup()).contains(full);
    }

    @Test
    void fullThenDiff() {
        StanzaInfo s = lab("info-full-diff");
        assertThat(s.backups()).extracting(BackupInfo::type).containsExactly(BackupType.FULL, BackupType.DIFF);
        BackupInfo diff = s.backups().get(1);
        assertThat(diff.label()).isEqualTo("20261122-004606F_20261122-004611D");
        assertThat(diff.prior()).isEqualTo("20261122-004606F");
        assertThat(diff.references()).containsExactly("20261122-004606F");
        assertThat(diff.walStart()).isEqualTo("000000010000000000000005");
        assertThat(diff.databaseBackupSize()).as("a diff copies only changed files")
                .isLessThan(diff.databaseSize());
        assertThat(s.latestBackup()).contains(diff);
    }

    @Test
    void fullThenDiffThenIncr() {
        StanzaInfo s = lab("info-full-diff-incr");
        assertThat(s.backups()).extracting(BackupInfo::type)
                .containsExactly(BackupType.FULL, BackupType.DIFF, BackupType.INCR);
        BackupInfo incr = s.latestBackup().orElseThrow();
        assertThat(incr.label()).isEqualTo("20261122-004606F_20261122-004614I");
        assertThat(incr.type()).isEqualTo(BackupType.INCR);
        assertThat(incr.prior()).isEqualTo("20261122-004606F_20261122-004611D");
        assertThat(incr.references()).containsExactly("20261122-004606F", "20261122-004606F_20261122-004611D");
        assertThat(incr.lsnStart()).isEqualTo(Lsn.parse("0/7000028"));
        assertThat(incr.lsnStop()).isEqualTo(Lsn.parse("0/7000100"));
        assertThat(incr.walStart()).isEqualTo("000000010000000000000007");
        assertThat(incr.databaseSize()).isEqualTo(30365467);
        assertThat(incr.databaseBackupSize()).isEqualTo(7356682);
        assertThat(incr.repositorySize()).isEqualTo(5555757);
        assertThat(incr.repositoryBackupSize()).isEqualTo(2511454);
        assertThat(s.latestFullBackup().orElseThrow().label()).isEqualTo("20261122-004606F");
        assertThat(s.backup("20261122-004606F_20261122-004611D")).isPresent();
        assertThat(s.archives()).singleElement().isEqualTo(new StanzaInfo.WalRange("15-1",
                "000000010000000000000001", "000000010000000000000007", 1));
    }

    @Test
    void skipsLogLinesBeforeTheJsonAndIgnoresUnknownFields() {
        String json = "2026-11-22 00:46:05.726 P00   INFO: info command begin 2.45\n"
                + Fixtures.info("info-full").replace("\"label\":", "\"annotation\":{\"source\":\"x\"},\"label\":");
        assertThat(PgBackRestInfo.parse(json).stanzas()).extracting(StanzaInfo::name).containsExactly("lab");
    }

    @Test
    void reportsOtherStanzasToo() {
        String two = "[" + Fixtures.info("info-full").strip().replaceAll("^\\[|\\]$", "") + ","
                + Fixtures.info("info-no-stanza").strip().replaceAll("^\\[|\\]$", "").replace("\"lab\"", "\"other\"")
                + "]";
        PgBackRestInfo info = PgBackRestInfo.parse(two);
        assertThat(info.stanzas()).extracting(StanzaInfo::name).isEqualTo(List.of("lab", "other"));
        assertThat(info.stanza("other").orElseThrow().status().code()).isEqualTo(StanzaInfo.Status.MISSING_STANZA_PATH);
    }

    @Test
    void notJsonSaysWhatWasPrinted() {
        assertThatThrownBy(() -> PgBackRestInfo.parse("stanza: lab\n    status: ok\n"))
                .isInstanceOf(PgBackRestException.class)
                .hasMessageContaining("did not print a JSON array of stanzas")
                .hasMessageContaining("stanza: lab");
        assertThatThrownBy(() -> PgBackRestInfo.parse("[{\"name\": "))
                .isInstanceOf(PgBackRestException.class)
                .hasMessageContaining("printed text that is not JSON");
    }
}
