package io.github.pgreplication.internal;

import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import java.util.List;

/**
 * Writes the replication password into a 0600 passfile on the standby's host, the only place it is stored there:
 * pg_basebackup and the standby's WAL receiver read it through {@code passfile=} in their connection string.
 */
final class PassfileStep extends Step {
    private final Standby standby;
    private final String line;

    PassfileStep(Standby standby, Primary primary, ReplicationRole role) {
        super(standby.name(), "0600 passfile " + standby.effectivePassfile() + " with the replication password",
                Kind.CHANGE, List.of("install -m 0600 /dev/null " + Command.shellQuote(standby.effectivePassfile()),
                        "echo " + Command.shellQuote(entry(primary, role, "****")) + " > "
                                + Command.shellQuote(standby.effectivePassfile())));
        this.standby = standby;
        this.line = entry(primary, role, role.password().reveal().orElseThrow()) + "\n";
    }

    /** @return a .pgpass line; ':' and '\' escaped as libpq requires */
    static String entry(Primary primary, ReplicationRole role, String password) {
        return String.join(":", escape(primary.endpoint().host()), Integer.toString(primary.endpoint().port()), "*",
                escape(role.name()), escape(password));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        String path = standby.effectivePassfile();
        return standby.host().readFile(path).map(line::equals).orElse(false)
                && "600".equals(standby.host().fileMode(path));
    }

    @Override
    public boolean needsPrimary() {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        standby.host().writeFile(standby.effectivePassfile(), line, "0600");
        return "written";
    }
}
