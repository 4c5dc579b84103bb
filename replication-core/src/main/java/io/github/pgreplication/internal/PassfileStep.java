package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Node;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the replication password into a 0600 passfile on the standby's host, the only place it is stored there:
 * pg_basebackup and the standby's WAL receiver read it through {@code passfile=} in their connection string. It has
 * one line per node of the set-up that peers can connect to (each a possible primary), in a fixed order, so that a
 * switchover or a failover finds it right already and only reads it.
 */
final class PassfileStep extends Step {
    private final Standby standby;
    private final String text;

    /**
     * @param standby   the standby whose host gets the file
     * @param primaries every address it may stream from
     * @param role      the replication role, with its password
     */
    PassfileStep(Standby standby, Collection<Endpoint> primaries, ReplicationRole role) {
        super(standby.name(), "0600 passfile " + standby.effectivePassfile() + " with the replication password",
                Kind.CHANGE, List.of("install -m 0600 /dev/null " + Command.shellQuote(standby.effectivePassfile()),
                        "printf '%s\\n' " + lines(primaries, role, "****").stream().map(Command::shellQuote)
                                .collect(Collectors.joining(" ")) + " > "
                                + Command.shellQuote(standby.effectivePassfile())));
        this.standby = standby;
        this.text = String.join("\n", lines(primaries, role, role.password().reveal().orElseThrow())) + "\n";
    }

    /**
     * @param standby the standby whose host gets the file
     * @param config  the set-up: every node with an endpoint may be its primary one day
     * @return the step
     */
    static PassfileStep of(Standby standby, ReplicationConfig config) {
        Set<Endpoint> primaries = new LinkedHashSet<>();
        primaries.add(config.primary().endpoint());
        config.nodes().stream().map(Node::endpoint).filter(Objects::nonNull).forEach(primaries::add);
        return new PassfileStep(standby, primaries, config.role());
    }

    /** @return one .pgpass line per address, sorted; ':' and '\' escaped as libpq requires */
    private static List<String> lines(Collection<Endpoint> primaries, ReplicationRole role, String password) {
        return primaries.stream().map(e -> String.join(":", escape(e.host()), Integer.toString(e.port()), "*",
                escape(role.name()), escape(password))).distinct().sorted().toList();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return standby.host().readFileWithMode(standby.effectivePassfile())
                .map(f -> text.equals(f.text()) && "600".equals(f.mode())).orElse(false);
    }

    @Override
    public boolean needsPrimary() {
        return false;
    }

    /** Its own file, outside the data directory (load() refuses one inside): it runs beside that directory's steps. */
    @Override
    public boolean runsBeside() {
        return true;
    }

    @Override
    public String run(ApplyContext ctx) {
        standby.host().writeFile(standby.effectivePassfile(), text, "0600");
        return "written";
    }
}
