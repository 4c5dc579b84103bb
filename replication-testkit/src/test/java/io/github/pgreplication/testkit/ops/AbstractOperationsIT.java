package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Failover;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Rejoin;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.Ledger;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Switchover, failover and rejoin against real servers; run on each supported major by a subclass. */
abstract class AbstractOperationsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    abstract int major();

    private ReplicationCluster start() {
        return ReplicationCluster.builder().postgresMajor(major()).standbys(2).start();
    }

    @Test
    void switchoverUnderWritesLosesNothingAndSwitchesBack() throws Exception {
        try (ReplicationCluster cluster = start()) {
            ClusterNode oldPrimary = cluster.primary();
            ClusterNode sibling = cluster.standby("standby2");
            String siblingStart = sibling.query("SELECT pg_postmaster_start_time()");
            try (Ledger ledger = Ledger.start(cluster, 1)) {
                ledger.awaitAcknowledged(200, WAIT);
                String runbook = cluster.replication().plan(io.github.pgreplication.Switchover.to("standby1"))
                        .toRunbook();
                System.out.println(runbook);
                assertThat(runbook).as("the commands a person would type").contains("CHECKPOINT", "pg_ctl",
                        "stop", "-m fast", "pg_controldata", "pg_promote", "ALTER SYSTEM SET primary_conninfo",
                        "standby.signal", "pg_stat_replication");

                OperationResult result = cluster.switchover("standby1");
                System.out.println(result.summary());
                ledger.awaitAcknowledged(200, WAIT);

                assertThat(cluster.primary().name()).isEqualTo("standby1");
                assertThat(cluster.replication().topology().standbys()).containsExactlyInAnyOrder("standby2",
                        "primary");
                assertThat(Ops.timeline(cluster.primary())).isEqualTo("2");
                assertThat(Ops.senderHost(oldPrimary)).as("the old primary streams from the new one")
                        .isEqualTo("standby1 streaming");
                assertThat(Ops.senderHost(sibling)).isEqualTo("standby1 streaming");
                assertThat(Ops.timeline(sibling)).isEqualTo("2");
                assertThat(sibling.query("SELECT pg_postmaster_start_time()"))
                        .as("the sibling follows by reload, without a restart").isEqualTo(siblingStart);
                assertThat(cluster.primary().query("SELECT string_agg(slot_name || ':' || active, ',' ORDER BY"
                        + " slot_name) FROM pg_replication_slots"))
                        .isEqualTo("primary_slot:true,standby2_slot:true");
                assertThat(slots(oldPrimary)).as("the old primary, now a standby, keeps none of its slots: a slot on a"
                        + " standby nobody streams through holds its WAL for ever").isEmpty();

                assertThat(cluster.switchover("standby1").notes()).as("to the primary itself: nothing changes")
                        .containsExactly("standby1 is the primary already: nothing changed.");

                cluster.switchover("primary");
                ledger.awaitAcknowledged(200, WAIT);
                assertThat(cluster.primary().name()).isEqualTo("primary");
                assertThat(Ops.timeline(cluster.primary())).isEqualTo("3");
                assertThat(Ops.senderHost(cluster.node("standby1"))).isEqualTo("primary streaming");
                assertThat(Ops.senderHost(sibling)).isEqualTo("primary streaming");
                assertThat(sibling.query("SELECT pg_postmaster_start_time()")).isEqualTo(siblingStart);
                assertThat(slots(cluster.node("standby1"))).as("nor does standby1 once it is a standby again").isEmpty();
                assertThat(slots(cluster.primary())).isEqualTo("standby1_slot:true,standby2_slot:true");
                Ledger.Report report = ledger.verify();
                System.out.println(report.summary());
                assertThat(report.acknowledged()).isGreaterThan(600);
                assertThat(report.lostOnPrimary()).as("every acknowledged insert is on the primary").isEmpty();
                assertThat(report.lostOnStandbys()).as("and on every standby").hasSize(2)
                        .allSatisfy((name, lost) -> assertThat(lost).as(name).isEmpty());
                assertThat(report.consistent()).isTrue();
            }
        }
    }

    @Test
    void failoverPromotesTheMostAdvancedAndRejoinRewindsTheDivergedOldPrimary() {
        try (ReplicationCluster cluster = start()) {
            ClusterNode old = cluster.primary();
            old.query("CREATE TABLE t (id int PRIMARY KEY, v text)");
            old.query("INSERT INTO t SELECT g, 'before' FROM generate_series(1, 100) g");
            cluster.awaitReplication();

            String failoverRunbook = cluster.replication().plan(Failover.toMostAdvanced()).toRunbook();
            System.out.println(failoverRunbook);
            assertThat(failoverRunbook).as("the commands a person would type").contains("pg_isready",
                    "pg_last_wal_receive_lsn()", "pg_stat_replication");
            assertThatThrownBy(() -> cluster.failover(Failover.toMostAdvanced()))
                    .isInstanceOf(OperationRefusedException.class)
                    .hasMessageContaining("primary still accepts connections")
                    .hasMessageContaining("withPrimaryFenced(true)")
                    .satisfies(e -> assertThat(((OperationRefusedException) e).kind())
                            .isEqualTo(OperationRefusedException.Kind.PRIMARY_STILL_RUNNING));
            assertThat(cluster.primary().name()).as("refused: nothing moved").isEqualTo("primary");
            // A primary that refuses the library's session with an error of its own (here: a role that does not
            // exist) runs all the same: "it does not answer" would promote a second primary.
            io.github.pgreplication.Replication r = cluster.replication();
            io.github.pgreplication.Replication.Builder b = io.github.pgreplication.Replication.primary(
                    r.primaryServer().withAdmin("nobody_here", io.github.pgreplication.Secret.of("x")))
                    .settings(r.settings()).replicationRole(r.role())
                    .allow(r.hbaRules().toArray(io.github.pgreplication.HbaRule[]::new)).syncPolicy(r.syncPolicy());
            r.standbys().forEach(b::addStandby);
            try (io.github.pgreplication.Replication refused = b.load()) {
                assertThatThrownBy(() -> refused.failover(Failover.toMostAdvanced()))
                        .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                                .isEqualTo(OperationRefusedException.Kind.PRIMARY_STILL_RUNNING))
                        .hasMessageContaining("primary runs: it answered this session with SQLSTATE 28")
                        .hasMessageContaining("A failover now would leave two primaries");
            }
            assertThat(cluster.primary().query("SELECT pg_is_in_recovery()")).as("nothing moved").isEqualTo("f");

            // A real divergence: the standbys stop receiving, then the old primary commits rows only it has.
            for (ClusterNode s : cluster.standbys()) {
                s.query("ALTER SYSTEM SET primary_conninfo = ''");
                s.query("SELECT pg_reload_conf()");
            }
            for (ClusterNode s : cluster.standbys()) {
                awaitNoReceiver(s);
            }
            old.query("INSERT INTO t SELECT g, 'lost' FROM generate_series(101, 150) g");
            old.query("CHECKPOINT");
            Ops.stopImmediate(old);

            OperationResult failover = cluster.failover(Failover.toMostAdvanced());
            System.out.println(failover.summary());
            ClusterNode promoted = cluster.primary();
            assertThat(promoted.name()).isIn("standby1", "standby2");
            assertThat(cluster.replication().topology().detached()).containsExactly("primary");
            ClusterNode sibling = cluster.standbys().get(0);
            assertThat(Ops.senderHost(sibling)).as("the sibling follows the promoted standby")
                    .isEqualTo(promoted.name() + " streaming");
            promoted.query("INSERT INTO t VALUES (1000, 'after failover')");
            assertThat(promoted.query("SELECT count(*) FROM t")).isEqualTo("101");

            String rejoinRunbook = cluster.replication().plan(Rejoin.node("primary")).toRunbook();
            System.out.println(rejoinRunbook);
            assertThat(rejoinRunbook).contains("pg_controldata -D", "pg_waldump", "pg_rewind --target-pgdata=",
                    "--source-server=", "standby.signal", "pg_create_physical_replication_slot", "pg_ctl");
            OperationResult rejoin = cluster.rejoin("primary");
            System.out.println(rejoin.summary());
            assertThat(rejoin.discarded()).as("the rewind names what it discarded").isPresent();
            assertThat(rejoin.discarded().get().bytes()).isPositive();
            assertThat(rejoin.notes().get(0)).contains("pg_rewind discarded WAL");
            cluster.awaitReplication();
            assertThat(old.query("SELECT count(*) FILTER (WHERE v = 'lost'), count(*) FROM t"))
                    .as("the rows only the old primary had are gone from it").isEqualTo("0|101");
            assertThat(Ops.senderHost(old)).isEqualTo(promoted.name() + " streaming");
            assertThat(slots(old)).as("the rejoined old primary keeps none of its slots").isEmpty();
            assertThat(cluster.replication().topology().standbys()).hasSize(2);
            assertThat(cluster.rejoin("primary").notes().get(0)).as("a second rejoin has nothing to do")
                    .contains("already: nothing to do");
        }
    }

    /** @return the node's replication slots, {@code name:active}, by name; empty when it has none */
    static String slots(ClusterNode n) {
        return n.query("SELECT coalesce(string_agg(slot_name || ':' || active, ',' ORDER BY slot_name), '') FROM"
                + " pg_replication_slots");
    }

    static void awaitNoReceiver(ClusterNode s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"0".equals(s.query("SELECT count(*) FROM pg_stat_wal_receiver")) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(s.query("SELECT count(*) FROM pg_stat_wal_receiver")).as("WAL receiver of %s stopped", s.name())
                .isEqualTo("0");
    }
}
