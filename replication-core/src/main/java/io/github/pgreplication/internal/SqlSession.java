package io.github.pgreplication.internal;

import java.util.List;
import java.util.Optional;

/**
 * Statements sent to one server during apply(): the primary's JDBC connections ({@link Db}), or a standby's, reached
 * through JDBC or through {@code psql} on its host ({@link StandbyProbe#session()}), where the parameters are written
 * into the statement as quoted literals.
 */
public interface SqlSession {
    /**
     * @param sql    a query returning one value, its parameters as {@code ?}
     * @param params bound parameters: text or numbers
     * @return the first column of the first row
     */
    Optional<String> queryValue(String sql, Object... params);

    /**
     * @param sql    a query, its parameters as {@code ?}
     * @param params bound parameters: text or numbers
     * @return every row, columns as text
     */
    List<List<String>> queryRows(String sql, Object... params);

    /** @return whether values that span lines come back whole (JDBC; psql's unaligned output splits them) */
    default boolean multiLineValues() {
        return true;
    }
}
