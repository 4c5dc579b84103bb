package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.Replication;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Refusals that leave every server as it was, a failure injected mid-switchover, re-clone opt-in, removal. */
class OperationRefusalsIT {

    @Test
    void refusalsLeaveEveryServerAsItWasAndAnInjectedFailureSaysWhereThingsStand() throws Exception {
        try (ReplicationCluster cluster = ReplicationCluster.start(2)) {
            Replication r = cluster.replication();
            assertThatThrownBy(() -> r.switchover("nosuch"))
                    .isInstanceOf(OperationRefusedException.class)
                    .hasMessageContaining("No node is named 'nosuch'")
                    .hasMessageContaining("[primary, standby1, standby2]");

            ClusterNode s1 = cluster.standby("standby1");
            s1.query("SELECT pg_wal_replay_pause()");
            cluster.primary().query("CREATE TABLE big AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1,"
                    + " 20000) g");
            assertThatThrownBy(() -> r.switchover(Switchover.to("standby1").withMaxLag(DataSize.parse("1MB"))))
                    .isInstanceOf(OperationRefusedException.class)
                    .hasMessageContaining("replay is paused")
                    .hasMessageContaining("pg_wal_replay_resume()")
                    .satisfies(e -> assertThat(((OperationRefusedException) e).kind()).isEqualTo(Kind.LAGGING));
            s1.query("SELECT pg_wal_replay_resume()");
            // Lagging beyond the bound, not paused: replay delayed by a long apply delay.
            s1.query("ALTER SYSTEM SET recovery_min_apply_delay = '1h'");
            s1.query("SELECT pg_reload_conf()");
            Thread.sleep(300);
            // Replay stops at the first delayed commit: what a later transaction writes is not replayed.
            cluster.primary().query("INSERT INTO big VALUES (0, 'held')");
            cluster.primary().query("INSERT INTO big SELECT g, repeat('y', 500) FROM generate_series(1, 20000) g");
            Thread.sleep(500);
            assertThatThrownBy(() -> r.switchover(Switchover.to("standby1").withMaxLag(DataSize.parse("1MB"))))
                    .isInstanceOf(OperationRefusedException.class)
                    .hasMessageContaining("bytes behind primary")
                    .hasMessageContaining("the bound is 1MB")
                    .hasMessageContaining("withMaxLag(DataSize.parse(\"64MB\"))");
            s1.query("ALTER SYSTEM RESET recovery_min_apply_delay");
            s1.query("SELECT pg_reload_conf()");
            cluster.awaitReplication();
            assertUnchanged(cluster);

            // A node of another system identifier, in recovery like a standby.
            try (PostgresMachines other = PostgresMachines.start(PostgresImage.resolve(17), "stranger")) {
                ClusterNode stranger = other.initDatabase("stranger");
                // A cluster of its own: initdb afresh (the image's template would give it the same identifier).
                stranger.host().run(Command.of("sh", "-c", "set -e; pg_ctl -D \"$1\" -w stop -m fast;"
                        + " find \"$1\" -mindepth 1 -delete; initdb -D \"$1\" -U postgres --auth-local=trust"
                        + " --auth-host=scram-sha-256 -N >/dev/null; cp /tmp/hba \"$1/pg_hba.conf\" 2>/dev/null || true;"
                        + " echo \"listen_addresses = '*'\" >> \"$1/postgresql.auto.conf\";"
                        + " echo 'host all all all trust' >> \"$1/pg_hba.conf\"; touch \"$1/standby.signal\";"
                        + " pg_ctl -D \"$1\" -w -l \"$1.log\" start", "sh", stranger.dataDirectory()));
                Replication.Builder b = Replication.primary(r.primaryServer()).replicationRole(r.role())
                        .addStandby(Standby.named("stranger").withHost(stranger.host())
                                .withDataDirectory(stranger.dataDirectory()).withEndpoint(Endpoint.of("stranger"))
                                .withAdminEndpoint(stranger.endpoint(), "postgres", stranger.password()));
                try (Replication withStranger = b.load()) {
                    assertThatThrownBy(() -> withStranger.switchover("stranger"))
                            .isInstanceOf(OperationRefusedException.class)
                            .hasMessageContaining("has system identifier")
                            .hasMessageContaining("it is not a standby of this primary")
                            .satisfies(e -> assertThat(((OperationRefusedException) e).kind())
                                    .isEqualTo(Kind.OTHER_SYSTEM));
                }
            }
            assertUnchanged(cluster);

            // The target is killed while the old primary is stopped: the old primary is started again as it was.
            ClusterNode target = cluster.standby("standby2");
            ServiceControl killsTargetOnStop = ServiceControl.pgCtl();
            ServiceControl injected = new ServiceControl() {
                @Override
                public Command command(ServiceAction action, String dir) {
                    return killsTargetOnStop.command(action, dir);
                }

                @Override
                public void perform(ServiceAction action, Host host, String dir) {
                    killsTargetOnStop.perform(action, host, dir);
                    if (action == ServiceAction.STOP) {
                        Ops.kill9(target);
                    }
                }
            };
            Replication.Builder faulty = Replication.primary(r.primaryServer().withService(injected))
                    .replicationRole(r.role());
            r.standbys().forEach(faulty::addStandby);
            try (Replication f = faulty.load()) {
                assertThatThrownBy(() -> f.switchover(Switchover.to("standby2")
                        .withCatchUpTimeout(Duration.ofSeconds(3))))
                        .isInstanceOf(StepFailedException.class)
                        .hasMessageContaining("did not receive WAL past primary's shutdown checkpoint")
                        .hasMessageContaining("primary was started again as the primary, as it was")
                        .hasMessageContaining("Where every server stands now:")
                        .hasMessageContaining("standby2: does not answer")
                        .hasMessageContaining("Next: make standby2 stream from primary again")
                        .satisfies(e -> assertThat(((OperationRefusedException) e.getCause()).kind())
                                .isEqualTo(Kind.CATCH_UP_TIMEOUT));
                assertThat(cluster.primary().query("SELECT pg_is_in_recovery()")).isEqualTo("f");
                Ops.start(target);
                awaitStreaming(target);
                // Run again without the injected fault (its ServiceControl would kill the target at every stop).
                OperationResult again = r.switchover("standby2");
                try (Replication next = again.replication()) {
                    assertThat(next.topology().primary()).isEqualTo("standby2");
                    assertThat(Ops.senderHost(cluster.node("primary"))).isEqualTo("standby2 streaming");
                    assertThat(Ops.senderHost(cluster.node("standby1"))).isEqualTo("standby2 streaming");
                }
            }
        }
    }

