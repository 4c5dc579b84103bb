package io.github.pgreplication.samples.bench;

import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay lag at the end of a cascade of depth 2 against depth 1, under the same write load, in one run: a test
 * cluster (PostgreSQL 17, non-durable) of a primary, standby1 streaming from it and standby2 streaming from standby1
 * ({@code Standby...streamingFrom}). A writer on the primary inserts rows of about 100 bytes in transactions of 1000,
 * one every 50 ms (20,000 rows/s, about 3 MB/s of WAL: a steady load that leaves CPU to replay on 2 cores; a second
 * argument changes the pause, 0 for none); meanwhile, every 200 ms, a marker row is committed on the primary and both standbys are polled (one
 * thread each, a query per round trip) until they see it (the marker's session commits with synchronous_commit
 * local, so its WAL is flushed, and sent, at once; test clusters otherwise commit asynchronously): the time from the commit's return to the row's visibility
 * is that standby's replay lag for the marker, both measured on the same marker. Also printed: the lag in bytes
 * status() reports for each, sampled with the markers, and the writer's rate. Run with
 * {@code scripts/run-benchmarks.sh cascade [rounds] [pause ms]} (default 5 rounds of 25 markers, one untimed round
 * first).
 */
public final class CascadeBenchmark {
    private static final int MARKERS = 25;

    private CascadeBenchmark() {
    }

    /**
     * @param args optional number of rounds (default 5)
     * @throws Exception when a connection or a query fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long pause = args.length > 1 ? Long.parseLong(args[1]) : 50;
        Stats depth1 = new Stats();
        Stats depth2 = new Stats();
        Stats extra = new Stats();
        Stats bytes1 = new Stats();
        Stats bytes2 = new Stats();
        try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2)
                .streamingFrom("standby2", "standby1").start()) {
            ClusterNode primary = cluster.primary();
            primary.query("CREATE TABLE load (id bigserial, payload text)");
            primary.query("CREATE TABLE marks (id int PRIMARY KEY)");
            cluster.awaitReplication();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong rows = new AtomicLong();
            Thread writer = new Thread(() -> write(primary, writing, rows, pause), "load-writer");
            writer.start();
            try (Connection p = connect(primary); Connection s1 = connect(cluster.standby("standby1"));
                    Connection s2 = connect(cluster.standby("standby2"))) {
                try (Statement st = p.createStatement()) {
                    // Test clusters commit asynchronously: the WAL writer would flush the marker up to 200 ms later,
                    // and a WAL sender sends only flushed WAL. The marker's commit flushes it.
                    st.execute("SET synchronous_commit = local");
                }
                int id = 0;
                for (int round = 0; round <= rounds; round++) {
                    long rowsBefore = rows.get();
                    long started = System.nanoTime();
                    Stats r1 = new Stats();
                    Stats r2 = new Stats();
                    for (int m = 0; m < MARKERS; m++) {
                        id++;
                        long[] lags = mark(p, s1, s2, id);
                        r1.add(lags[0]);
                        r2.add(lags[1]);
                        if (round > 0) {
                            depth1.add(lags[0]);
                            depth2.add(lags[1]);
                            extra.add(lags[1] - lags[0]);
                            ReplicationStatus st = cluster.replication().status();
                            bytes1.add(lagBytes(st, "standby1"));
                            bytes2.add(lagBytes(st, "standby2"));
                        }
                        Thread.sleep(200);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("%s round %d: depth 1 %s; depth 2 %s; writer %.0f rows/s; load %s%n",
                            round == 0 ? "untimed" : "timed", round, r1.toString("us"), r2.toString("us"),
                            (rows.get() - rowsBefore) / seconds, Load.now());
                }
            } finally {
                writing.set(false);
                writer.join();
            }
        }
        System.out.println();
        System.out.println("Replay lag under the same write load, " + rounds + " rounds of " + MARKERS + " markers:");
        System.out.println("  depth 1 (standby1 <- primary)        : " + summary(depth1));
        System.out.println("  depth 2 (standby2 <- standby1)       : " + summary(depth2));
        System.out.println("  depth 2 minus depth 1, same marker   : " + summary(extra));
        System.out.println("  lag in bytes, status(), depth 1 / 2  : " + bytes1.median() + " / " + bytes2.median());
        System.out.printf("  ratio of medians, depth 2 / depth 1  : %.2f%n", depth2.median() / (double) Math.max(1,
                depth1.median()));
    }

    /** @return median, 90th percentile, min, max and count, in microseconds */
    private static String summary(Stats s) {
        java.util.List<Long> v = new java.util.ArrayList<>(s.values());
        java.util.Collections.sort(v);
        return String.format("median %7d us, p90 %7d us (min %d, max %d, n=%d)", s.median(),
                v.get((int) Math.min(v.size() - 1, Math.round(0.9 * (v.size() - 1)))), v.get(0), v.get(v.size() - 1),
                v.size());
    }

    private static long lagBytes(ReplicationStatus st, String name) {
        Long b = st.standby(name).orElseThrow().lagBytes();
        return b == null ? -1 : b;
    }

    private static Connection connect(ClusterNode node) throws SQLException {
        Connection c = DriverManager.getConnection(node.jdbcUrl(), node.username(),
                node.password().reveal().orElse(""));
        c.setAutoCommit(true);
        return c;
    }

    /** Inserts without pause until told to stop; counts the rows committed. */
    private static void write(ClusterNode primary, AtomicBoolean writing, AtomicLong rows, long pause) {
        try (Connection c = connect(primary); Statement st = c.createStatement()) {
            while (writing.get()) {
                st.execute("INSERT INTO load (payload) SELECT repeat(md5(g::text), 3) FROM generate_series(1, 1000) g");
                rows.addAndGet(1000);
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException("the writer failed", e);
        }
    }

    /** @return microseconds from the marker's commit until each standby sees it: depth 1, depth 2 */
    private static long[] mark(Connection p, Connection s1, Connection s2, int id) throws Exception {
        try (PreparedStatement ins = p.prepareStatement("INSERT INTO marks VALUES (?)")) {
            ins.setInt(1, id);
            ins.executeUpdate();
        }
        long committed = System.nanoTime();
        long[] seen = new long[2];
        Thread t1 = new Thread(() -> seen[0] = awaitRow(s1, id, committed));
        Thread t2 = new Thread(() -> seen[1] = awaitRow(s2, id, committed));
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        return seen;
    }

    private static long awaitRow(Connection standby, int id, long committed) {
        try (PreparedStatement q = standby.prepareStatement("SELECT 1 FROM marks WHERE id = ?")) {
            q.setInt(1, id);
            long deadline = committed + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return (System.nanoTime() - committed) / 1000;
                    }
                }
            }
            throw new IllegalStateException("marker " + id + " not seen within 30 s");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
