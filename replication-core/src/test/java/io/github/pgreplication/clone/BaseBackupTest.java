package io.github.pgreplication.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.clone.BaseBackup.Compression;
import io.github.pgreplication.clone.BaseBackup.Compression.Algorithm;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BaseBackupTest {
    private static final String PASSWORD = "s3cr'et\\;x";
    private static final Primary PRIMARY = Primary.at(Endpoint.of("eshua.example", 5433));
    private static final Standby ESHUB = Standby.named("eshub").withDataDirectory("/var/postgresql/data");
    private static final ReplicationRole WITH_PASSWORD =
            ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD));

    private static Command command(BaseBackup method, ReplicationRole role) {
        return method.command(new CloneContext(ESHUB, PRIMARY, role, "eshub_slot"));
    }

    @Test
    void argvHasThePlainFormatStreamProgressRecoveryAndNoPasswordPromptFlags() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv())
                .startsWith("pg_basebackup")
                .containsSequence("-Fp", "-Xs", "-P", "-R", "-w");
    }

    @Test
    void argvNamesPrimaryRoleDirectoryAndSlot() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv())
                .containsSequence("-h", "eshua.example")
                .containsSequence("-p", "5433")
                .containsSequence("-U", "replicator")
                .containsSequence("-D", "/var/postgresql/data")
                .containsSequence("-S", "eshub_slot");
    }

    @Test
    void clonesWaitForTheDiskUnlessToldNotTo() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv()).doesNotContain("--no-sync");
        assertThat(command(BaseBackup.defaults().withSync(false), WITH_PASSWORD).argv()).contains("--no-sync");
    }

    @Test
    void checkpointIsFastByDefault() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv()).contains("--checkpoint=fast");
        assertThat(command(BaseBackup.defaults().withFastCheckpoint(false), WITH_PASSWORD).argv())
                .contains("--checkpoint=spread").doesNotContain("--checkpoint=fast");
    }

    @Test
    void connectionStringCarriesApplicationNameAndPassfileForRecovery() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv())
                .containsSequence("-d", "application_name=eshub passfile=/var/postgresql/.pgpass-eshub");
    }

    @Test
    void connectionStringHasNoPassfileWithoutPassword() {
        assertThat(command(BaseBackup.defaults(), ReplicationRole.named("replicator")).argv())
                .containsSequence("-d", "application_name=eshub");
    }

    @Test
    void passwordIsNeverInArgvEnvironmentOrCommandLine() {
        Command c = command(BaseBackup.defaults(), WITH_PASSWORD);

        assertThat(c.argv()).as("argv is visible to every user through ps")
                .noneMatch(a -> a.contains(PASSWORD) || a.contains("s3cr"));
        assertThat(c.environment()).as("no PGPASSWORD").isEmpty();
        assertThat(c.toCommandLine()).doesNotContain("s3cr");
    }

    @Test
    void runbookIsTheCommandLineWithoutThePassword() {
        BaseBackup method = BaseBackup.defaults();
        CloneContext context = new CloneContext(ESHUB, PRIMARY, WITH_PASSWORD, "eshub_slot");

        assertThat(method.runbook(context)).singleElement().asString()
                .startsWith("pg_basebackup -h eshua.example -p 5433 -U replicator -D /var/postgresql/data"
                        + " -S eshub_slot -Fp -Xs -P -R -w --checkpoint=fast")
                .contains("-l 'pgreplication eshub'")
                .contains("-d 'application_name=eshub passfile=/var/postgresql/.pgpass-eshub'")
                .doesNotContain("s3cr");
    }

    @Test
    void labelAndTimeoutHaveDefaultsAndCanBeChanged() {
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv()).containsSequence("-l", "pgreplication eshub");
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).timeout()).isEqualTo(Duration.ofHours(1));

        Command custom = command(BaseBackup.defaults().withLabel("nightly").withTimeout(Duration.ofHours(3)),
                WITH_PASSWORD);
        assertThat(custom.argv()).containsSequence("-l", "nightly");
        assertThat(custom.timeout()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void nameIsPgBasebackup() {
        assertThat(BaseBackup.defaults().name()).isEqualTo("pg_basebackup");
        assertThat(BaseBackup.defaults()).hasToString("pg_basebackup");
    }

    @Test
    void noCompressionAndNoRateLimitByDefault() {
        assertThat(BaseBackup.defaults().compression()).isEqualTo(Compression.none());
        assertThat(BaseBackup.defaults().maxRate()).isEmpty();
        assertThat(command(BaseBackup.defaults(), WITH_PASSWORD).argv()).as("pg_basebackup's defaults")
                .noneMatch(a -> a.startsWith("--compress") || a.startsWith("--max-rate"));
    }

    @Test
    void serverCompressionIsOneArgumentWithTheAlgorithmAndItsLevelWhenGiven() {
        assertThat(command(BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD, 3)),
                WITH_PASSWORD).argv()).endsWith("--compress=server-zstd:level=3");
        assertThat(command(BaseBackup.defaults().withCompression(Compression.server(Algorithm.LZ4)),
                WITH_PASSWORD).argv()).endsWith("--compress=server-lz4");
        assertThat(command(BaseBackup.defaults().withCompression(Compression.server(Algorithm.GZIP, 1)),
                WITH_PASSWORD).argv()).endsWith("--compress=server-gzip:level=1");
        assertThat(command(BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD, -5)),
                WITH_PASSWORD).argv()).as("zstd's fast levels").endsWith("--compress=server-zstd:level=-5");
        assertThat(command(BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD))
                .withCompression(Compression.none()), WITH_PASSWORD).argv()).as("none again")
                .noneMatch(a -> a.startsWith("--compress"));
        assertThat(Compression.server(Algorithm.ZSTD, 3)).hasToString("server-zstd:level=3");
        assertThat(Compression.none()).hasToString("none");
    }

    @Test
    void levelsOutsidePostgresRangeForTheAlgorithmAreRefusedWithTheRange() {
        assertThatThrownBy(() -> Compression.server(Algorithm.GZIP, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compression level 10 for server-gzip is outside PostgreSQL's range for gzip: 1 to 9 (the"
                        + " server refuses it). Give e.g. BaseBackup.Compression.server(Algorithm.GZIP, 5), or no"
                        + " level for the algorithm's default");
        assertThatThrownBy(() -> Compression.server(Algorithm.GZIP, 0)).hasMessageContaining("gzip: 1 to 9");
        assertThatThrownBy(() -> Compression.server(Algorithm.LZ4, 13)).hasMessageContaining("lz4: 1 to 12");
        assertThatThrownBy(() -> Compression.server(Algorithm.ZSTD, 23)).hasMessageContaining("zstd: -131072 to 22");
        assertThatThrownBy(() -> Compression.server(Algorithm.NONE, 3))
                .hasMessage("compression level 3 given without an algorithm: give one, e.g."
                        + " BaseBackup.Compression.server(Algorithm.ZSTD, 3)");
        assertThat(Compression.server(Algorithm.LZ4, 12).level()).isEqualTo(12);
        assertThat(Compression.server(Algorithm.ZSTD, -131072).level()).isEqualTo(-131072);
    }

    @Test
    void maxRateIsWrittenInMegabytesWhenWholeElseInKilobytes() {
        assertThat(command(BaseBackup.defaults().withMaxRate(DataSize.ofMegabytes(20)), WITH_PASSWORD).argv())
                .endsWith("--max-rate=20M");
        assertThat(command(BaseBackup.defaults().withMaxRate(DataSize.parse("1536kB")), WITH_PASSWORD).argv())
                .endsWith("--max-rate=1536k");
        assertThat(command(BaseBackup.defaults().withMaxRate(DataSize.parse("32kB")), WITH_PASSWORD).argv())
                .as("the lowest pg_basebackup accepts").endsWith("--max-rate=32k");
        assertThat(command(BaseBackup.defaults().withMaxRate(DataSize.ofGigabytes(1)), WITH_PASSWORD).argv())
                .as("the highest: 1024 MB").endsWith("--max-rate=1024M");
        assertThat(BaseBackup.defaults().withMaxRate(DataSize.ofMegabytes(20)).withMaxRate(DataSize.unlimited())
                .maxRate()).as("unlimited again").isEmpty();
    }

    @Test
    void maxRatesOutsidePgBasebackupsRangeAreRefusedWithTheRange() {
        String rule = "per second is outside pg_basebackup's --max-rate: a whole number of kB from 32kB to 1024MB per"
                + " second. Give e.g. .withMaxRate(DataSize.ofMegabytes(20)) or"
                + " .withMaxRate(DataSize.parse(\"512kB\")), or DataSize.unlimited() for no limit";
        assertThatThrownBy(() -> BaseBackup.defaults().withMaxRate(DataSize.parse("31kB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max rate 31744 bytes (31kB) " + rule);
        assertThatThrownBy(() -> BaseBackup.defaults().withMaxRate(DataSize.parse("1025MB")))
                .hasMessage("max rate 1074790400 bytes (1025MB) " + rule);
        assertThatThrownBy(() -> BaseBackup.defaults().withMaxRate(new DataSize(40_000)))
                .as("not a whole number of kB").hasMessage("max rate 40000 bytes (40000B) " + rule);
    }

    @Test
    void theRunbookShowsCompressionAndRate() {
        BaseBackup method = BaseBackup.defaults().withCompression(Compression.server(Algorithm.LZ4, 2))
                .withMaxRate(DataSize.parse("512kB"));
        assertThat(method.runbook(new CloneContext(ESHUB, PRIMARY, WITH_PASSWORD, "eshub_slot")))
                .singleElement().asString().endsWith(" --compress=server-lz4:level=2 --max-rate=512k");
    }

    @Test
    void aPrimaryTooOldForServerCompressionIsSaidAsSuch() {
        Host refusing = new Host() {
            @Override
            public String name() {
                return "eshub";
            }

            @Override
            public CommandResult execute(Command command) {
                return new CommandResult(1, "", "pg_basebackup: error: server does not support server-side"
                        + " compression\n");
            }
        };
        Standby standby = ESHUB.withHost(refusing);
        BaseBackup method = BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD, 3));

        assertThatThrownBy(() -> method.cloneInto(new CloneContext(standby, PRIMARY, WITH_PASSWORD, "eshub_slot")))
                .isInstanceOf(ReplicationException.class)
                .hasMessage("Primary 'eshua_example' runs PostgreSQL 13 or 14 (pg_basebackup says \"server does not"
                        + " support server-side compression\"), and standby 'eshub' is cloned with pg_basebackup"
                        + " --compress=server-zstd:level=3: server-side compression needs PostgreSQL 15 or later on"
                        + " the primary (before 15, pg_basebackup compresses only tar output, after the transfer)."
                        + " Nothing was cloned. On 13 and 14 clone without compression (BaseBackup.defaults(), whose"
                        + " compression is Compression.none()), or restore from a pgBackRest repository, whose"
                        + " backups are compressed (PgBackRestConfig.Builder.compressType).");
    }
}
