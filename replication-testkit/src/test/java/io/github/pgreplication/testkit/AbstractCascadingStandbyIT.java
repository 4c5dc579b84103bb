package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Failover;
import io.github.pgreplication.NodeStatus;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Remove;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.Switchover;
import io.github.pgreplication.host.Command;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A cascade on real servers: standby2 and standby3 stream from standby1 ({@code Standby...streamingFrom}), standby1
 * from the primary. They are cloned from standby1 and stream through slots that live there, and read the primary's
 * rows; a second apply() changes nothing; a switchover to standby1 keeps them on it, one back makes them cascade
 * again, a switchover to standby2 re-points standby1 at it while standby3 stays on standby1, removing standby1 is
 * refused, a failover to standby1 keeps standby3 on it, and a switchover to standby2 makes standby1 its standby while
 * standby3 stays on standby1; standby1 removed with its standbys re-pointed leaves standby3 on
 * standby2.
 */
abstract class AbstractCascadingStandbyIT {
    abstract int major();

    private static String senderOf(ClusterNode standby) {
        return standby.query("SELECT sender_host FROM pg_stat_wal_receiver WHERE status = 'streaming'");
    }

    private static String sendsTo(ClusterNode node) {
        return node.query("SELECT coalesce(string_agg(application_name, ',' ORDER BY application_name), '') FROM"
                + " pg_stat_replication WHERE state = 'streaming'");
    }

    private static void awaitRows(ClusterNode node, String count) {
        Waits.until(node.name() + " to read " + count + " rows", Duration.ofSeconds(30),
                () -> !"0".equals(node.query("SELECT count(*) FROM pg_class WHERE relname = 'cascade'"))
                        && count.equals(node.query("SELECT count(*) FROM cascade")));
    }

