package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.github.pgreplication.testkit.ClusterNode.LsnMode;
import io.github.pgreplication.testkit.ReplicationCluster.CatchupMode;

/**
 * Faults on a running cluster, each checked through what PostgreSQL and Docker report, on the cluster shared with
 * {@link ClientsIT} and {@link AssertionsIT}, restored after each test.
 */
class NodeFaultsIT {
    /** wal_receiver_timeout / wal_sender_timeout of test clusters, plus what a loaded 2-core machine may add. */
    private static final Duration DETECTION_BOUND = Duration.ofSeconds(5 + 5);

    @RegisterExtension
    static ReplicationClusterExtension extension = ReplicationClusterExtension.shared(
            SharedCluster.primaryAndTwoStandbys()).skipWhenDockerUnavailable();

    @AfterEach
    void restore() {
        extension.cluster().restore();
    }

    @Test
    void testClustersNoticeALostPeerInSeconds() {
        ReplicationCluster cluster = extension.cluster();
        assertThat(cluster.primary().query("SHOW wal_sender_timeout")).isEqualTo("5s");
        assertThat(cluster.standby(0).query("SHOW wal_receiver_timeout")).isEqualTo("5s");
        assertThat(cluster.standby(0).query("SHOW wal_retrieve_retry_interval")).isEqualTo("1s");
        assertThat(cluster.standby(0).query("SHOW wal_receiver_status_interval")).isEqualTo("1s");
    }

    @Test
    void aPartitionedStandbyIsDroppedRetainsWalAndStreamsAgainAfterTheHeal() {
        ReplicationCluster cluster = extension.cluster();
        ClusterNode standby = cluster.standby("standby1");
        String network = cluster.network().getId();
        String id = standby.container().getContainerId();
        String address = DockerState.address(id, network).orElseThrow();
        int port = standby.endpoint().port();
        cluster.primary().query("CREATE TABLE partition_rows (n int)");
        cluster.awaitReplication();

        standby.partition();
        assertThat(standby.partitioned()).isTrue();
        assertThat(DockerState.address(id, network)).as("Docker: detached from the cluster network").isEmpty();
        Duration receiverStopped = Waits.until("standby1's WAL receiver stops", DETECTION_BOUND,
                () -> !NodeReport.of(standby).streaming());
        Duration dropped = Waits.until("the primary stops listing standby1", DETECTION_BOUND,
                () -> !cluster.replication().status().standby("standby1").orElseThrow().streaming());
        System.out.printf("partition: WAL receiver stopped after %d ms, primary dropped it after %d ms%n",
                receiverStopped.toMillis(), dropped.toMillis());
        ReplicationStatus before = cluster.replication().status();
        assertThat(before.standby("standby1").orElseThrow().state()).isEqualTo("disconnected");
        SlotStatus slotBefore = before.slot("standby1_slot").orElseThrow();
        assertThat(slotBefore.active()).isFalse();
        cluster.primary().query("INSERT INTO partition_rows SELECT generate_series(1, 50000)");
        SlotStatus slotAfter = cluster.replication().status().slot("standby1_slot").orElseThrow();
        assertThat(slotAfter.retainedBytes()).as("WAL the slot keeps for the absent standby")
                .isGreaterThan(slotBefore.retainedBytes() + 1_000_000);
        assertThat(standby.query("SELECT count(*) FROM partition_rows")).isEqualTo("0");

        standby.heal();
        assertThat(standby.partitioned()).isFalse();
        assertThat(DockerState.address(id, network)).as("Docker: back at the same address").contains(address);
        assertThat(standby.endpoint().port()).isEqualTo(port);
        Lsn target = cluster.primary().lsn(LsnMode.INSERT);
        cluster.awaitCatchup(standby, CatchupMode.REPLAY, target, Duration.ofSeconds(30));
        assertThat(standby.query("SELECT count(*) FROM partition_rows")).isEqualTo("50000");
        StandbyStatus after = cluster.replication().status().standby("standby1").orElseThrow();
        assertThat(after.streaming()).isTrue();
        assertThat(cluster.replication().status().slot("standby1_slot").orElseThrow().active()).isTrue();
    }

