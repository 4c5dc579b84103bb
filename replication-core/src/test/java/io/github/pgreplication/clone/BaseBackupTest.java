package io.github.pgreplication.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
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
}