    @Test
    void aCascadeStreamsThroughItsUpstreamAndOperationsKeepTheTree() {
        try (ReplicationCluster cluster = ReplicationCluster.builder().postgresMajor(major()).standbys(3)
                .streamingFrom("standby2", "standby1").streamingFrom("standby3", "standby1").start()) {
            ClusterNode primary = cluster.primary();
            ClusterNode one = cluster.standby("standby1");
            ClusterNode two = cluster.standby("standby2");
            ClusterNode three = cluster.standby("standby3");

            // 1. Rows written on the primary are read at the end of the cascade; the slots live on standby1.
            primary.query("CREATE TABLE cascade (n int)");
            primary.query("INSERT INTO cascade SELECT generate_series(1, 1000)");
            awaitRows(two, "1000");
            awaitRows(three, "1000");
            assertThat(sendsTo(one)).as("standby1 sends to both").isEqualTo("standby2,standby3");
            assertThat(sendsTo(primary)).as("the primary to standby1 alone").isEqualTo("standby1");
            assertThat(one.query("SELECT string_agg(slot_name || ':' || active, ',' ORDER BY slot_name) FROM"
                    + " pg_replication_slots")).as("their slots are on their upstream, in use")
                    .isEqualTo("standby2_slot:true,standby3_slot:true");
            assertThat(primary.query("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM"
                    + " pg_replication_slots")).as("none for them on the primary").isEqualTo("standby1_slot");
            String oneAddress = senderOf(two);
            ReplicationStatus status = cluster.replication().status();
            ReplicationStatus.StandbyStatus s2 = status.standby("standby2").orElseThrow();
            assertThat(s2.streaming()).as("%s", status.toTable()).isTrue();
            assertThat(s2.upstream()).isEqualTo("standby1");
            assertThat(s2.depth()).isEqualTo(2);
            assertThat(status.toTable()).contains("(streams from standby1, depth 2)");
            NodeStatus node2 = cluster.replication().nodeStatus().stream().filter(n -> n.name().equals("standby2"))
                    .findFirst().orElseThrow();
            assertThat(node2.depth()).isEqualTo(2);
            assertThat(node2.upstream()).as("the host it streams from").isEqualTo(oneAddress);
            assertThat(node2.toString()).contains("standby2: standby of " + oneAddress + " (depth 2)");
            assertThat(cluster.replication().apply().changed()).as("a second apply() changes nothing").isFalse();

            // 2. A switchover to standby1 keeps standby2 and standby3 on it: neither is re-pointed.
            cluster.switchover(Switchover.to("standby1"));
            one.query("INSERT INTO cascade SELECT generate_series(1001, 1100)");
            awaitRows(two, "1100");
            awaitRows(primary, "1100");
            assertThat(senderOf(two)).as("standby2 still streams from standby1").isEqualTo(oneAddress);
            assertThat(sendsTo(one)).isEqualTo("primary,standby2,standby3");

            // 3. Back to the primary: they cascade from standby1 again, whose slots for them were kept.
            cluster.switchover(Switchover.to("primary"));
            primary.query("INSERT INTO cascade SELECT generate_series(1101, 1200)");
            awaitRows(three, "1200");
            Waits.until("standby1 to send to standby2 and standby3 again", Duration.ofSeconds(30),
                    () -> "standby2,standby3".equals(sendsTo(one)));
            assertThat(sendsTo(primary)).isEqualTo("standby1");

            // 3b. A switchover to standby2, at the end of the cascade: standby1 streamed from the old primary, so it
            // is re-pointed at standby2 (as the old primary is), standby3 stays on standby1, and standby2's slot on
            // standby1 goes. Then back to the primary: standby1 follows it, standby3 stays on standby1, standby2
            // (a standby again) streams from the primary.
            cluster.switchover(Switchover.to("standby2"));
            assertThat(sendsTo(two)).isEqualTo("primary,standby1");
            assertThat(senderOf(three)).isEqualTo(oneAddress);
            assertThat(one.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'standby2_slot'"))
                    .isEqualTo("0");
            cluster.switchover(Switchover.to("primary"));
            primary.query("INSERT INTO cascade SELECT generate_series(1201, 1250)");
            awaitRows(three, "1250");
            awaitRows(two, "1250");
            assertThat(sendsTo(primary)).isEqualTo("standby1,standby2");
            assertThat(sendsTo(one)).isEqualTo("standby3");

            // 4. Removing standby1 is refused while standbys stream from it.
            assertThatThrownBy(() -> cluster.removeStandby("standby1", false))
                    .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.HAS_STANDBYS))
                    .hasMessageContaining("[standby3] streams from standby1")
                    .hasMessageContaining("Remove.standby(\"standby1\").withStandbysRepointed(true)");

            // 5. A failover to standby1 keeps standby3 on it; standby2 follows it.
            primary.host().run(Command.of("pg_ctl", "-D", primary.dataDirectory(), "-w", "stop", "-m", "immediate"));
            cluster.failover(Failover.to("standby1"));
            one.query("INSERT INTO cascade SELECT generate_series(1251, 1300)");
            awaitRows(two, "1300");
            awaitRows(three, "1300");
            assertThat(senderOf(three)).as("a failover to its upstream keeps it there").isEqualTo(oneAddress);
            assertThat(sendsTo(one)).isEqualTo("standby2,standby3");

            // 6. A switchover to standby2: standby1 (the old primary) streams from it, standby3 stays on standby1,
            // and standby2's slot on standby1 goes.
            cluster.switchover(Switchover.to("standby2"));
            two.query("INSERT INTO cascade SELECT generate_series(1301, 1400)");
            awaitRows(one, "1400");
            awaitRows(three, "1400");
            assertThat(sendsTo(two)).isEqualTo("standby1");
            assertThat(senderOf(three)).as("standby3 cascades from standby1, a standby now").isEqualTo(oneAddress);
            assertThat(one.query("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots"))
                    .as("standby3's slot kept, the promoted standby2's dropped").isEqualTo("standby3_slot");
            ReplicationStatus last = cluster.replication().status();
            assertThat(last.standby("standby3").orElseThrow().upstream()).as("%s", last.toTable())
                    .isEqualTo("standby1");
            assertThat(last.standby("standby3").orElseThrow().streaming()).isTrue();

            // 7. Removing standby1 with its standbys re-pointed: standby3 streams from standby2 (standby1's upstream)
            // through a slot there before standby1 stops.
            OperationResult removed = cluster.remove(Remove.standby("standby1").withStop(true)
                    .withStandbysRepointed(true));
            assertThat(removed.notes().get(0)).contains("[standby3] stream from standby2");
            assertThat(sendsTo(two)).isEqualTo("standby3");
            two.query("INSERT INTO cascade SELECT generate_series(1401, 1500)");
            awaitRows(three, "1500");
            ReplicationStatus.StandbyStatus s3 = cluster.replication().status().standby("standby3").orElseThrow();
            assertThat(s3.upstream()).isEqualTo("standby2");
            assertThat(s3.depth()).isEqualTo(1);
            assertThat(cluster.replication().topology().standbys()).containsExactly("standby3");
        }
    }
}