    @Test
    void aPausedStandbyLagsThenCatchesUpWhenUnpaused() {
        ReplicationCluster cluster = extension.cluster();
        ClusterNode standby = cluster.standby("standby2");
        cluster.primary().query("CREATE TABLE paused_rows (n int)");
        cluster.awaitReplication();

        standby.pause();
        assertThat(DockerState.paused(standby.container().getContainerId())).isTrue();
        cluster.primary().query("INSERT INTO paused_rows SELECT generate_series(1, 20000)");
        long lag1 = cluster.replication().status().primaryLsn().minus(replayed(cluster, "standby2"));
        cluster.primary().query("INSERT INTO paused_rows SELECT generate_series(1, 20000)");
        long lag2 = cluster.replication().status().primaryLsn().minus(replayed(cluster, "standby2"));
        assertThat(lag1).as("bytes behind after the first write").isPositive();
        assertThat(lag2).as("lag grows while frozen").isGreaterThan(lag1);

        standby.unpause();
        assertThat(DockerState.paused(standby.container().getContainerId())).isFalse();
        cluster.awaitCatchup(standby, CatchupMode.REPLAY, cluster.primary().lsn(LsnMode.INSERT));
        assertThat(standby.query("SELECT count(*) FROM paused_rows")).isEqualTo("40000");
    }

    /** The replay position the primary last heard of, kept while pg_stat_replication still lists the standby. */
    private static Lsn replayed(ReplicationCluster cluster, String name) {
        StandbyStatus s = cluster.replication().status().standby(name).orElseThrow();
        assertThat(s.replayLsn()).as("the primary still lists %s (wal_sender_timeout not reached)", name).isNotNull();
        return s.replayLsn();
    }

    @Test
    void aKilledPrimaryLeavesTheStandbysWithoutUpstreamUntilItStartsAgain() {
        ReplicationCluster cluster = extension.cluster();
        cluster.primary().kill9();
        for (ClusterNode s : cluster.standbys()) {
            Waits.until(s.name() + " stops streaming", DETECTION_BOUND, () -> !NodeReport.of(s).streaming());
        }
        assertThatThrownBy(() -> cluster.primary().query("SELECT 1")).hasMessageContaining("connect");

        cluster.primary().start();
        cluster.replication().awaitStreaming(Duration.ofSeconds(30));
        cluster.primary().query("CREATE TABLE after_kill (n int); INSERT INTO after_kill VALUES (1)");
        cluster.awaitReplication();
        for (ClusterNode s : cluster.standbys()) {
            assertThat(s.query("SELECT count(*) FROM after_kill")).as(s.name()).isEqualTo("1");
        }
    }

