package io.github.pgreplication.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Resync;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import org.junit.jupiter.api.Test;

/**
 * A standby promoted by mistake (split brain: {@code SELECT pg_promote()} on it, rows written on its own timeline,
 * then stopped) comes back by pg_rewind, through {@code resync} and through {@code rejoin}: its timeline branched off
 * the primary's, which continues, and the test cluster's standbys may not be cloned again (no permission to
 * overwrite their data directories), so only a rewind can bring it back. It then streams on the primary's timeline
 * with the primary's rows and without its own, and a relation file nobody wrote since before the split is the same
 * file, not written again (a re-clone writes every file). A marker file in the data directory's root would prove
 * nothing: pg_rewind removes files the primary does not have (tried: it was gone). Run on each supported major by a
 * subclass.
 */
abstract class AbstractPromotedStandbyIT {
    abstract int major();

    @Test
    void aStandbyPromotedOnItsOwnIsRewoundByResyncAndByRejoin() {
        try (ReplicationCluster cluster = ReplicationCluster.builder().postgresMajor(major()).standbys(2).start()) {
            ClusterNode primary = cluster.primary();
            primary.query("CREATE TABLE t (id int PRIMARY KEY, v text)");
            primary.query("INSERT INTO t SELECT g, 'before' FROM generate_series(1, 100) g");
            // A table nobody writes after this (frozen and analysed: no vacuum rewrites it), then a checkpoint that
            // both standbys replay: the rewind's recovery starts after it.
            primary.query("CREATE TABLE untouched AS SELECT g FROM generate_series(1, 20000) g");
            primary.query("VACUUM (FREEZE, ANALYZE) untouched");
            primary.query("CHECKPOINT");
            cluster.awaitReplication();
            String relation = primary.query("SELECT pg_relation_filepath('untouched')");

            ClusterNode standby2 = cluster.standby("standby2");
            Lsn branch2 = promoteByMistake(standby2, 2000);
            primary.query("INSERT INTO t VALUES (1000, 'primary, while standby2 was promoted')");
            String inode2 = inode(standby2, relation);
            String since2 = stoppedWithReference(standby2);

            String runbook = cluster.replication().plan(Resync.node("standby2")).toRunbook();
            assertThat(runbook).as("the plan says which way and why").contains("Re-sync standby standby2 from"
                    + " primary: pg_rewind: promoted on its own: timeline 2 branched off timeline 1 at " + branch2
                    + ", the primary's timeline 1 continues", "pg_rewind --target-pgdata=");
            OperationResult resync = cluster.replication().resync(Resync.node("standby2"));
            System.out.println(resync.summary());
            assertThat(step(resync, "decide").detail()).as(resync.summary())
                    .isEqualTo("needs a re-sync: it does not answer");
            assertThat(step(resync, "pg_rewind").status()).as(resync.summary())
                    .isEqualTo(StepOutcome.Status.APPLIED);
            assertThat(step(resync, "pg_rewind").detail()).as("pg_rewind found the same point")
                    .contains("servers diverged at WAL location " + branch2 + " on timeline 1");
            assertThat(step(resync, "re-sync in place or clone again").status()).as("no clone")
                    .isEqualTo(StepOutcome.Status.ALREADY_DONE);
            assertThat(resync.discarded()).as("from where it branched off to the end of its WAL").isPresent();
            assertThat(resync.discarded().get().from()).isEqualTo(branch2);
            assertThat(resync.discarded().get().bytes()).as("at least its own rows").isPositive();
            assertThat(resync.notes()).singleElement().asString().startsWith("standby2 was re-synced from primary"
                    + " (it does not answer): pg_rewind (WAL " + branch2 + " to ");
            assertBack(cluster, standby2, relation, inode2, since2, 2000);

            // rejoin, on the other standby: the same split brain.
            ClusterNode standby1 = cluster.standby("standby1");
            Lsn branch1 = promoteByMistake(standby1, 3000);
            primary.query("INSERT INTO t VALUES (1001, 'primary, while standby1 was promoted')");
            String inode1 = inode(standby1, relation);
            String since1 = stoppedWithReference(standby1);
            OperationResult rejoin = cluster.rejoin("standby1");
            System.out.println(rejoin.summary());
            assertThat(step(rejoin, "decide").detail()).as(rejoin.summary()).isEqualTo("promoted on its own:"
                    + " timeline 2 branched off timeline 1 at " + branch1 + ", the primary's timeline 1 continues,"
                    + " its WAL ends at " + rejoin.discarded().orElseThrow().to() + ": pg_rewind");
            assertThat(step(rejoin, "pg_rewind").status()).isEqualTo(StepOutcome.Status.APPLIED);
            assertThat(step(rejoin, "re-clone").status()).isEqualTo(StepOutcome.Status.ALREADY_DONE);
            assertThat(rejoin.discarded().get().from()).isEqualTo(branch1);
            assertThat(rejoin.notes()).singleElement().asString().startsWith("pg_rewind discarded WAL " + branch1);
            assertBack(cluster, standby1, relation, inode1, since1, 3000);
            assertThat(standby2.query("SELECT count(*) FROM t")).as("standby2 still follows").isEqualTo("102");
            afterTheRewinds(cluster);
        }
    }

