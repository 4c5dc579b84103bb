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
     * @param literal any text
     * @return it as a string literal for a statement sent through psql, without a connection to escape it: an
     *         {@code E''} literal when it holds a backslash, so that it arrives whatever standard_conforming_strings
     *         is, else a plain one
     */
    public static String psqlLiteral(String literal) {
        return literal.contains("\\") ? "E'" + literal.replace("\\", "\\\\").replace("'", "''") + "'"
                : displayLiteral(literal);
    }

    /**
     * For a statement sent through psql, which takes no parameters: each {@code ?} replaced, in order, by a
     * parameter, text as a {@link #psqlLiteral}, numbers as they are. The library's statements
     * hold no other {@code ?}.
     *
     * @param sql    a statement with {@code ?} placeholders
     * @param params text or numbers, one per placeholder
     * @return the statement with its parameters written in
     * @throws IllegalArgumentException when the counts differ or a parameter is neither text nor a number
     */
    public static String inline(String sql, Object... params) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch != '?') {
                out.append(ch);
                continue;
            }
            if (next >= params.length) {
                throw new IllegalArgumentException("more placeholders than the " + params.length + " parameter(s)"
                        + " in: " + sql);
            }
            Object p = params[next++];
            if (p instanceof Number) {
                out.append(p);
            } else if (p instanceof String t) {
                out.append(psqlLiteral(t));
            } else {
                throw new IllegalArgumentException("a parameter written into a statement is text or a number, not "
                        + (p == null ? "null" : p.getClass().getSimpleName()));
            }
        }
        if (next != params.length) {
            throw new IllegalArgumentException(params.length + " parameter(s) for " + next + " placeholder(s) in: "
                    + sql);
        }
        return out.toString();
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
