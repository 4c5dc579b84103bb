package io.github.pgreplication.testkit;

import io.github.pgreplication.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.stream.Collectors;

/**
 * A ledger of acknowledged writes: writer threads insert numbered rows into a table of their own, through the
 * cluster's multi-host primary URL (so they follow the primary through switchovers and failovers), and record every
 * id whose commit returned success, every error, and the longest stretch without a successful commit. After any
 * sequence of faults and operations, {@link #verify()} reads the table on the primary and on every standby and reports
 * acknowledged ids missing there (Jepsen's "acknowledged but lost"), ids present but never acknowledged (their commit
 * was in flight when the connection broke: allowed), and ids present twice.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.start(cluster, 2)) {
 *     ledger.awaitAcknowledged(100, Duration.ofSeconds(10));
 *     cluster.primary().kill9();
 *     cluster.failover(Failover.toMostAdvanced());
 *     ledger.awaitAcknowledged(100, Duration.ofSeconds(10));     // writes go on, on the new primary
 *     Report report = ledger.verify();
 *     assertThat(report.lostOnPrimary()).isEmpty();
 * }
 * }</pre>
 *
 * <p>Each writer has one connection at a time, with no socket timeout: a commit waiting for a synchronous standby
 * waits, as the application's would. {@link #stop()} aborts such a connection after a grace of 2 s; its commit
 * counts as not acknowledged.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final ReplicationCluster cluster;
    private final String table;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Set<Long> sent = ConcurrentHashMap.newKeySet();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong errorCount = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong longestOutage = new AtomicLong();
    private final List<Writer> writers = new ArrayList<>();
    private final long started = System.nanoTime();
    private volatile long stopped;
    private volatile boolean running = true;

    private Ledger(ReplicationCluster cluster, int count) {
        this.cluster = cluster;
        this.table = "ledger_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = cluster.openPrimaryConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id bigint NOT NULL, writer int NOT NULL,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the ledger's table on the primary: " + e.getMessage(),
                    e);
        }
        lastSuccess.set(System.nanoTime());
        for (int i = 0; i < count; i++) {
            Writer w = new Writer(i);
            writers.add(w);
            w.thread.start();
        }
        LOG.info("ledger {}: {} writer(s) started", table, count);
    }

    /**
     * Creates the ledger's table on the primary and starts the writers.
     *
     * @param cluster the cluster to write to
     * @param writers how many writer threads, from 1 to 64
     * @return the running ledger; close it to stop the writers and drop its table
     */
    public static Ledger start(ReplicationCluster cluster, int writers) {
        Objects.requireNonNull(cluster, "cluster");
        if (writers < 1 || writers > 64) {
            throw new IllegalArgumentException("writers must be from 1 to 64, got " + writers);
        }
        return new Ledger(cluster, writers);
    }

    /** @return the table the writers insert into, in the {@code postgres} database */
    public String table() {
        return table;
    }

    /** @return how many commits returned success so far */
    public long acknowledged() {
        return acknowledged.size();
    }

    /**
     * Waits until {@code count} more commits than now returned success.
     *
     * @param count   how many more
     * @param timeout how long to wait
     * @throws IllegalStateException when they did not within the timeout, naming the last errors
     */
    public void awaitAcknowledged(long count, Duration timeout) {
        long target = acknowledged() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ledger " + table + ": " + (target - acknowledged()) + " of " + count
                        + " writes still unacknowledged after " + timeout.toMillis() + " ms; last errors: "
                        + lastErrors(3));
            }
            pause(5);
        }
    }

    /**
     * Stops the writers: each finishes its current commit, or, when that has not returned within 2 s (it waits for a
     * synchronous standby), has its connection aborted. Does nothing the second time.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Writer w : writers) {
            w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        for (Writer w : writers) {
            if (w.thread.isAlive()) {
                w.abort();
                w.join(5_000);
            }
        }
        stopped = System.nanoTime();
    }

    /**
     * Stops the writers, then reads the table on the current primary and on every standby (each first waits up to
     * 30 s to replay the primary's current position; one that cannot is reported unavailable) and compares what it
     * holds with what was acknowledged.
     *
     * @return the report
     */
    public Report verify() {
        stop();
        ClusterNode primary = cluster.primary();
        Map<Long, Integer> onPrimary = read(primary);
        Lsn target = cluster.replication().currentLsn();
        Map<String, SortedSet<Long>> lostOnStandbys = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (ClusterNode s : cluster.standbys()) {
            try {
                awaitReplay(s, target, Duration.ofSeconds(30));
                lostOnStandbys.put(s.name(), missing(read(s)));
            } catch (RuntimeException e) {
                unavailable.put(s.name(), String.valueOf(e.getMessage()));
            }
        }
        SortedSet<Long> indeterminate = new TreeSet<>();
        SortedSet<Long> duplicates = new TreeSet<>();
        SortedSet<Long> unexpected = new TreeSet<>();
        onPrimary.forEach((id, n) -> {
            if (n > 1) {
                duplicates.add(id);
            }
            if (!acknowledged.contains(id)) {
                (sent.contains(id) ? indeterminate : unexpected).add(id);
            }
        });
        List<Long> latencies = new ArrayList<>();
        writers.forEach(w -> latencies.addAll(w.latencies));
        Collections.sort(latencies);
        double seconds = Math.max(1e-9, (stopped - started) / 1e9);
        return new Report(table, primary.name(), acknowledged.size(), sent.size(), errorCount.get(),
                lastErrors(5), Duration.ofNanos(longestOutage.get()), percentile(latencies, 50),
                percentile(latencies, 99), acknowledged.size() / seconds, missing(onPrimary), lostOnStandbys,
                unavailable, indeterminate, duplicates, unexpected);
    }

    private SortedSet<Long> missing(Map<Long, Integer> present) {
        SortedSet<Long> out = new TreeSet<>();
        acknowledged.forEach(id -> {
            if (!present.containsKey(id)) {
                out.add(id);
            }
        });
        return out;
    }

    private Map<Long, Integer> read(ClusterNode node) {
        Map<Long, Integer> out = new HashMap<>();
        try (Connection c = node.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                out.merge(rs.getLong(1), 1, Integer::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read ledger " + table + " on " + node.name() + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    private static void awaitReplay(ClusterNode standby, Lsn target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try (Connection c = standby.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    String replayed = rs.getString(2);
                    if (rs.getBoolean(1) && replayed != null && Lsn.parse(replayed).isAtOrAfter(target)) {
                        return;
                    }
                    last = "in recovery " + rs.getBoolean(1) + ", replayed " + replayed;
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("has not replayed " + target + " after " + timeout.toSeconds()
                        + " s (" + last + ")");
            }
            pause(20);
        }
    }

    private static Duration percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1);
        return Duration.ofNanos(sorted.get(Math.max(0, i)));
    }

    private List<String> lastErrors(int n) {
        List<String> all = new ArrayList<>(errors);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    private void succeeded(long id, long at) {
        acknowledged.add(id);
        long previous = lastSuccess.getAndSet(at);
        longestOutage.accumulateAndGet(at - previous, Math::max);
    }

    private void failed(SQLException e) {
        errorCount.incrementAndGet();
        if (errors.size() < 50) {
            errors.add(e.getSQLState() + ": " + e.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the writers and drops the ledger's table (best effort). */
    @Override
    public void close() {
        stop();
        try (Connection c = cluster.openPrimaryConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ledger {}: could not drop its table: {}", table, e.getMessage());
        }
    }

    /** One writer thread and its connection. */
    private final class Writer implements Runnable {
        private final int number;
        private final Thread thread;
        private final List<Long> latencies = new ArrayList<>();
        private volatile Connection connection;

        Writer(int number) {
            this.number = number;
            this.thread = new Thread(this, table + "-writer-" + number);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                if (connection == null && !connect()) {
                    continue;
                }
                long id = nextId.getAndIncrement();
                long t0 = System.nanoTime();
                try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + table
                        + " (id, writer) VALUES (?, ?)")) {
                    st.setLong(1, id);
                    st.setInt(2, number);
                    sent.add(id);
                    st.executeUpdate();
                    long t1 = System.nanoTime();
                    latencies.add(t1 - t0);
                    succeeded(id, t1);
                } catch (SQLException e) {
                    failed(e);
                    closeConnection();
                    pause(20);
                }
            }
            closeConnection();
        }

        private boolean connect() {
            try {
                connection = cluster.openPrimaryConnection();
                return true;
            } catch (SQLException e) {
                failed(e);
                pause(50);
                return false;
            }
        }

        private void closeConnection() {
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.trace("closing a ledger connection", e);
                }
            }
        }

        void abort() {
            Connection c = connection;
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException e) {
                    LOG.debug("aborting a ledger connection", e);
                }
            }
        }

        void join(long millis) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a {@link Ledger} found: what was acknowledged, and what the primary and each standby hold of it.
     *
     * @param table           the ledger's table
     * @param primary         the node that was the primary when it was read
     * @param acknowledged    how many commits returned success
     * @param sent            how many inserts were sent (acknowledged, failed, or in flight when a connection broke)
     * @param errors          how many statements or connections failed
     * @param lastErrors      the last few errors, SQLSTATE first
     * @param longestOutage   the longest stretch during which no commit returned success
     * @param commitP50       median time from sending an insert to its acknowledgement
     * @param commitP99       99th percentile of it
     * @param commitsPerSecond acknowledged commits per second over the ledger's run
     * @param lostOnPrimary   acknowledged ids the primary does not hold: acknowledged but lost
     * @param lostOnStandbys  per standby that could be read, acknowledged ids it does not hold
     * @param unavailable     per standby that could not be read, why (down, not replaying)
     * @param indeterminate   ids the primary holds whose commit was sent but never acknowledged (in flight when the
     *                        connection broke): allowed
     * @param duplicates      ids the primary holds more than once
     * @param unexpected      ids the primary holds that were never sent: a defect, of the ledger or of the database
     */
    public record Report(String table, String primary, long acknowledged, long sent, long errors,
            List<String> lastErrors, Duration longestOutage, Duration commitP50, Duration commitP99,
            double commitsPerSecond, SortedSet<Long> lostOnPrimary, Map<String, SortedSet<Long>> lostOnStandbys,
            Map<String, String> unavailable, SortedSet<Long> indeterminate, SortedSet<Long> duplicates,
            SortedSet<Long> unexpected) {

        /**
         * Copies the collections.
         *
         * @param table           the ledger's table
         * @param primary         the node that was the primary when it was read
         * @param acknowledged    how many commits returned success
         * @param sent            how many inserts were sent (acknowledged, failed, or in flight when a connection
         *                        broke)
         * @param errors          how many statements or connections failed
         * @param lastErrors      the last few errors, SQLSTATE first
         * @param longestOutage   the longest stretch during which no commit returned success
         * @param commitP50       median time from sending an insert to its acknowledgement
         * @param commitP99       99th percentile of it
         * @param commitsPerSecond acknowledged commits per second over the ledger's run
         * @param lostOnPrimary   acknowledged ids the primary does not hold: acknowledged but lost
         * @param lostOnStandbys  per standby that could be read, acknowledged ids it does not hold
         * @param unavailable     per standby that could not be read, why (down, not replaying)
         * @param indeterminate   ids the primary holds whose commit was sent but never acknowledged (in flight when the
         *                        connection broke): allowed
         * @param duplicates      ids the primary holds more than once
         * @param unexpected      ids the primary holds that were never sent: a defect, of the ledger or of the database
         */
        public Report {
            lastErrors = List.copyOf(lastErrors);
            lostOnPrimary = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(lostOnPrimary));
            lostOnStandbys = Map.copyOf(lostOnStandbys);
            unavailable = Map.copyOf(unavailable);
            indeterminate = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(indeterminate));
            duplicates = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(duplicates));
            unexpected = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(unexpected));
        }

        /** @return how many acknowledged ids the primary lacks */
        public int lost() {
            return lostOnPrimary.size();
        }

        /**
         * @return whether nothing acknowledged is missing on the primary or on any standby that could be read, and no
         *         id is duplicated or unexpected
         */
        public boolean consistent() {
            return lostOnPrimary.isEmpty() && lostOnStandbys.values().stream().allMatch(SortedSet::isEmpty)
                    && duplicates.isEmpty() && unexpected.isEmpty();
        }

        /** @return one line: the counts, then what is missing where */
        public String summary() {
            return "ledger " + table + " on " + primary + ": " + acknowledged + " acknowledged of " + sent + " sent, "
                    + errors + " errors, " + lostOnPrimary.size() + " acknowledged but lost" + (lostOnPrimary.isEmpty()
                    ? "" : " " + sample(lostOnPrimary)) + ", " + indeterminate.size() + " indeterminate, "
                    + duplicates.size() + " duplicated, longest outage " + longestOutage.toMillis() + " ms, commit p50 "
                    + micros(commitP50) + " p99 " + micros(commitP99) + ", " + Math.round(commitsPerSecond)
                    + " commits/s; standbys " + lostOnStandbys.entrySet().stream().map(e -> e.getKey() + " missing "
                    + e.getValue().size()).collect(Collectors.joining(", ")) + (unavailable.isEmpty() ? ""
                    : "; unavailable " + unavailable.keySet());
        }

        private static String sample(SortedSet<Long> ids) {
            return ids.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ", "[", ids.size() > 10
                    ? ", ...]" : "]"));
        }

        private static String micros(Duration d) {
            return (d.toNanos() / 1000) + " us";
        }

        @Override
        public String toString() {
            return summary();
        }
    }
}
