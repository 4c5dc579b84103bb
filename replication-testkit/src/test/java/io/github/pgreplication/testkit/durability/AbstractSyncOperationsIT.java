package io.github.pgreplication.testkit.durability;

import static io.github.pgreplication.testkit.durability.AbstractSyncFailoverIT.setting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Failover;
import io.github.pgreplication.InvalidReplicationConfigException;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.Ledger;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.StopMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operations under a synchronous policy, on real servers: a stopped synchronous standby makes commits wait and
 * setSyncPolicy releases them; switchover and removeStandby move the list without making a commit wait longer than the
 * operation; a failover with too few listed standbys answering is refused, and goes ahead only when possible loss is
 * accepted, naming the WAL that may be lost. Run on each supported major by a subclass.
 */
abstract class AbstractSyncOperationsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    abstract int major();

    private ReplicationCluster start(SyncPolicy policy) {
        return ReplicationCluster.builder().postgresMajor(major()).standbys(2).syncPolicy(policy).start();
    }

    @Test
    void aStoppedSynchronousStandbyMakesCommitsWaitUntilThePolicyIsRelaxed() {
        try (ReplicationCluster cluster = start(SyncPolicy.any(2))) {
            ReplicationStatus before = cluster.replication().status();
            assertThat(before.syncSatisfied()).isTrue();
            assertThat(before.syncSpare()).as("ANY 2 of 2: one more failure and commits wait").isZero();
            assertThat(before.standbys()).allSatisfy(s -> assertThat(s.syncState()).isEqualTo("quorum"));
            assertThat(before.toTable()).contains("synchronous: ANY 2 (\"standby1\", \"standby2\"), 2 listed"
                    + " streaming, 2 needed: 0 more may fail before commits wait");
            try (Ledger ledger = Ledger.start(cluster, 2)) {
                ledger.awaitAcknowledged(50, WAIT);
                cluster.node("standby1").stop(StopMode.FAST);
                long stopped = System.nanoTime();
                long acked = ledger.acknowledged();
                sleep(3_000);
                assertThat(ledger.acknowledged()).as("commits wait for the stopped synchronous standby")
                        .isLessThanOrEqualTo(acked + 2);
                ReplicationStatus waiting = cluster.replication().status();
                assertThat(waiting.syncSatisfied()).isFalse();
                assertThat(waiting.syncSpare()).isEqualTo(-1);
                assertThat(waiting.toTable()).contains("COMMITS WAIT");

                long t0 = System.nanoTime();
                OperationResult relaxed = cluster.setSyncPolicy(SyncPolicy.any(1, "standby2"));
                long relax = System.nanoTime() - t0;
                System.out.println(relaxed.summary());
                assertThat(Duration.ofNanos(relax)).as("the library's own steps do not wait for the dead standby")
                        .isLessThan(Duration.ofSeconds(5));
                ledger.awaitAcknowledged(50, Duration.ofSeconds(5));
                long released = System.nanoTime();
                System.out.printf("PG %d: commits waited %d ms for the stopped synchronous standby; setSyncPolicy"
                        + " took %d ms%n", major(), (released - stopped) / 1_000_000, relax / 1_000_000);
                assertThat(setting(cluster.primary(), "synchronous_standby_names")).isEqualTo("ANY 1"
                        + " (\"standby2\")");

                cluster.node("standby1").start();
                cluster.replication().awaitStreaming(WAIT);
                cluster.setSyncPolicy(SyncPolicy.any(2));
                ReplicationStatus after = cluster.replication().status();
                assertThat(after.syncSatisfied()).isTrue();
                assertThat(after.synchronousStandbyNames()).isEqualTo("ANY 2 (\"standby1\", \"standby2\")");
                assertThat(after.standbys()).allSatisfy(s -> assertThat(s.syncState()).isEqualTo("quorum"));
                ledger.awaitAcknowledged(50, WAIT);
                Ledger.Report report = ledger.verify();
                System.out.println(report.summary());
                assertThat(report.consistent()).as(report.summary()).isTrue();
            }
        }
    }

    @Test
    void switchoverAndRemovalMoveTheListWithoutAnyCommitWaitingLongerThanTheOperation() {
        try (ReplicationCluster cluster = start(SyncPolicy.any(1))) {
            try (Ledger ledger = Ledger.start(cluster, 2)) {
                ledger.awaitAcknowledged(100, WAIT);
                long t0 = System.nanoTime();
                cluster.switchover("standby1");
                Duration switchover = Duration.ofNanos(System.nanoTime() - t0);
                ledger.awaitAcknowledged(100, WAIT);
                ClusterNode next = cluster.primary();
                assertThat(setting(next, "synchronous_standby_names")).isEqualTo("ANY 1 (\"standby2\", \"primary\")");
                assertThat(setting(next, "synchronous_commit")).isEqualTo("on");
                assertThat(next.query("SELECT string_agg(application_name || ':' || sync_state, ',' ORDER BY"
                        + " application_name) FROM pg_stat_replication")).isEqualTo("primary:quorum,standby2:quorum");

                assertThatThrownBy(() -> cluster.setSyncPolicy(SyncPolicy.any(1, "standby1")))
                        .as("the primary cannot be listed").isInstanceOf(InvalidReplicationConfigException.class)
                        .hasMessageContaining("the primary cannot confirm its own commits");

                long t1 = System.nanoTime();
                cluster.removeStandby("standby2", true);
                Duration removal = Duration.ofNanos(System.nanoTime() - t1);
                ledger.awaitAcknowledged(100, WAIT);
                assertThat(setting(next, "synchronous_standby_names")).isEqualTo("ANY 1 (\"primary\")");
                assertThat(next.query("SELECT string_agg(application_name || ':' || sync_state, ',') FROM"
                        + " pg_stat_replication")).isEqualTo("primary:quorum");
                assertThatThrownBy(() -> cluster.removeStandby("primary", true))
                        .as("the last listed standby cannot go: commits would wait")
                        .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                                .isEqualTo(OperationRefusedException.Kind.SYNC_UNSATISFIABLE))
                        .hasMessageContaining("without primary, ANY 1 (\"pgreplication-no-standby\")")
                        .hasMessageContaining("would have 0 listed standby(s) streaming for the 1 it needs");
                assertThat(cluster.replication().topology().standbys()).as("refused: nothing changed")
                        .containsExactly("primary");
                Ledger.Report report = ledger.verify();
                System.out.printf("PG %d: switchover %d ms, removal %d ms; %s%n", major(), switchover.toMillis(),
                        removal.toMillis(), report.summary());
                assertThat(report.consistent()).as(report.summary()).isTrue();
                assertThat(report.longestOutage()).as("no commit waited longer than the switchover")
                        .isLessThanOrEqualTo(switchover.plusMillis(200));
            }
        }
    }

    @Test
    void aFailoverWithTooFewListedStandbysAnsweringIsRefusedUnlessLossIsAccepted() {
        try (ReplicationCluster cluster = start(SyncPolicy.any(1))) {
            ClusterNode old = cluster.primary();
            old.query("CREATE TABLE t (id int)");
            old.query("INSERT INTO t SELECT generate_series(1, 100)");
            cluster.awaitReplication();
            cluster.node("standby2").stop(StopMode.FAST);
            old.query("INSERT INTO t SELECT generate_series(101, 200)");
            old.kill9();
            assertThatThrownBy(() -> cluster.failover(Failover.toMostAdvanced()))
                    .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.UNPROVEN_COMPLETE))
                    .hasMessageContaining("1 of the 2 listed standbys answered ([standby1])")
                    .hasMessageContaining("2 (2 - 1 + 1) must")
                    .hasMessageContaining("withPossibleLossAccepted(true)");
            assertThat(cluster.replication().topology().primary()).as("refused: nothing moved").isEqualTo("primary");
            assertThat(cluster.node("standby1").query("SELECT pg_is_in_recovery()")).isEqualTo("t");

            OperationResult accepted = cluster.failover(Failover.toMostAdvanced().withPossibleLossAccepted(true));
            System.out.println(accepted.summary());
            assertThat(cluster.primary().name()).isEqualTo("standby1");
            LossCheck check = accepted.lossCheck().orElseThrow();
            assertThat(check.basis()).as(check.toString()).isEqualTo(LossCheck.Basis.OLD_PRIMARY_WAL);
            assertThat(check.detail()).startsWith("Possible loss accepted: ANY 1 of [standby1, standby2]: 1 of the 2");
            assertThat(accepted.notes()).anySatisfy(n -> assertThat(n).contains("Commits on standby1 wait"));
            if (check.possibleLoss().isPresent()) {
                assertThat(check.possibleLoss().get().to()).isEqualTo(check.oldPrimaryEnd());
            } else {
                assertThat(check.oldPrimaryEnd()).isLessThanOrEqualTo(check.promotedAt());
            }
        }
    }

    @Test
    void aStandbyPromotedAfterThePolicyWasRelaxedDoesNotKeepTheListItHadAsAPrimary() throws Exception {
        try (ReplicationCluster cluster = start(SyncPolicy.any(1))) {
            cluster.switchover("standby1");
            cluster.switchover("primary");
            assertThat(setting(cluster.node("standby1"), "synchronous_standby_names"))
                    .as("standby1 keeps, in its postgresql.auto.conf, the list it had as the primary")
                    .isEqualTo("ANY 1 (\"standby2\", \"primary\")");
            cluster.setSyncPolicy(SyncPolicy.none());
            cluster.node("standby2").stop(StopMode.FAST);
            cluster.primary().kill9();
            OperationResult failover = cluster.failover(Failover.to("standby1"));
            System.out.println(failover.summary());
            ClusterNode next = cluster.primary();
            assertThat(setting(next, "synchronous_standby_names")).as("emptied before its promotion: asynchronous, as"
                    + " the set-up is").isEmpty();
            java.util.concurrent.CompletableFuture<String> commit = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> next.query("CREATE TABLE committed_at_once AS SELECT 1 AS one"));
            assertThat(commit.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("a commit does not wait for the"
                    + " standbys its old list named, both down").isNotNull();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
