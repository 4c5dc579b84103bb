package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Failover;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.testkit.Ledger;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the README's "Durability" section shows an application test doing: a ledger through a crash and a failover. */
class DurabilityIT {
    @Test
    void noAcknowledgedWriteIsLostWhenThePrimaryCrashesUnderAQuorumPolicy() {
        // snippet:testing-durability
        try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2)
                .durable(true)                                     // fsync on, data on disk: a crash is a crash
                .syncPolicy(SyncPolicy.any(1))                     // each commit confirmed by a standby
                .start();
                Ledger ledger = Ledger.start(cluster, 4)) {       // 4 writers counting acknowledged inserts
            ledger.awaitAcknowledged(500, Duration.ofSeconds(30));
            cluster.primary().kill9();                             // the primary crashes mid-write
            OperationResult failover = cluster.failover(Failover.toMostAdvanced());
            System.out.println(failover.lossCheck().orElseThrow()); // SYNC_PROOF: ANY 1 of [...]: 2 of the 2 ...
            ledger.awaitAcknowledged(500, Duration.ofSeconds(30)); // the writers found the new primary
            Ledger.Report report = ledger.verify();                 // reads every node
            System.out.println(report.summary());
            assertThat(report.lostOnPrimary()).isEmpty();          // acknowledged but lost: none
            assertThat(report.consistent()).isTrue();              // nor on any standby, no duplicate
            // end-snippet:testing-durability
            assertThat(failover.lossCheck().orElseThrow().basis()).isEqualTo(LossCheck.Basis.SYNC_PROOF);
            assertThat(report.acknowledged()).isGreaterThanOrEqualTo(1000);
        }
    }
}
