package io.github.pgreplication.internal;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import io.github.pgreplication.host.ServiceControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets primary parameters with ALTER SYSTEM, reloads, and restarts through the primary's ServiceControl when a
 * parameter is left pending_restart (or fails saying which and how to provide a control). Done when every
 * parameter's effective value already equals the desired one.
 */
final class SettingsStep extends Step {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStep.class);

    private final Map<String, String> desired;

    /**
     * @param service the primary's service control, null when none was given
     */
    SettingsStep(String node, Map<String, String> desired, ServiceControl service) {
        super(node, "settings " + desired.keySet() + " with ALTER SYSTEM, reload, restart if pending",
                Kind.CHANGE, runbook(desired, service));
        this.desired = new LinkedHashMap<>(desired);
    }

    private static List<String> runbook(Map<String, String> desired, ServiceControl service) {
        List<String> lines = new ArrayList<>();
        desired.forEach((k, v) -> lines.add(SqlText.psql("ALTER SYSTEM SET " + k + " = "
                + String.join(", ", values(k, v).stream().map(SqlText::displayLiteral).toList()))));
        lines.add(SqlText.psql("SELECT pg_reload_conf()"));
        if (service == null) {
            lines.add("# if SELECT name FROM pg_settings WHERE pending_restart lists any: restart the server"
                    + " (no ServiceControl given: apply() stops and asks you to)");
        } else {
            // The data directory is asked from the server at apply time (SHOW data_directory).
            lines.add("# if SELECT name FROM pg_settings WHERE pending_restart lists any, restart the server"
                    + " (DATADIR: SHOW data_directory):");
            lines.add(service.command(ServiceAction.RESTART, "DATADIR").toCommandLine());
        }
        return lines;
    }

    /**
     * What pg_settings says of the desired parameters.
     *
     * @param mismatched   parameters whose effective value differs from the desired one
     * @param pending      parameters left pending_restart
     * @param placeholders custom (dotted) parameters no loaded library defines: their value is the text written
     */
    private record State(List<String> mismatched, List<String> pending, List<String> placeholders) {
    }

    /** What the last {@link #isDone} read, taken by the {@link #run} that follows it (one step per apply()). */
    private volatile State looked;

    @Override
    public boolean isDone(ApplyContext ctx) {
        State state = read(ctx);
        looked = state;
        return state.mismatched().isEmpty() && state.pending().isEmpty();
    }

    /** Reads every desired parameter in one statement ({@link Sql#SETTINGS}). */
    private State read(ApplyContext ctx) {
        List<String> mismatched = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        Object names = desired.keySet().toArray(String[]::new);
        for (List<String> r : ctx.primaryDb().queryRows(Sql.SETTINGS, names)) {
            String name = r.get(0);
            String value = desired.get(name);
            if (r.get(3) == null && isCustom(name)) {
                // A custom parameter (acceptance.canary), or one of a library not loaded yet (pg_stat_statements.max
                // before the restart that loads it): PostgreSQL keeps it as a placeholder, readable as text.
                placeholders.add(name);
                if (!value.equals(r.get(6))) {
                    mismatched.add(name);
                }
                continue;
            }
            if (r.get(3) == null) {
                throw new ReplicationException("Parameter '" + name + "' does not exist on primary '"
                        + ctx.config().primary().name() + "' (not in pg_settings). Check its spelling and the server's"
                        + " version; remove it from the settings if it belongs to another version. (Parameters of"
                        + " extensions and custom ones have a dotted name, e.g. pg_stat_statements.max.)");
            }
            if (!SettingValues.matches(name, value, r.get(1), r.get(2), r.get(3))) {
                mismatched.add(name);
            }
            if ("t".equals(r.get(4))) {
                pending.add(name);
            }
        }
        return new State(mismatched, pending, placeholders);
    }

    /** @return whether the name is a custom (dotted) one, which pg_settings lists only once a library defines it */
    static boolean isCustom(String name) {
        return name.indexOf('.') > 0;
    }

    /** @return the name for ALTER SYSTEM, each dotted part quoted by the driver (the grammar's var_name.ColId) */
    private static String quotedName(Connection c, String name) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("\\.", -1)) {
            parts.add(SqlText.identifier(c, part));
        }
        return String.join(".", parts);
    }

    /**
     * @param name  a parameter
     * @param value its value as described
     * @return what ALTER SYSTEM SET takes for it, each to be quoted as a literal: the value, or one item each of a
     *         {@link SettingValues#LIST_QUOTED} list ({@code ''} for an empty one)
     */
    static List<String> values(String name, String value) {
        if (!SettingValues.LIST_QUOTED.contains(name)) {
            return List.of(value);
        }
        List<String> items = SettingValues.listItems(value);
        return items.isEmpty() ? List.of("") : items;
    }

    @Override
    public String run(ApplyContext ctx) {
        Primary primary = ctx.config().primary();
        State before = looked;
        looked = null;
        List<String> changed = (before != null ? before : read(ctx)).mismatched();
        String errors = ctx.primaryDb().with(c -> {
            try (Statement st = c.createStatement()) {
                for (String name : changed) {
                    List<String> literals = new ArrayList<>();
                    for (String item : values(name, desired.get(name))) {
                        literals.add(SqlText.literal(c, item));
                    }
                    String sql = "ALTER SYSTEM SET " + quotedName(c, name) + " = " + String.join(", ", literals);
                    LOG.debug("[{}] {}", primary.name(), sql);
                    st.execute(sql);
                }
                try (java.sql.ResultSet rs = st.executeQuery(Sql.RELOAD_AND_FILE_ERRORS)) {
                    rs.next();
                    return rs.getString(2);
                }
            }
        });
        if (errors != null) {
            throw new ReplicationException("Configuration files of primary '" + primary.name() + "' have errors"
                    + " (pg_file_settings): " + errors + ". Fix those lines; the server keeps its previous values.");
        }
        // Reload is asynchronous: wait until the values show, or until a restart is known to be pending (the restart
        // settles everything; some values only show after it, e.g. archive_command reads "(disabled)" while
        // archive_mode is off).
        State[] last = {null};
        ApplyContext.waitFor(Duration.ofSeconds(10), () -> {
            last[0] = read(ctx);
            return !last[0].pending().isEmpty() || last[0].mismatched().isEmpty();
        });
        List<String> pending = last[0].pending();
        String detail = "set " + changed;
        if (!pending.isEmpty()) {
            if (primary.service() == null) {
                throw Refusals.restartRequired(primary.name(), pending);
            }
            LOG.info("[{}] restarting for {}", primary.name(), pending);
            primary.service().perform(ServiceAction.RESTART, primary.host(), ctx.primaryDataDirectory());
            ctx.primaryDb().evict();
            try {
                ctx.primaryDb().awaitReachable(Duration.ofSeconds(60));
            } catch (ConnectionFailedException e) {
                throw new ConnectionFailedException(e.node(), e.kind(), e.sqlState(), "Primary '" + primary.name()
                        + "' did not accept connections after its restart: " + e.getMessage()
                        + " Check its server log.", e.getCause());
            }
            detail += ", restarted for " + pending;
        }
        State after = pending.isEmpty() ? last[0] : read(ctx);
        List<String> still = after.mismatched();
        if (!after.placeholders().isEmpty()) {
            detail += "; " + after.placeholders() + " kept as custom parameters (no loaded library defines them)";
        }
        if (!still.isEmpty()) {
            throw new ReplicationException("After ALTER SYSTEM and reload, " + still + " on primary '" + primary.name()
                    + "' still differ from the requested values. Another file may override them: look at"
                    + " SELECT name, setting, sourcefile, sourceline FROM pg_settings WHERE name IN (...).");
        }
        return detail;
    }
}
