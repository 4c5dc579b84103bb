package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationRole;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Creates the replication role, or alters it to {@code REPLICATION LOGIN}, and sets its password as a SCRAM
 * verifier computed by the driver (the clear text never reaches the server). Done when the role has both
 * attributes and, if a password is wanted, its stored verifier matches it.
 */
final class RoleStep extends Step {
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
                c.unwrap(PGConnection.class).alterUserPassword(role.name(),
                        role.password().reveal().orElseThrow().toCharArray(), "scram-sha-256");
                detail += ", password set";
            }
            return detail;
        });
    }
}
