package io.github.pgreplication.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Quoting for the statements PostgreSQL cannot take parameters in (ALTER SYSTEM, CREATE ROLE): executed text is
 * quoted with PgJDBC's own escaping; display text (runbooks) with the same rules, for a person to read.
 */
public final class SqlText {
    private SqlText() {
    }

    /**
     * @param c connection
     * @param identifier any text
     * @return it quoted as an identifier by the driver
     * @throws SQLException when the connection is not PgJDBC's, or the text has a zero byte (the driver refuses both)
     */
    public static String identifier(Connection c, String identifier) throws SQLException {
        return c.unwrap(PGConnection.class).escapeIdentifier(identifier);
    }

    /**
     * @param c       connection
     * @param literal any text
     * @return it as a string literal: the driver escapes the content (quotes doubled, and backslashes too when
     *         standard_conforming_strings is off), the quotes are added here
     * @throws SQLException when the connection is not PgJDBC's, or the text has a zero byte (the driver refuses both)
     */
    public static String literal(Connection c, String literal) throws SQLException {
        return "'" + c.unwrap(PGConnection.class).escapeLiteral(literal) + "'";
    }

    /**
     * @param identifier any text
     * @return it for display: bare when plain lower-case, else double-quoted
     */
    public static String displayIdentifier(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_]*")) {
            return identifier;
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * @param literal any text
     * @return it single-quoted for display (standard_conforming_strings on)
     */
    public static String displayLiteral(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    /**
     * @param sql a statement
     * @return it as a psql command line for a runbook
     */
    public static String psql(String sql) {
        String escaped = sql.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
        return "psql -c \"" + escaped + "\"";
    }
}