    @Test
    void rejoinWithoutWalLogHintsIsRefusedThenReclonesWhenAllowedAndRemovalDropsTheSlot() {
        try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2)
                .settings(PrimarySettings.empty().withWalLogHints(false)).start()) {
            ClusterNode old = cluster.primary();
            assertThat(old.query("SHOW wal_log_hints")).isEqualTo("off");
            for (ClusterNode s : cluster.standbys()) {
                s.query("ALTER SYSTEM SET primary_conninfo = ''");
                s.query("SELECT pg_reload_conf()");
                AbstractOperationsIT.awaitNoReceiver(s);
            }
            old.query("CREATE TABLE lost AS SELECT 1 AS x");
            Ops.stopImmediate(old);
            cluster.failover(io.github.pgreplication.Failover.to("standby1"));
            assertThatThrownBy(() -> cluster.rejoin("primary"))
                    .isInstanceOf(OperationRefusedException.class)
                    .hasMessageContaining("pg_rewind needs wal_log_hints = on or data checksums")
                    .hasMessageContaining("withRecloneAllowed(true)")
                    .satisfies(e -> assertThat(((OperationRefusedException) e).kind())
                            .isEqualTo(Kind.REWIND_PREREQUISITE));
            assertThat(old.host().exists(old.dataDirectory() + "/base")).as("refused: the data directory is intact")
                    .isTrue();
            OperationResult rejoined = cluster.rejoin(Rejoin.node("primary").withRecloneAllowed(true));
            assertThat(rejoined.notes()).containsExactly("primary was cloned again from standby1.");
            assertThat(Ops.senderHost(old)).isEqualTo("standby1 streaming");
            assertThat(old.query("SELECT count(*) FROM pg_class WHERE relname = 'lost'")).isEqualTo("0");

            String plan = cluster.replication().planRemoval("standby2", true).toRunbook();
            System.out.println(plan);
            assertThat(plan).contains("pg_ctl", "stop", "pg_drop_replication_slot('standby2_slot')");
            OperationResult removed = cluster.removeStandby("standby2", true);
            assertThat(removed.replication().topology().standbys()).containsExactly("primary");
            assertThat(cluster.primary().query("SELECT count(*) FROM pg_replication_slots WHERE slot_name ="
                    + " 'standby2_slot'")).isEqualTo("0");
            assertThat(cluster.node("standby2").host().exists(cluster.node("standby2").dataDirectory()
                    + "/postmaster.pid")).as("stopped").isFalse();
        }
    }

    private static void assertUnchanged(ReplicationCluster cluster) {
        assertThat(cluster.primary().name()).isEqualTo("primary");
        assertThat(cluster.primary().query("SELECT pg_is_in_recovery()")).isEqualTo("f");
        for (ClusterNode s : cluster.standbys()) {
            awaitStreaming(s);
            assertThat(Ops.senderHost(s)).isEqualTo("primary streaming");
        }
    }

    private static void awaitStreaming(ClusterNode s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Ops.senderHost(s).endsWith("streaming") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(Ops.senderHost(s)).as("%s streams", s.name()).endsWith("streaming");
    }
}
