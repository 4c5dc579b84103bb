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

    /** @param c connection @param identifier any text @return it quoted as an identifier by the driver */
    public static String identifier(Connection c, String identifier) throws SQLException {
        return c.unwrap(PGConnection.class).escapeIdentifier(identifier);
    }

    /** @param c connection @param literal any text @return it quoted as a string literal by the driver */
    public static String literal(Connection c, String literal) throws SQLException {
        return c.unwrap(PGConnection.class).escapeLiteral(literal);
    }

    /** @param identifier any text @return it double-quoted for display */
    public static String displayIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** @param literal any text @return it single-quoted for display (standard_conforming_strings on) */
    public static String displayLiteral(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    /** @param sql a statement @return it as a psql command line for a runbook */
    public static String psql(String sql) {
        return "psql -X -v ON_ERROR_STOP=1 -c " + io.github.pgreplication.host.Command.shellQuote(sql);
    }
}
