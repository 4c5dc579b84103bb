package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationRole;
import java.security.SecureRandom;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PasswordUtil;

/**
 * Creates the replication role, or alters it to {@code REPLICATION LOGIN}, and sets its password as a SCRAM
 * verifier computed here (the clear text never reaches the server), with the server's {@code scram_iterations}
 * (PostgreSQL 16+, as libpq does for psql's {@code \password}; 4096, PostgreSQL's default and the only count before
 * 16, otherwise). Done when the role has both attributes and, if a password is wanted, its stored verifier matches it.
 */
final class RoleStep extends Step {
    /** PostgreSQL's SCRAM iteration count before 16, and the default of {@code scram_iterations} since. */
    static final int DEFAULT_SCRAM_ITERATIONS = 4096;
    /** PostgreSQL's salt length for SCRAM verifiers (SCRAM_DEFAULT_SALT_LEN). */
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReplicationRole role;

    RoleStep(String node, ReplicationRole role) {
        super(node, "replication role " + SqlText.displayIdentifier(role.name()) + " WITH REPLICATION LOGIN"
                + (role.hasPassword() ? " and a SCRAM password" : " without password"), Kind.CHANGE,
                runbook(role));
        this.role = role;
    }

    private static List<String> runbook(ReplicationRole role) {
        List<String> lines = new ArrayList<>();
        lines.add(SqlText.psql("CREATE ROLE " + SqlText.displayIdentifier(role.name()) + " WITH REPLICATION LOGIN")
                + "   # or ALTER ROLE when it exists");
        if (role.hasPassword()) {
            lines.add(SqlText.psql("ALTER ROLE " + SqlText.displayIdentifier(role.name())
                    + " PASSWORD '****'") + "   # psql's \\password sends it hashed");
        }
        return lines;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        List<List<String>> rows = ctx.primaryDb().queryRows(Sql.ROLE, role.name());
        if (rows.isEmpty()) {
            return false;
        }
        List<String> r = rows.get(0);
        boolean attributes = "t".equals(r.get(0)) && "t".equals(r.get(1));
        boolean password = !role.hasPassword() || ScramVerifier.matches(r.get(2), role.password().reveal().orElseThrow());
        return attributes && password;
    }

    /**
     * @return the server's {@code scram_iterations} (PostgreSQL 16+), or {@value #DEFAULT_SCRAM_ITERATIONS} when the
     *         server has no such setting or it is not a positive number
     */
    static int scramIterations(java.sql.Connection c) throws java.sql.SQLException {
        try (Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('scram_iterations', true)")) {
            return rs.next() ? parseIterations(rs.getString(1)) : DEFAULT_SCRAM_ITERATIONS;
        }
    }

    /**
     * @param value the setting's text, null when absent
     * @return it as a count, else the default
     */
    static int parseIterations(String value) {
        try {
            int n = value == null ? DEFAULT_SCRAM_ITERATIONS : Integer.parseInt(value.trim());
            return n > 0 ? n : DEFAULT_SCRAM_ITERATIONS;
        } catch (NumberFormatException e) {
            return DEFAULT_SCRAM_ITERATIONS;
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    @Override
    public String run(ApplyContext ctx) {
        return ctx.primaryDb().with(c -> {
            List<List<String>> rows = Db.rows(c, Sql.ROLE, role.name());
            String id = SqlText.identifier(c, role.name());
            String detail;
            try (Statement st = c.createStatement()) {
                if (rows.isEmpty()) {
                    st.execute("CREATE ROLE " + id + " WITH REPLICATION LOGIN");
                    detail = "created";
                } else {
                    st.execute("ALTER ROLE " + id + " WITH REPLICATION LOGIN");
                    detail = "altered";
                }
            }
            if (role.hasPassword() && (rows.isEmpty()
                    || !ScramVerifier.matches(rows.get(0).get(2), role.password().reveal().orElseThrow()))) {
                int iterations = scramIterations(c);
                String verifier = PasswordUtil.encodeScramSha256(role.password().reveal().orElseThrow().toCharArray(),
                        iterations, salt());
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER ROLE " + id + " PASSWORD " + SqlText.literal(c, verifier));
                }
                detail += ", password set (" + iterations + " SCRAM iterations)";
            }
            return detail;
        });
    }
}
