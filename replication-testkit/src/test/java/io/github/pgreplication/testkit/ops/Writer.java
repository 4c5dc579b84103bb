package io.github.pgreplication.testkit.ops;

import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A client that inserts rows through PgJDBC's multi-host URL with {@code targetServerType=primary}, reconnecting
 * after errors, and records every id whose INSERT returned success: what the application was told is stored.
 */
final class Writer implements AutoCloseable {
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile int errors;

    Writer(ReplicationCluster cluster) {
        String hosts = cluster.nodes().stream().map(n -> n.endpoint().host() + ":" + n.endpoint().port())
                .collect(Collectors.joining(","));
        String url = "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&connectTimeout=2"
                + "&socketTimeout=10&hostRecheckSeconds=0";
        Properties props = new Properties();
        ClusterNode any = cluster.primary();
        props.setProperty("user", any.username());
        props.setProperty("password", any.password().reveal().orElseThrow());
        thread = new Thread(() -> {
            int next = 1;
            while (running.get()) {
                try (Connection c = DriverManager.getConnection(url, props);
                        PreparedStatement ps = c.prepareStatement("INSERT INTO acked (id) VALUES (?)")) {
                    while (running.get()) {
                        ps.setInt(1, next);
                        ps.executeUpdate();
                        acknowledged.add(next);
                        next++;
                    }
                } catch (SQLException e) {
                    errors++;
                    next++; // an INSERT that failed may or may not have committed: never reuse its id
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "writer");
        thread.start();
    }

    Set<Integer> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    int errors() {
        return errors;
    }

    void awaitRows(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (acknowledged.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    static List<Integer> ids(ClusterNode node) {
        String out = node.query("SELECT string_agg(id::text, ',' ORDER BY id) FROM acked");
        return out.isEmpty() ? List.of() : java.util.Arrays.stream(out.split(",")).map(Integer::valueOf).toList();
    }
}