    /**
     * More on the same cluster, once both standbys stream on timeline 1 again; nothing by default.
     *
     * @param cluster the cluster, its primary on timeline 1 and both standbys streaming from it
     */
    void afterTheRewinds(ReplicationCluster cluster) {
    }

    /**
     * Promotes the standby by hand and writes a row on it, as a person would by mistake.
     *
     * @return where its new timeline branched off, from its own history file
     */
    static Lsn promoteByMistake(ClusterNode standby, int id) {
        assertThat(standby.query("SELECT pg_promote()")).isEqualTo("t");
        standby.query("INSERT INTO t VALUES (" + id + ", 'written on " + standby.name() + " while promoted')");
        assertThat(standby.timeline()).as("its own timeline").isGreaterThan(1);
        return switchpoint(standby, standby.timeline());
    }

    /** @return where the node's timeline {@code timeline} began, from the last line of its history file */
    static Lsn switchpoint(ClusterNode node, int timeline) {
        String history = node.host().readFile(String.format("%s/pg_wal/%08X.history", node.dataDirectory(),
                timeline)).orElseThrow().strip();
        return Lsn.parse(history.substring(history.lastIndexOf('\n') + 1).split("\\s+")[1]);
    }

    /** Stops the node, then marks the time: a file written after the mark is newer than the reference file. */
    private static String stoppedWithReference(ClusterNode node) {
        node.stop();
        String reference = node.dataDirectory() + ".before-resync";
        node.host().run(Command.of("touch", reference));
        return reference;
    }

    private static String inode(ClusterNode node, String relation) {
        return node.host().run(Command.of("ls", "-i", node.dataDirectory() + "/" + relation)).stdout().strip()
                .split("\\s+")[0];
    }

    private static void assertBack(ReplicationCluster cluster, ClusterNode node, String relation, String inode,
            String reference, int marker) {
        cluster.awaitReplication();
        ClusterNode primary = cluster.primary();
        assertThat(Ops.senderHost(node)).as("%s streams from the primary again", node.name())
                .isEqualTo("primary streaming");
        assertThat(node.timeline()).as("on the primary's timeline").isEqualTo(primary.timeline()).isEqualTo(1);
        assertThat(node.query("SELECT count(*) FILTER (WHERE id = " + marker + "), string_agg(v, ',' ORDER BY id)"
                + " FILTER (WHERE id >= 1000) FROM t")).as("the primary's rows, not the one written while promoted")
                .isEqualTo("0|" + primary.query("SELECT string_agg(v, ',' ORDER BY id) FROM t WHERE id >= 1000"));
        assertThat(node.query("SELECT count(*) FROM untouched")).isEqualTo("20000");
        assertThat(inode(node, relation)).as("the same file: its data directory was not emptied").isEqualTo(inode);
        assertThat(node.host().run(Command.of("find", node.dataDirectory() + "/" + relation, "-newer", reference))
                .stdout()).as("and not written again, as a clone would").isEmpty();
    }

    static StepOutcome step(OperationResult result, String title) {
        return result.steps().stream().filter(s -> s.title().startsWith(title)).findFirst().orElseThrow(
                () -> new AssertionError("no step '" + title + "' in\n" + result.summary()));
    }
}
