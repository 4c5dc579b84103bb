package io.github.pgreplication.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 25 item 5: BaseBackup.withTimeout refuses zero and negative durations, like every other timeout setter. */
class BaseBackupTimeoutTest {
    @ParameterizedTest(name = "[{index}] {0} s")
    @ValueSource(longs = {0, -1, -3600})
    void aTimeoutThatIsNotPositiveIsRefused(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        assertThatThrownBy(() -> BaseBackup.defaults().withTimeout(d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg_basebackup timeout " + d + " must be positive")
                .hasMessageContaining("e.g. .withTimeout(Duration.ofHours(2))");
        assertThatThrownBy(() -> BaseBackup.defaults().withTimeout(Duration.ofNanos(-1)))
                .hasMessageContaining("must be positive");
    }

    @ParameterizedTest(name = "[{index}] {0} ms")
    @ValueSource(longs = {1, 1000, 7_200_000})
    void aPositiveTimeoutIsTheCommandsTimeout(long millis) {
        Command command = BaseBackup.defaults().withTimeout(Duration.ofMillis(millis)).command(new CloneContext(
                Standby.named("eshub").withDataDirectory("/var/postgresql/data"),
                Primary.at(Endpoint.of("eshua.example")), ReplicationRole.named("replicator"), "eshub_slot"));
        assertThat(command.timeout()).isEqualTo(Duration.ofMillis(millis));
    }
}
