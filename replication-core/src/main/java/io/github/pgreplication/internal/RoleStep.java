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
    /** What the last {@link #isDone} read, taken by the {@link #run} that follows it. */
    private volatile Looked looked;

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
        Looked l = look(ctx.primaryDb().queryRows(Sql.ROLE_AND_ITERATIONS, role.name()));
        looked = l;
        return l.exists() && l.attributes() && !l.needsPassword();
    }

    /**
     * What {@link #isDone} read, for {@link #run} to act on without reading it again (the step is made for one
     * {@code apply()} and runs right after its look).
     *
     * @param exists        whether the role exists
     * @param attributes    whether it has REPLICATION and LOGIN
     * @param needsPassword whether a password is wanted and its stored verifier, if any, does not match it
     * @param iterations    the server's SCRAM iteration count
     */
    private record Looked(boolean exists, boolean attributes, boolean needsPassword, int iterations) {
    }

    /** @return what the row of {@link Sql#ROLE_AND_ITERATIONS} says, the stored verifier checked once */
    private Looked look(List<List<String>> rows) {
        List<String> r = rows.get(0);
        boolean exists = r.get(0) != null;
        String verifier = r.get(2);
        boolean needsPassword = role.hasPassword() && (verifier == null
                || !ScramVerifier.matches(verifier, role.password().reveal().orElseThrow()));
        return new Looked(exists, exists && "t".equals(r.get(0)) && "t".equals(r.get(1)), needsPassword,
                parseIterations(r.get(3)));
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
        Looked before = looked;
        looked = null;
        return ctx.primaryDb().with(c -> {
            Looked l = before != null ? before : look(Db.rows(c, Sql.ROLE_AND_ITERATIONS, role.name()));
            String id = SqlText.identifier(c, role.name());
            boolean password = l.needsPassword();
            String sql = (l.exists() ? "ALTER ROLE " : "CREATE ROLE ") + id + " WITH REPLICATION LOGIN";
            if (password) {
                // The verifier with the server's iteration count, in the same statement: one round trip
                sql += " PASSWORD " + SqlText.literal(c, PasswordUtil.encodeScramSha256(
                        role.password().reveal().orElseThrow().toCharArray(), l.iterations(), salt()));
            }
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            return (l.exists() ? "altered" : "created")
                    + (password ? ", password set (" + l.iterations() + " SCRAM iterations)" : "");
        });
    }
}
