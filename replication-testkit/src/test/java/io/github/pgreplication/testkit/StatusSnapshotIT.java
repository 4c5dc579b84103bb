package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * status() under a writer's load is one snapshot: no standby or slot position is ahead of the reported primary
 * position, and the differences it reports are exactly the differences of the positions it reports.
 */
class StatusSnapshotIT {
    private static ReplicationCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ReplicationCluster.start(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyStatusUnderWriteLoadIsConsistentWithItself() throws Exception {
        try (Connection c = cluster.primary().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE load (id bigserial PRIMARY KEY, pad text)");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong batches = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = cluster.primary().dataSource().getConnection(); Statement st = c.createStatement()) {
                while (running.get()) {
                    st.execute("INSERT INTO load (pad) SELECT repeat('x', 500) FROM generate_series(1, 200)");
                    batches.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        List<ReplicationStatus> seen = new ArrayList<>();
        try {
            while (batches.get() < 5) {
                Thread.sleep(10);
            }
            for (int i = 0; i < 40; i++) {
                seen.add(cluster.replication().status());
                Thread.sleep(25);
            }
        } finally {
            running.set(false);
            writer.join();
        }
        int lagging = 0;
        for (ReplicationStatus status : seen) {
            Lsn primary = status.primaryLsn();
            assertThat(status.standbys()).hasSize(2);
            for (StandbyStatus s : status.standbys()) {
                assertThat(s.state()).as(s.name()).isEqualTo("streaming");
                assertThat(s.replayLsn()).as("replay position of %s", s.name()).isNotNull();
                assertThat(s.replayLsn()).as("%s replayed no further than the primary position in\n%s", s.name(),
                        status.toTable()).isLessThanOrEqualTo(primary);
                assertThat(s.sentLsn()).as("%s was sent no further than the primary position", s.name())
                        .isLessThanOrEqualTo(primary);
                assertThat(s.lagBytes()).as("lag of %s is primaryLsn - replayLsn of the same status", s.name())
                        .isEqualTo(primary.minus(s.replayLsn()));
                if (s.lagBytes() > 0) {
                    lagging++;
                }
            }
            assertThat(status.slots()).hasSize(2);
            for (SlotStatus slot : status.slots()) {
                assertThat(slot.restartLsn()).as(slot.name()).isNotNull().isLessThanOrEqualTo(primary);
                assertThat(slot.retainedBytes()).as("retained by %s is primaryLsn - restartLsn", slot.name())
                        .isEqualTo(primary.minus(slot.restartLsn()));
            }
        }
        assertThat(seen.get(seen.size() - 1).primaryLsn()).as("the writer moved the primary on during the calls")
                .isGreaterThan(seen.get(0).primaryLsn());
        System.out.println("standby statuses with a lag > 0: " + lagging + " of " + 2 * seen.size() + "; writer batches: "
                + batches.get() + "\n" + seen.get(seen.size() - 1).toTable());
    }
}
