package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.github.pgreplication.host.ServiceControl.ServiceAction;

class ServiceControlTest {

    @Test
    void pgCtlStartWaitsAndLogsBesideTheDataDirectory() {
        Command c = ServiceControl.pgCtl().command(ServiceAction.START, "/data");

        assertThat(c.argv()).containsExactly("pg_ctl", "-D", "/data", "-w", "-t", "120", "-l", "/data.log", "start");
        assertThat(c.timeout()).as("longer than pg_ctl's own wait").isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void pgCtlLogsBesideADataDirectoryGivenWithATrailingSlash() {
        for (String dir : List.of("/var/lib/postgresql/data/", "/var/lib/postgresql/data//")) {
            assertThat(ServiceControl.pgCtl().command(ServiceAction.START, dir).argv()).as(dir)
                    .containsSequence("-l", "/var/lib/postgresql/data.log")
                    .doesNotContain("/var/lib/postgresql/data/.log");
        }
    }

    @Test
    void pgCtlStopAndRestartAreFast() {
        assertThat(ServiceControl.pgCtl().command(ServiceAction.STOP, "/data").argv())
                .endsWith("stop", "-m", "fast");
        assertThat(ServiceControl.pgCtl().command(ServiceAction.RESTART, "/data").argv())
                .endsWith("restart", "-m", "fast");
    }

    @Test
    void pgCtlWaitIsConfigurable() {
        Command c = ServiceControl.pgCtl(Duration.ofSeconds(30)).command(ServiceAction.START, "/d");

        assertThat(c.argv()).containsSequence("-t", "30");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void pgCtlPassesAHostileDataDirectoryAsOneArgument() {
        Command c = ServiceControl.pgCtl().command(ServiceAction.START, "/srv/pg data; rm -rf /");

        assertThat(c.argv()).containsSequence("-D", "/srv/pg data; rm -rf /");
        assertThat(c.toCommandLine()).contains("-D '/srv/pg data; rm -rf /'");
    }

    @Test
    void givenCommandIsUsedToRestart() {
        ServiceControl control = ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql"));

        assertThat(control.command(ServiceAction.RESTART, "/var/postgresql/data").argv())
                .containsExactly("doas", "rcctl", "restart", "postgresql");
    }

    @Test
    void givenCommandIsAlsoUsedToStart() {
        ServiceControl control = ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql"));

        assertThat(control.command(ServiceAction.START, "/var/postgresql/data").argv())
                .as("restart also starts a stopped service").containsExactly("doas", "rcctl", "restart", "postgresql");
    }

    @Test
    void givenCommandCannotStopAndSaysHowToAddOne() {
        ServiceControl control = ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql"));

        assertThatThrownBy(() -> control.command(ServiceAction.STOP, "/d"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no command given to stop the server")
                .hasMessageContaining("ServiceControl.commands(Map.of(ServiceAction.STOP, List.of(...)))");
    }

    @Test
    void commandsPerAction() {
        ServiceControl control = ServiceControl.commands(Map.of(
                ServiceAction.STOP, List.of("systemctl", "stop", "postgresql@17-main"),
                ServiceAction.START, List.of("systemctl", "start", "postgresql@17-main")));

        assertThat(control.command(ServiceAction.STOP, "/d").argv()).containsExactly("systemctl", "stop",
                "postgresql@17-main");
        assertThatThrownBy(() -> control.command(ServiceAction.RESTART, "/d"))
                .hasMessageContaining("no command given to restart the server");
    }
}
