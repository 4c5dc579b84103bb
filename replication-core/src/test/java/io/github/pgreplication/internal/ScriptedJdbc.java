package io.github.pgreplication.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A DataSource for unit tests of steps that query the primary: each SQL text is answered with scripted rows (text
 * columns), every statement is recorded, and an unscripted one fails the test. Real SQL is the integration tests'
 * job. The session set-up {@link Db} runs around a caller's connection is answered by itself.
 */
final class ScriptedJdbc {
    private final Map<String, Supplier<List<List<String>>>> answers = new LinkedHashMap<>();
    final List<String> statements = Collections.synchronizedList(new ArrayList<>());

    /** @param sql exact text @param rows its answer, asked each time it runs @return this */
    ScriptedJdbc on(String sql, Supplier<List<List<String>>> rows) {
        answers.put(sql, rows);
        return this;
    }

    /** @param sql exact text @param value its one-row, one-column answer @return this */
    ScriptedJdbc value(String sql, String value) {
        return on(sql, () -> List.of(List.of(value)));
    }

    /** @return statements run, without the session set-up */
    List<String> run() {
        return statements.stream().filter(s -> !s.contains("set_config('synchronous_commit'")).toList();
    }

    Db db(String node) {
        return Db.of(node, proxy(DataSource.class, (p, m, a) -> switch (m.getName()) {
            case "getConnection" -> connection();
            default -> throw new UnsupportedOperationException(m.getName());
        }));
    }

    private Connection connection() {
        return proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "prepareStatement" -> statement((String) a[0]);
            case "setAutoCommit", "close" -> null;
            case "isClosed" -> false;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private PreparedStatement statement(String sql) {
        return proxy(PreparedStatement.class, (p, m, a) -> switch (m.getName()) {
            case "setString", "setObject", "close" -> null;
            case "executeQuery" -> {
                statements.add(sql);
                yield results(sql);
            }
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private ResultSet results(String sql) {
        List<List<String>> rows;
        if (sql.contains("set_config('synchronous_commit'")) {
            rows = List.of(List.of("on", "local"));
        } else if (answers.containsKey(sql)) {
            rows = answers.get(sql).get();
        } else {
            throw new AssertionError("unscripted SQL: " + sql);
        }
        int[] at = {-1};
        int columns = rows.isEmpty() ? 1 : rows.get(0).size();
        ResultSetMetaData meta = proxy(ResultSetMetaData.class, (p, m, a) -> switch (m.getName()) {
            case "getColumnCount" -> columns;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return proxy(ResultSet.class, (p, m, a) -> switch (m.getName()) {
            case "next" -> ++at[0] < rows.size();
            case "getString" -> rows.get(at[0]).get((Integer) a[0] - 1);
            case "getMetaData" -> meta;
            case "close" -> null;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(ScriptedJdbc.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
