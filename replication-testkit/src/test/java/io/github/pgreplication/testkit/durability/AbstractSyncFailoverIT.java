package io.github.pgreplication.testkit.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Failover;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.WalRange;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.Ledger;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The promise a synchronous policy makes, tested as a demanding user would: writers count acknowledged inserts, the
 * primary is killed with SIGKILL, the failover promotes a standby, the old primary rejoins, and the ledger checks that
 * every acknowledged row is on the new primary and on every standby. Then the same cycles without a policy: rows are
 * lost sometimes, and the failover's possible loss always covers what was lost. Durable clusters (fsync on, data on
 * disk): this is about what survives a crash. Run on each supported major by a subclass.
 */
abstract class AbstractSyncFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    abstract int major();

    /** @return how many kill9-failover-rejoin cycles under {@code ANY 1} and under {@code FIRST 1} */
    abstract int[] syncCycles();

    private ReplicationCluster start(SyncPolicy policy) {
        return ReplicationCluster.builder().postgresMajor(major()).standbys(2).durable(true).syncPolicy(policy)
                .start();
    }

    @Test
    void underAQuorumOrPriorityPolicyNoAcknowledgedWriteIsLostAcrossKilledPrimaries() {
        SyncPolicy[] policies = {SyncPolicy.any(1), SyncPolicy.first(1)};
        for (int p = 0; p < policies.length; p++) {
            long t0 = System.nanoTime();
            try (ReplicationCluster cluster = start(policies[p])) {
                assertThat(setting(cluster.primary(), "synchronous_standby_names"))
                        .as("written once every standby streamed").isEqualTo(policies[p].method() + " 1"
                                + " (\"standby1\", \"standby2\")");
                for (int cycle = 1; cycle <= syncCycles()[p]; cycle++) {
                    Ledger.Report report = syncCycle(cluster, policies[p], cycle);
                    assertThat(report.lostOnPrimary()).as("cycle %d under %s: acknowledged but lost on the new"
                            + " primary (%s)", cycle, policies[p], report).isEmpty();
                    assertThat(report.lostOnStandbys()).as("cycle %d: every standby holds every acknowledged row"
                            + " (%s)", cycle, report).allSatisfy((name, lost) -> assertThat(lost).isEmpty());
                    assertThat(report.unavailable()).as("every standby could be read").isEmpty();
                    assertThat(report.duplicates()).isEmpty();
                    assertThat(report.unexpected()).isEmpty();
                    assertThat(report.acknowledged()).as("the writers wrote before and after the failover")
                            .isGreaterThanOrEqualTo(100);
                }
            }
            System.out.printf("PG %d, %s: %d cycles in %d ms%n", major(), policies[p], syncCycles()[p],
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private Ledger.Report syncCycle(ReplicationCluster cluster, SyncPolicy policy, int cycle) {
        try (Ledger ledger = Ledger.start(cluster, 4)) {
            ledger.awaitAcknowledged(50, WAIT);
            ClusterNode old = cluster.primary();
            long kill = System.nanoTime();
            old.kill9();
            OperationResult failover = cluster.failover(Failover.toMostAdvanced());
            long promoted = System.nanoTime();
            LossCheck check = failover.lossCheck().orElseThrow();
            assertThat(check.basis()).as("cycle %d: proven by the policy (%s)", cycle, check)
                    .isEqualTo(LossCheck.Basis.SYNC_PROOF);
            assertThat(failover.possibleLoss()).isEmpty();
            ClusterNode next = cluster.primary();
            String other = cluster.replication().topology().standbys().get(0);
            assertThat(setting(next, "synchronous_standby_names")).as("the new primary lists the other standby,"
                    + " never itself").isEqualTo(policy.method() + " 1 (\"" + other + "\")");
            ledger.awaitAcknowledged(50, WAIT);
            cluster.rejoin(old.name());
            assertThat(setting(next, "synchronous_standby_names")).as("the rejoined node is listed once it streams")
                    .contains("\"" + old.name() + "\"", "\"" + other + "\"");
            ledger.awaitAcknowledged(50, WAIT);
            Ledger.Report report = ledger.verify();
            System.out.printf("PG %d %s cycle %d: killed %s, promoted %s after %d ms: %s%n", major(), policy, cycle,
                    old.name(), next.name(), (promoted - kill) / 1_000_000, report.summary());
            return report;
        }
    }

    @Test
    void withoutAPolicyTheFailoversPossibleLossCoversWhatWasLost() {
        try (ReplicationCluster cluster = start(SyncPolicy.none())) {
            int cycles = 6;
            List<Integer> lost = new ArrayList<>();
            for (int i = 1; i <= cycles; i++) {
                int cycle = i;
                try (Ledger ledger = Ledger.start(cluster, 4)) {
                    ledger.awaitAcknowledged(200, WAIT);
                    ClusterNode old = cluster.primary();
                    old.kill9();
                    OperationResult failover = cluster.failover(Failover.toMostAdvanced());
                    LossCheck check = failover.lossCheck().orElseThrow();
                    assertThat(check.basis()).as("the old primary's container still runs: its WAL is read (%s)",
                            check).isEqualTo(LossCheck.Basis.OLD_PRIMARY_WAL);
                    ledger.awaitAcknowledged(50, WAIT);
                    OperationResult rejoin = cluster.rejoin(old.name());
                    Ledger.Report report = ledger.verify();
                    lost.add(report.lost());
                    Optional<WalRange> possible = failover.possibleLoss();
                    Optional<WalRange> discarded = rejoin.discarded();
                    System.out.printf("PG %d async cycle %d: %d acknowledged but lost; possible loss %s; rewind"
                                    + " discarded %s; %s%n", major(), cycle, report.lost(), possible.orElse(null),
                            discarded.orElse(null), report.summary());
                    if (report.lost() > 0) {
                        assertThat(possible).as("cycle %d: %d acknowledged rows were lost, so possibleLoss() must say"
                                + " so", cycle, report.lost()).isPresent();
                        assertThat(discarded).as("their WAL was past the fork: the rejoin rewound it").isPresent();
                    }
                    discarded.ifPresent(d -> {
                        assertThat(possible).as("cycle %d: the rewind discarded %s, which the failover must have"
                                + " named", cycle, d).isPresent();
                        assertThat(possible.get().from()).as("it starts where the promoted standby's WAL ends")
                                .isEqualTo(d.from());
                        assertThat(possible.get().to() == null || possible.get().to().compareTo(d.to()) >= 0)
                                .as("cycle %d: possible loss %s covers the discarded WAL %s", cycle, possible.get(), d)
                                .isTrue();
                    });
                    if (possible.isEmpty()) {
                        assertThat(report.lost()).isZero();
                    }
                }
            }
            System.out.printf("PG %d without a policy: acknowledged but lost per cycle %s%n", major(), lost);
        }
    }

    static String setting(ClusterNode node, String name) {
        return node.query("SELECT setting FROM pg_settings WHERE name = '" + name + "'");
    }
}
