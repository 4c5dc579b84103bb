package io.github.pgreplication.samples.standby;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ContainerHost;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The second runbook's container on PostgreSQL 15 ({@code scripts/build-standby-image.sh 15}, on
 * {@code pgreplication/postgres:15-local}): the primary set up as in {@link StandbyContainerIT}, the key appended the
 * runbook's way, then a restore from the repository, streaming under the runbook's application_name, rows written on
 * the primary visible on the standby, and the health check healthy. Restart, stop and the troubleshooting cases run on
 * 17 only ({@link StandbyContainerIT}, {@link StandbyTroubleshootingIT}); nothing in them depends on the major.
 */
class StandbyContainer15IT {
    @Test
    void theRunbookEndToEndOnPostgreSql15() {
        String image = StandbyImage.ensure(15);
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(15), StandbyContainerIT.PRIMARY);
                GenericContainer<?> standby = new GenericContainer<>(image).withNetwork(machines.network())
                        .withEnv("BACKREST_PRIMARY_HOST", StandbyContainerIT.PRIMARY)
                        .waitingFor(Wait.forLogMessage(".*SSH public key of this standby.*\\n", 1)
                                .withStartupTimeout(Duration.ofMinutes(2)))) {
            ClusterNode primary = machines.initDatabase(StandbyContainerIT.PRIMARY).startSshd();
            assertThat(primary.query("SHOW server_version_num")).startsWith("15");
            StandbyContainerIT.setUpPrimary(primary);
            standby.start();
            Matcher key = StandbyContainerIT.KEY.matcher(standby.getLogs());
            assertThat(key.find()).as("the public key is in the log:\n" + standby.getLogs()).isTrue();
            primary.host().run(Command.of("sh", "-c", "mkdir -p -m 700 /var/lib/postgresql/.ssh"
                    + " && echo \"$1\" >> /var/lib/postgresql/.ssh/authorized_keys"
                    + " && chmod 600 /var/lib/postgresql/.ssh/authorized_keys", "sh", key.group(1)));

            ContainerHost host = ContainerHost.of(standby, "postgres");
            java.util.function.Function<String, String> query = sql -> host.run(Command.of("psql", "-X", "-A", "-t",
                    "-q", "-d", "postgres", "-c", sql)).stdout().strip();
            Await.until("the standby streams", Duration.ofMinutes(2), () -> query.apply("SELECT pg_is_in_recovery(),"
                    + " status FROM pg_stat_wal_receiver").equals("t|streaming"), standby::getLogs);
            assertThat(query.apply("SHOW server_version_num")).startsWith("15");
            assertThat(standby.getLogs()).contains(StandbyContainer.RESTORED + " (cloned with pgbackrest-restore)");
            assertThat(primary.query("SELECT application_name, state FROM pg_stat_replication"))
                    .isEqualTo("slave|streaming");
            primary.query("CREATE TABLE written_on_15 AS SELECT 42 AS answer");
            Await.until("rows written on the primary appear on the standby", Duration.ofSeconds(30),
                    () -> "42".equals(query.apply("SELECT answer FROM written_on_15")), standby::getLogs);
            Await.until("the health check reports healthy", Duration.ofSeconds(40), () -> "healthy".equals(
                    standby.getCurrentContainerInfo().getState().getHealth().getStatus()), standby::getLogs);
        }
    }
}
