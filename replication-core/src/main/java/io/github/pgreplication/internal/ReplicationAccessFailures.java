package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Reason;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.host.Command;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what libpq-based programs (pg_basebackup, psql over a replication connection) print when the primary
 * refuses a replication connection, and says it as a {@link ConnectionFailedException}: which side must change,
 * with the line to add there.
 */
public final class ReplicationAccessFailures {
    private static final Pattern NO_HBA = Pattern.compile(
            "no pg_hba\\.conf entry for replication connection from host \"([^\"]+)\"");
    private static final Pattern PASSWORD_FAILED = Pattern.compile("password authentication failed for user");
    private static final Pattern NO_PASSWORD = Pattern.compile("no password supplied");
    private static final Pattern ROLE_MISSING = Pattern.compile("role \"[^\"]*\" does not exist");
    private static final Pattern NOT_REPLICATION = Pattern.compile("must be superuser or replication role to start"
            + " walsender|permission denied to start WAL sender|REPLICATION attribute may start a WAL sender");
    private static final Pattern WAL_SENDERS = Pattern.compile("exceeds \"?max_wal_senders\"? \\(currently (\\d+)\\)");
    private static final Pattern REFUSED = Pattern.compile("Connection refused");
    private static final Pattern UNKNOWN_HOST = Pattern.compile("could not translate host name");
    private static final Pattern UNREACHABLE = Pattern.compile("timeout expired|No route to host"
            + "|Network is unreachable|Connection timed out");

    private ReplicationAccessFailures() {
    }

    /**
     * @param node    the standby's name
     * @param primary where it connected
     * @param role    the replication role
     * @param output  the program's error output
     * @return the failure, when the output shows the primary refusing or not answering a replication connection
     */
    public static Optional<ConnectionFailedException> parse(String node, Endpoint primary, ReplicationRole role,
            String output) {
        return parse(node, primary, role, output, null);
    }

    /**
     * @param node    the standby's name
     * @param primary where it connected
     * @param role    the replication role
     * @param output  the program's error output
     * @param cause   the failed command's exception, kept as the cause; may be null
     * @return the failure, when the output shows the primary refusing or not answering a replication connection
     */
    public static Optional<ConnectionFailedException> parse(String node, Endpoint primary, ReplicationRole role,
            String output, Throwable cause) {
        if (output == null) {
            return Optional.empty();
        }
        Attempt a = new Attempt(node, primary, role, output, fatalLine(output), cause);
        return refusedByRules(a).or(() -> refusedPassword(a)).or(() -> unreachable(a));
    }

    /** @return a refusal for the primary's rules: no pg_hba line, no REPLICATION attribute, WAL senders, no role */
    private static Optional<ConnectionFailedException> refusedByRules(Attempt a) {
        ReplicationRole role = a.role();
        Matcher m = NO_HBA.matcher(a.output());
        if (m.find()) {
            String address = m.group(1);
            String fix = "host replication " + role.name() + " " + address + (address.contains(":") ? "/128" : "/32")
                    + " " + (role.hasPassword() ? "scram-sha-256" : "trust");
            return a.failure(Reason.NO_HBA_ENTRY, fix, a.refused()
                    + "To fix on the primary: pg_hba.conf has no replication rule for this standby's address ("
                    + address + "). Add this line to pg_hba.conf on " + a.primary().host() + ", then reload (SELECT"
                    + " pg_reload_conf();):\n  " + fix
                    + (role.hasPassword() ? "" : "\n(trust only where every host of that address is yours;"
                            + " otherwise give the role a password and use scram-sha-256)"));
        }
        if (NOT_REPLICATION.matcher(a.output()).find()) {
            String fix = "ALTER ROLE " + quoteIdent(role.name()) + " WITH REPLICATION;";
            return a.failure(Reason.NOT_REPLICATION_ROLE, fix, a.refused()
                    + "To fix on the primary: the role lacks the REPLICATION attribute. Run there, as a superuser:\n  "
                    + fix);
        }
        m = WAL_SENDERS.matcher(a.output());
        if (m.find()) {
            int current = Integer.parseInt(m.group(1));
            String fix = "ALTER SYSTEM SET max_wal_senders = " + Math.max(10, current * 2) + ";";
            return a.failure(Reason.WAL_SENDERS_EXHAUSTED, fix, a.refused()
                    + "To fix on the primary: every WAL sender is in use (max_wal_senders = " + current + ")."
                    + " Raise it there and restart the primary (max_wal_senders needs a restart):\n  " + fix
                    + "\nor stop a client that streams from it (SELECT application_name, client_addr FROM"
                    + " pg_stat_replication;).");
        }
        if (ROLE_MISSING.matcher(a.output()).find()) {
            String fix = "CREATE ROLE " + quoteIdent(role.name()) + " WITH REPLICATION LOGIN"
                    + (role.hasPassword() ? " PASSWORD '...'" : "") + ";";
            return a.failure(Reason.ROLE_MISSING, fix, a.refused()
                    + "To fix on the primary: the role does not exist there. Create it, as a superuser:\n  " + fix);
        }
        return Optional.empty();
    }

