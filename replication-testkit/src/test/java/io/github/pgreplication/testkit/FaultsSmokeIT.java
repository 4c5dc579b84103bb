package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Lsn;
import org.junit.jupiter.api.Test;

class FaultsSmokeIT {
    @Test
    void smoke() throws Exception {
        try (ReplicationCluster cluster = ReplicationCluster.start(1)) {
            ClusterNode s = cluster.standby(0);
            System.out.println("SHOW " + s.query("SHOW wal_receiver_timeout") + " " + cluster.primary().query("SHOW wal_sender_timeout"));
            System.out.println(NodeReport.of(s) + "\n" + NodeReport.of(cluster.primary()));
            long t0 = System.nanoTime();
            s.partition();
            while (NodeReport.of(s).streaming()) Thread.sleep(50);
            System.out.println("receiver stopped after ms " + (System.nanoTime() - t0) / 1e6);
            while (cluster.replication().status().standby("standby1").orElseThrow().streaming()) Thread.sleep(50);
            System.out.println("primary dropped after ms " + (System.nanoTime() - t0) / 1e6);
            System.out.println(cluster.replication().status());
            cluster.primary().query("CREATE TABLE t(x int); INSERT INTO t SELECT generate_series(1,100000)");
            System.out.println(cluster.replication().status());
            t0 = System.nanoTime();
            s.heal();
            Lsn lsn = cluster.primary().lsn(LsnMode.INSERT);
            cluster.awaitCatchup(s, CatchupMode.REPLAY, lsn);
            System.out.println("caught up after heal ms " + (System.nanoTime() - t0) / 1e6);
            System.out.println(cluster.replication().status());
            t0 = System.nanoTime();
            try (TestDatabase db = cluster.freshDatabase()) {
                System.out.println("fresh db ms " + (System.nanoTime() - t0) / 1e6 + " " + db.name());
            }
            t0 = System.nanoTime();
            cluster.primary().kill9();
            System.out.println("killed ms " + (System.nanoTime() - t0) / 1e6);
            cluster.primary().start();
            System.out.println("started ms " + (System.nanoTime() - t0) / 1e6);
            cluster.replication().awaitStreaming(java.time.Duration.ofSeconds(30));
            System.out.println("streaming ms " + (System.nanoTime() - t0) / 1e6);
            s.pause();
            Thread.sleep(500);
            System.out.println(s.paused());
            t0 = System.nanoTime();
            System.out.println(cluster.jdbcUrl(TargetServerType.PRIMARY, true));
            assertThat(s.lsn(LsnMode.REPLAY)).isNotNull();
        }
    }
}