    @Test
    void anApplyDelayHoldsEachCommitBackThenCatchesUpWhenRemoved() throws Exception {
        ReplicationCluster cluster = extension.cluster();
        ClusterNode standby = cluster.standby("standby1");
        cluster.primary().query("CREATE TABLE delayed_rows (n int)");
        cluster.awaitReplication();
        standby.applyDelay(Duration.ofSeconds(2));
        assertThat(standby.query("SHOW recovery_min_apply_delay")).isEqualTo("2s");

        long beforeCommit = System.nanoTime();
        cluster.primary().query("INSERT INTO delayed_rows VALUES (1)");
        Thread.sleep(1000);
        StandbyStatus lagging = cluster.replication().status().standby("standby1").orElseThrow();
        assertThat(lagging.lagBytes()).as("status shows the held-back commit").isPositive();
        Waits.until("the row reaches standby1", Duration.ofSeconds(10),
                () -> standby.query("SELECT count(*) FROM delayed_rows").equals("1"));
        long visibleAfter = (System.nanoTime() - beforeCommit) / 1_000_000;
        assertThat(visibleAfter).as("visible no sooner than the delay after the commit").isGreaterThanOrEqualTo(2000);

        standby.applyDelay(Duration.ZERO);
        assertThat(standby.query("SHOW recovery_min_apply_delay")).isEqualTo("0");
        long start = System.nanoTime();
        cluster.primary().query("INSERT INTO delayed_rows VALUES (2)");
        cluster.awaitCatchup(standby, CatchupMode.REPLAY, cluster.primary().lsn(LsnMode.INSERT));
        assertThat(standby.query("SELECT count(*) FROM delayed_rows")).isEqualTo("2");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no delay any more").isLessThan(2000);
        assertThatThrownBy(() -> standby.applyDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applyDelay(PT-0.001S): the delay must be zero or more");
    }

    @Test
    void pausedReplayReceivesWalButShowsNothingUntilResumed() {
        ReplicationCluster cluster = extension.cluster();
        ClusterNode standby = cluster.standby("standby2");
        cluster.primary().query("CREATE TABLE replay_rows (n int)");
        cluster.awaitReplication();
        standby.pauseReplay();
        Waits.until("replay paused", Duration.ofSeconds(10),
                () -> "paused".equals(standby.query("SELECT pg_get_wal_replay_pause_state()")));
        Lsn received = standby.lsn(LsnMode.RECEIVE);

        cluster.primary().query("INSERT INTO replay_rows SELECT generate_series(1, 1000)");
        Lsn target = cluster.primary().lsn(LsnMode.INSERT);
        cluster.awaitCatchup(standby, CatchupMode.FLUSH, target);
        assertThat(standby.lsn(LsnMode.RECEIVE)).isGreaterThan(received).matches(l -> l.isAtOrAfter(target));
        assertThat(standby.query("SELECT count(*) FROM replay_rows")).isEqualTo("0");
        assertThatThrownBy(() -> cluster.awaitCatchup(standby, CatchupMode.REPLAY, target, Duration.ofMillis(500)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("standby 'standby2' has not caught up in replay mode (replay_lsn) to " + target
                        + " after 500 ms: pg_stat_replication on 'primary' reports state streaming")
                .hasMessageContaining("Tail of standby2's server log");

        standby.resumeReplay();
        cluster.awaitCatchup(standby, CatchupMode.REPLAY, target);
        assertThat(standby.query("SELECT count(*) FROM replay_rows")).isEqualTo("1000");
    }

    @Test
    void lsnModesAndReplayControlsNameTheNodeWhenAskedOfTheWrongRole() {
        ReplicationCluster cluster = extension.cluster();
        Lsn insert = cluster.primary().lsn(LsnMode.INSERT);
        assertThat(cluster.primary().lsn(LsnMode.WRITE)).isLessThanOrEqualTo(insert);
        assertThat(cluster.primary().lsn(LsnMode.FLUSH)).isLessThanOrEqualTo(insert);
        assertThat(cluster.standby(0).lsn(LsnMode.REPLAY)).isNotNull();
        assertThatThrownBy(() -> cluster.primary().lsn(LsnMode.RECEIVE))
                .hasMessageContaining("node 'primary' reports no receive LSN: it is a primary, and"
                        + " pg_last_wal_receive_lsn() is for standbys only");
        assertThatThrownBy(() -> cluster.standby(0).lsn(LsnMode.INSERT))
                .hasMessageContaining("node 'standby1' reports no insert LSN: it is a standby, and"
                        + " pg_current_wal_insert_lsn() is for primaries only");
        assertThatThrownBy(() -> cluster.primary().pauseReplay())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pauseReplay() works on a standby only, and node 'primary' is not in recovery");
        assertThatThrownBy(() -> cluster.primary().stop().stop())
                .hasMessageContaining("pg_ctl");
        assertThatThrownBy(() -> cluster.primary().kill9())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node 'primary' runs no server");
    }

    @Test
    void restoreUndoesEveryFaultAsDockerAndPostgresqlSeeIt() {
        ReplicationCluster cluster = extension.cluster();
        String network = cluster.network().getId();
        ClusterNode s1 = cluster.standby("standby1");
        ClusterNode s2 = cluster.standby("standby2");
        String address = DockerState.address(s2.container().getContainerId(), network).orElseThrow();
        s1.pause();
        s2.partition();
        cluster.primary().stop(StopMode.IMMEDIATE);
        assertThat(DockerState.paused(s1.container().getContainerId())).isTrue();
        assertThat(DockerState.address(s2.container().getContainerId(), network)).isEmpty();

        cluster.restore();
        assertThat(DockerState.paused(s1.container().getContainerId())).isFalse();
        assertThat(DockerState.address(s2.container().getContainerId(), network)).contains(address);
        assertThat(s1.paused()).isFalse();
        assertThat(s2.partitioned()).isFalse();
        assertThat(cluster.primary().query("SELECT pg_is_in_recovery()")).isEqualTo("f");
        assertThat(cluster.replication().status().standbys()).allMatch(StandbyStatus::streaming);
    }
}
