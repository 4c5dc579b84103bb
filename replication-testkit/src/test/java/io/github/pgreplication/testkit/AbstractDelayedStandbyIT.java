package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Failover;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.Switchover;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A delayed standby ({@code Standby...withApplyDelay}) on real servers: a row is on the primary and the ordinary
 * standby at once, on the delayed one only after the delay; it is refused as a switchover or failover target; a
 * table dropped on the primary is read back from it by pausing its replay; and a replay up to a moment stops between
 * two commits, then resumes as a standby (not promoted).
 */
abstract class AbstractDelayedStandbyIT {
    private static final Duration DELAY = Duration.ofSeconds(4);

    abstract int major();

    @Test
    void aDelayedStandbyShowsThePastAndIsNeverPromoted() throws InterruptedException {
        try (ReplicationCluster cluster = ReplicationCluster.builder().postgresMajor(major()).standbys(2)
                .applyDelay("standby2", DELAY).start()) {
            ClusterNode primary = cluster.primary();
            ClusterNode plain = cluster.standby("standby1");
            ClusterNode delayed = cluster.standby("standby2");
            assertThat(delayed.query("SHOW recovery_min_apply_delay")).isEqualTo("4s");

            // 1. A row: on the ordinary standby at once, on the delayed one only after the delay.
            primary.query("CREATE TABLE kept (n int)");
            primary.query("INSERT INTO kept SELECT generate_series(1, 100)");
            Instant written = Instant.now();
            cluster.awaitReplication(); // waits for standby1 only
            assertThat(plain.query("SELECT count(*) FROM kept")).isEqualTo("100");
            assertThat(delayed.query("SELECT count(*) FROM pg_class WHERE relname = 'kept'"))
                    .as("not replayed yet on the delayed standby").isEqualTo("0");
            Waits.until("the delayed standby to replay the table", Duration.ofSeconds(20),
                    () -> "1".equals(delayed.query("SELECT count(*) FROM pg_class WHERE relname = 'kept'")));
            assertThat(Duration.between(written, Instant.now())).as("it came after the delay, not before")
                    .isGreaterThanOrEqualTo(DELAY.minusMillis(500));
            // The table and its rows are two commits, each replayed its delay after its own: the rows follow at once.
            Waits.until("the delayed standby to replay the rows", Duration.ofSeconds(5),
                    () -> "100".equals(delayed.query("SELECT count(*) FROM kept")));
            ReplicationStatus status = cluster.replication().status();
            assertThat(status.standby("standby2").orElseThrow().applyDelay()).isEqualTo(DELAY);
            assertThat(status.toTable()).contains("(delayed by 4000 ms on purpose");

            // 2. Never a switchover or failover target; nothing changed.
            assertThatThrownBy(() -> cluster.switchover(Switchover.to("standby2")))
                    .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.DELAYED))
                    .hasMessageContaining("Standby 'standby2' is a delayed standby")
                    .hasMessageContaining("Choose another standby ([standby1])");
            assertThatThrownBy(() -> cluster.replication().plan(Failover.to("standby2")))
                    .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.DELAYED));
            assertThat(primary.query("SELECT pg_is_in_recovery()")).as("the primary is still the primary")
                    .isEqualTo("f");

            // 3. A table dropped on the primary is read back from the delayed standby, paused in time. On a busy
            // primary, replay waits at an earlier commit, before the drop's lock: the insert just before is that
            // commit (PostgreSQL replays a lock at once, only commits wait for the delay).
            primary.query("CREATE TABLE traffic (n int)");
            Waits.until("the delayed standby to replay the traffic table", Duration.ofSeconds(20),
                    () -> "1".equals(delayed.query("SELECT count(*) FROM pg_class WHERE relname = 'traffic'")));
            primary.query("INSERT INTO traffic VALUES (1)");
            primary.query("DROP TABLE kept");
            cluster.replication().pauseReplay("standby2");
            Thread.sleep(DELAY.plusSeconds(1).toMillis());
            assertThat(plain.query("SELECT count(*) FROM pg_class WHERE relname = 'kept'")).isEqualTo("0");
            assertThat(delayed.query("SELECT count(*) FROM kept")).as("paused before the drop's delay ran out")
                    .isEqualTo("100");
            cluster.replication().resumeReplay("standby2");
            Waits.until("the drop to reach the delayed standby", Duration.ofSeconds(20),
                    () -> "0".equals(delayed.query("SELECT count(*) FROM pg_class WHERE relname = 'kept'")));

            // 4. Replay up to a moment: between two commits, then a standby again, delayed again.
            primary.query("CREATE TABLE moments (label text)");
            primary.query("INSERT INTO moments VALUES ('before')");
            Thread.sleep(200);
            Instant between = Instant.now();
            Thread.sleep(200);
            primary.query("INSERT INTO moments VALUES ('after')");
            cluster.replication().replayUpTo("standby2", between);
            assertThat(delayed.query("SELECT string_agg(label, ',') FROM moments"))
                    .as("everything committed up to the moment, nothing after").isEqualTo("before");
            cluster.replication().resumeReplay("standby2");
            assertThat(delayed.query("SELECT pg_is_in_recovery()")).as("resumed as a standby, not promoted")
                    .isEqualTo("t");
            assertThat(delayed.query("SHOW recovery_min_apply_delay")).as("the delay is back").isEqualTo("4s");
            assertThat(delayed.query("SHOW recovery_target_time")).as("the target is gone").isEmpty();
            Waits.until("the delayed standby to replay the later commit", Duration.ofSeconds(30),
                    () -> "before,after".equals(delayed.query("SELECT string_agg(label, ',' ORDER BY label DESC)"
                            + " FROM moments")));
            cluster.replication().awaitStreaming(Duration.ofSeconds(30));
        }
    }
}