    /** @return a refusal for the password: a wrong one, or none where the primary asks for one */
    private static Optional<ConnectionFailedException> refusedPassword(Attempt a) {
        ReplicationRole role = a.role();
        String user = Command.shellQuote(role.name());
        if (PASSWORD_FAILED.matcher(a.output()).find()) {
            return a.failure(Reason.WRONG_PASSWORD, null, a.refused()
                    + (role.hasPassword() ? "The password given for role " + user + " is not the primary's: give"
                            + " the right one, or set it on the primary: ALTER ROLE " + quoteIdent(role.name())
                            + " WITH PASSWORD '...';"
                            : "The primary asks role " + user + " for a password and none was given: give it,"
                                    + " ReplicationRole.named(" + user + ").withPassword(Secret.of(...))"));
        }
        if (NO_PASSWORD.matcher(a.output()).find()) {
            return a.failure(Reason.PASSWORD_REQUIRED, null, a.refused()
                    + "The primary's pg_hba rule asks for a password and role " + user + " was given none: give it,"
                    + " ReplicationRole.named(" + user + ").withPassword(Secret.of(...))");
        }
        return Optional.empty();
    }

    /** @return a failure to reach the primary at all: an unknown name, nothing listening, no answer */
    private static Optional<ConnectionFailedException> unreachable(Attempt a) {
        Endpoint primary = a.primary();
        String reach = "[" + a.node() + "] cannot reach the primary " + primary + " for a replication connection: "
                + a.words() + "\n";
        if (UNKNOWN_HOST.matcher(a.output()).find()) {
            return a.failure(Reason.UNKNOWN_HOST, null, reach
                    + "The host name " + primary.host() + " does not resolve from this standby: check the name"
                    + " (or the container network the standby is on).");
        }
        if (REFUSED.matcher(a.output()).find()) {
            return a.failure(Reason.REFUSED, null, reach
                    + "Nothing listens at " + primary + ": check that the primary runs, its port, and that"
                    + " listen_addresses includes the address the standby connects to.");
        }
        if (UNREACHABLE.matcher(a.output()).find()) {
            return a.failure(Reason.UNREACHABLE, null, reach
                    + "No answer from " + primary + ": check the network and firewalls between the standby and"
                    + " the primary.");
        }
        return Optional.empty();
    }

    /**
     * A failed replication connection being read.
     *
     * @param node    the standby's name
     * @param primary where it connected
     * @param role    the replication role
     * @param output  the program's error output
     * @param words   its line holding FATAL or error
     * @param cause   the failed command's exception; may be null
     */
    private record Attempt(String node, Endpoint primary, ReplicationRole role, String output, String words,
            Throwable cause) {
        /** @return the first line of a message saying the primary refused the connection */
        String refused() {
            return "[" + node + "] the primary " + primary + " refused the replication connection as role '"
                    + role.name() + "': " + words + "\n";
        }

        Optional<ConnectionFailedException> failure(Reason reason, String fix, String message) {
            return Optional.of(new ConnectionFailedException(node, reason, fix, message, cause));
        }
    }

    /** @return the line holding FATAL or error, else the last non-blank line */
    private static String fatalLine(String output) {
        String last = "";
        for (String line : output.split("\\R")) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.contains("FATAL:") || s.contains("error:")) {
                return s;
            }
            last = s;
        }
        return last;
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
