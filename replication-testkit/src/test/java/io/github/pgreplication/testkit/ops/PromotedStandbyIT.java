package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Failover;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Resync;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;

/**
 * A standby promoted by mistake comes back by pg_rewind, on PostgreSQL 17; then, on the same cluster, a standby
 * promoted by mistake onto a timeline whose number the primary's history has, but which began elsewhere.
 */
class PromotedStandbyIT extends AbstractPromotedStandbyIT {
    @Override
    int major() {
        return 17;
    }

    /**
     * standby2 is promoted by mistake again (timeline N from timeline 1 at X), a row written on it, stopped. The real
     * failover then promotes standby1 onto a timeline N of its own (at Y, after X), the old primary rejoins it, and
     * a second failover (standby1 stopped cleanly; a switchover would wait for the stopped standby2 to stream) makes
     * the old primary the primary again on timeline N+1, whose history lists N. By number standby2's timeline is in
     * that history, and its WAL ends before the primary's switch point out of N; by its own history file it parted
     * at X. It is rewound from X, as pg_rewind itself says, and streams on the primary's timeline with the
     * primary's rows and without its own.
     */
    @Override
    void afterTheRewinds(ReplicationCluster cluster) {
        ClusterNode primary = cluster.node("primary");
        ClusterNode standby1 = cluster.node("standby1");
        ClusterNode standby2 = cluster.node("standby2");
        Lsn mistake = promoteByMistake(standby2, 4000);
        int number = standby2.timeline();
        standby2.stop();
        primary.query("INSERT INTO t VALUES (1002, 'primary, while standby2 was promoted again')");

        primary.stop();
        OperationResult failover = cluster.failover(Failover.to("standby1"));
        System.out.println(failover.summary());
        assertThat(standby1.timeline()).as("standby1's timeline has standby2's number").isEqualTo(number);
        Lsn real = switchpoint(standby1, number);
        assertThat(real).as("and began later, after the primary's row").isGreaterThan(mistake);
        // Megabytes on standby1's timeline: the switch point out of it is then far past where standby2's WAL ends.
        standby1.query("CREATE TABLE filler AS SELECT g FROM generate_series(1, 30000) g");
        assertThat(cluster.rejoin("primary").notes()).as("the old primary on timeline 1: no history of its own")
                .singleElement().asString().contains("no rewind was needed");
        standby1.stop();
        System.out.println(cluster.failover(Failover.to("primary")).summary());
        assertThat(primary.timeline()).isEqualTo(number + 1);
        Lsn out = switchpoint(primary, number + 1);
        assertThat(out).as("the primary's history lists timeline %d, begun at %s", number, real).isGreaterThan(real);

        String reason = "promoted on its own: timeline " + number + " branched off timeline 1 at " + mistake
                + ", the primary left timeline 1 at " + real + " for timeline " + number + ": they diverged at "
                + mistake + " (its timeline " + number + " began at " + mistake + ", the primary's timeline " + number
                + " at " + real + ": the same number, two timelines)";
        assertThat(cluster.replication().plan(Resync.node("standby2")).toRunbook()).as("resync decides the same")
                .contains("Re-sync standby standby2 from primary: pg_rewind: " + reason + ", its WAL ends at ");
        OperationResult rejoin = cluster.rejoin("standby2");
        System.out.println(rejoin.summary());
        assertThat(step(rejoin, "decide").detail()).as(rejoin.summary()).isEqualTo(reason + ", its WAL ends at "
                + rejoin.discarded().orElseThrow().to() + ": pg_rewind");
        assertThat(rejoin.discarded().get().from()).as("from where the histories part, not from %s", out)
                .isEqualTo(mistake);
        assertThat(step(rejoin, "pg_rewind").status()).isEqualTo(StepOutcome.Status.APPLIED);
        assertThat(step(rejoin, "pg_rewind").detail()).as("pg_rewind found the same point")
                .contains("servers diverged at WAL location " + mistake + " on timeline 1");
        assertThat(step(rejoin, "re-clone").status()).isEqualTo(StepOutcome.Status.ALREADY_DONE);

        cluster.awaitReplication();
        assertThat(Ops.senderHost(standby2)).as("standby2 streams from the primary").isEqualTo("primary streaming");
        assertThat(standby2.timeline()).as("on the primary's timeline").isEqualTo(number + 1);
        assertThat(standby2.query("SELECT count(*) FILTER (WHERE id = 4000), string_agg(v, ',' ORDER BY id) FILTER"
                + " (WHERE id >= 1000) FROM t")).as("the primary's rows, not the one written while promoted")
                .isEqualTo("0|" + primary.query("SELECT string_agg(v, ',' ORDER BY id) FROM t WHERE id >= 1000"));
        assertThat(standby2.query("SELECT count(*) FROM filler")).as("and what standby1 wrote").isEqualTo("30000");
    }
}
