package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A physical replication connection from the standby's host to its primary, through {@code psql} there, as the
 * replication role (password from the passfile, never in argv): the standby-side join's only way to ask the primary
 * anything ({@code IDENTIFY_SYSTEM}, {@code CREATE_REPLICATION_SLOT}).
 */
final class ReplicationConnection {
    private final CloneContext context;

    ReplicationConnection(CloneContext context) {
        this.context = context;
    }

    /** @return the connection string: host, port, user, replication=true, application_name, passfile */
    String conninfo() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", context.primary().endpoint().host());
        kv.put("port", Integer.toString(context.primary().endpoint().port()));
        kv.put("user", context.role().name());
        kv.put("dbname", "replication");
        kv.put("replication", "true");
        kv.put("application_name", context.standby().name());
        kv.put("connect_timeout", "10");
        if (context.passfile() != null) {
            kv.put("passfile", context.passfile());
        }
        kv.putAll(context.tlsKeywords());
        return CloneContext.conninfo(kv);
    }

    /**
     * @param replicationCommand e.g. {@code IDENTIFY_SYSTEM}
     * @return the psql command, not run
     */
    Command command(String replicationCommand) {
        return Command.of("psql", "-X", "-A", "-t", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-d", conninfo(), "-c",
                replicationCommand).withEnvironment("LC_MESSAGES", "C").withTimeout(Duration.ofSeconds(30));
    }

    /**
     * @param replicationCommand the command
     * @return psql's result, failed or not
     */
    CommandResult execute(String replicationCommand) {
        return context.host().execute(command(replicationCommand));
    }

    /**
     * @param result a failed result of {@link #execute}
     * @return the typed failure: the primary's refusal with its fix, else the command's own words
     */
    ReplicationException failure(CommandResult result) {
        String output = result.stderr() + "\n" + result.stdout();
        return ReplicationAccessFailures.parse(context.standby().name(), context.primary().endpoint(),
                context.role(), output, null, context.clearTextRefusalIsTls())
                .map(e -> ReplicationAccessFailures.explain(e, context.primary().adminEndpoint()))
                .<ReplicationException>map(e -> e).orElseGet(() -> new ReplicationException("["
                        + context.standby().name() + "] replication connection to " + context.primary().endpoint()
                        + " failed (exit " + result.exitCode() + "): " + result.tail(5)));
    }

    /** @return the primary's system identifier, from {@code IDENTIFY_SYSTEM} */
    String identifySystem() {
        CommandResult r = execute("IDENTIFY_SYSTEM");
        if (!r.succeeded()) {
            throw failure(r);
        }
        String line = r.stdout().strip();
        int bar = line.indexOf('|');
        if (bar <= 0) {
            throw new ReplicationException("[" + context.standby().name() + "] IDENTIFY_SYSTEM on "
                    + context.primary().endpoint() + " returned '" + line + "', not systemid|timeline|xlogpos|dbname");
        }
        return line.substring(0, bar);
    }

    /**
     * Creates the physical slot over the replication connection, reserving WAL from now on.
     *
     * @param slot the slot name
     * @return true when created, false when it existed already (then it is used as it is)
     */
    boolean createSlot(String slot) {
        CommandResult r = execute("CREATE_REPLICATION_SLOT \"" + slot.replace("\"", "\"\"")
                + "\" PHYSICAL RESERVE_WAL");
        if (r.succeeded()) {
            return true;
        }
        if ((r.stderr() + r.stdout()).contains("already exists")) {
            return false;
        }
        throw failure(r);
    }
}
