package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.host.ServiceControl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first runbook restarts its primary with {@code doas rcctl restart postgresql}: a user-given command run as
 * another user than the server's. Here a root-owned stand-in for the service manager ({@code pgservice restart})
 * records each call and restarts PostgreSQL as postgres; the library must call it when a setting is left
 * {@code pending_restart}.
 */
class ServiceCommandIT {
    private static final String CALLS = "/var/log/pgservice.calls";
    private static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "svc");
        ClusterNode svc = machines.initDatabase("svc");
        svc.host().as("root").writeFile("/usr/local/bin/pgservice", String.join("\n",
                "#!/bin/sh",
                "# Stand-in for rcctl or systemctl: records the call, then restarts PostgreSQL as postgres.",
                "echo \"$*\" >> " + CALLS,
                "case \"$1\" in",
                "  restart) exec runuser -u postgres -- pg_ctl -D " + svc.dataDirectory() + " -w -l "
                        + svc.dataDirectory() + ".log restart -m fast ;;",
                "  *) echo 'usage: pgservice restart' >&2; exit 2 ;;",
                "esac",
                ""), "0755");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    void aSettingThatNeedsARestartRestartsTheServerThroughTheUserGivenCommand() {
        ClusterNode svc = machines.machine("svc");
        String startedBefore = svc.query("SELECT pg_postmaster_start_time()::text");
        ServiceControl rcctl = ServiceControl.on(svc.host().as("root"),
                ServiceControl.command(List.of("pgservice", "restart")));

        ApplyResult result;
        try (Replication replication = Replication.primary(Primary.at(svc.internalEndpoint())
                        .withName("svc")
                        .withAdminEndpoint(svc.endpoint())
                        .withAdmin("postgres", svc.password())
                        .withHost(svc.host())
                        .withService(rcctl))
                .settings(PrimarySettings.empty().withWalLogHints(true))
                .load()) {
            assertThat(replication.plan().toRunbook()).as("the runbook names the user's command")
                    .contains("pgservice restart");
            result = replication.apply();
        }

        assertThat(result.summary()).contains("restarted for [wal_log_hints]");
        assertThat(svc.query("SHOW wal_log_hints")).isEqualTo("on");
        assertThat(svc.query("SELECT pg_postmaster_start_time()::text")).as("the server was restarted")
                .isNotEqualTo(startedBefore);
        assertThat(svc.host().as("root").readFile(CALLS)).as("calls of the service manager")
                .contains("restart\n");
    }
}
