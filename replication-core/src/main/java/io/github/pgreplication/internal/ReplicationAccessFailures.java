package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Reason;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.host.Command;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
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
    private static final Pattern NAME_MISMATCH = Pattern.compile(
            "server certificate for \"([^\"]*)\"( \\(and \\d+ other names?\\))? does not match host name");
    private static final Pattern CLIENT_CERTIFICATE = Pattern.compile("requires a valid client certificate"
            + "|certificate authentication failed for user|alert unknown ca|alert bad certificate"
            + "|alert certificate required|alert certificate unknown");
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
        return parse(node, primary, role, output, cause, false);
    }

    /**
     * @param node       the standby's name
     * @param primary    where it connected
     * @param role       the replication role
     * @param output     the program's error output
     * @param cause      the failed command's exception, kept as the cause; may be null
     * @param primaryTls whether the primary serves TLS (its description has server material): a missing pg_hba
     *                   entry for a connection with "no encryption" is then the hostssl rule refusing clear text
     * @return the failure, when the output shows the primary refusing or not answering a replication connection
     */
    public static Optional<ConnectionFailedException> parse(String node, Endpoint primary, ReplicationRole role,
            String output, Throwable cause, boolean primaryTls) {
        if (output == null) {
            return Optional.empty();
        }
        Attempt a = new Attempt(node, primary, role, output, fatalLine(output), cause, primaryTls);
        return tls(a).or(() -> refusedByRules(a)).or(() -> refusedPassword(a)).or(() -> unreachable(a));
    }

    /**
     * @return a TLS failure, from libpq's words (PostgreSQL 15 and 17 with OpenSSL 3): "certificate verify failed"
     *         (with "certificate has expired" when OpenSSL says so), "server certificate for X does not match host
     *         name Y", "server does not support SSL, but SSL was required", "no encryption" after a missing pg_hba
     *         entry (only hostssl rules admit the role), and the primary's refusals of a client certificate
     *         ("alert certificate expired" for an expired one)
     */
    private static Optional<ConnectionFailedException> tls(Attempt a) {
        String out = a.output();
        String role = a.role().name();
        String tlsOf = "the standby's replication TLS (Tls.Client: sslrootcert, sslcert, sslkey)";
        if (out.contains("certificate has expired") || out.contains("certificate is not yet valid")) {
            return a.failure(Reason.TLS_EXPIRED, null, a.tlsFailed() + "The primary's certificate (its ssl_cert_file)"
                    + " is outside its validity: issue a new one, install it on the primary, and reload it there.");
        }
        Matcher m = NAME_MISMATCH.matcher(out);
        if (m.find()) {
            return a.failure(Reason.TLS_NAME_MISMATCH, null, a.tlsFailed() + "The primary's certificate names '"
                    + m.group(1) + "'" + (m.group(2) == null ? "" : " (and other names)") + ", not '"
                    + a.primary().host() + "' the standby connects to (sslmode=verify-full): connect to a name the"
                    + " certificate carries (the primary's endpoint), or issue it with '" + a.primary().host()
                    + "' among its subject alternative names.");
        }
        if (out.contains("certificate verify failed")) {
            // libpq 15 and 17 say only this for an expired certificate too (seen with OpenSSL 3.5).
            return a.failure(Reason.TLS_UNTRUSTED, null, a.tlsFailed() + "The primary's certificate is not signed by"
                    + " the CA in the standby's sslrootcert, or it is outside its validity (libpq does not say which):"
                    + " give " + tlsOf + " the CA that signed the primary's certificate, or give the primary a"
                    + " certificate of that CA; check its dates with openssl x509 -noout -dates -in its"
                    + " ssl_cert_file.");
        }
        if (out.contains("server does not support SSL")) {
            return a.failure(Reason.TLS_UNAVAILABLE, "ALTER SYSTEM SET ssl = on;", a.tlsFailed() + "The primary has"
                    + " ssl = off and the standby's sslmode requires TLS: give the primary its TLS material"
                    + " (Node.withTls(Tls.off().withServer(...))) and apply, which turns ssl on.");
        }
        if (a.primaryTls() && NO_HBA.matcher(out).find() && out.contains("no encryption")) {
            return a.failure(Reason.TLS_REQUIRED, null, a.refused() + "The primary admits role '" + role + "' over"
                    + " TLS only (hostssl) and the standby came without: give the standby's node"
                    + " .withTls(Tls.off().withReplication(Tls.Client.verifyFull(\"/path/root.crt\")"
                    + ".withCertificate(cert, key))), or a host rule for it on the primary.");
        }
        if (out.contains("alert certificate expired")) {
            return a.failure(Reason.CLIENT_CERTIFICATE_EXPIRED, null, a.tlsFailed() + "The standby's certificate (its"
                    + " sslcert) is outside its validity and the primary refused it: issue a new one from the"
                    + " primary's CA (its ssl_ca_file) for CN=" + role + ", and install it on the standby.");
        }
        if (CLIENT_CERTIFICATE.matcher(out).find()) {
            return a.failure(Reason.CLIENT_CERTIFICATE, null, a.refused() + "The primary wants a client certificate"
                    + " signed by its ssl_ca_file whose CN is '" + role + "' (the cert method): give " + tlsOf + " one,"
                    + " issued by the primary's CA for CN=" + role + ".");
        }
        return Optional.empty();
    }

    /**
     * libpq's "certificate verify failed" said exactly: the certificate the primary presents, read from this JVM at
     * its admin endpoint (the same server, so the same ssl_cert_file), tells an expired certificate from one of
     * another CA.
     *
     * @param failure       a failure of {@link #parse}
     * @param adminEndpoint where this JVM reaches the primary; null leaves the failure as it is
     * @return the failure, {@link Reason#TLS_EXPIRED} or {@link Reason#TLS_UNTRUSTED} naming the certificate when it
     *         was {@link Reason#TLS_UNTRUSTED} and the certificate could be read; else the failure itself
     */
    public static ConnectionFailedException explain(ConnectionFailedException failure, Endpoint adminEndpoint) {
        if (adminEndpoint == null || failure.reason().orElse(null) != Reason.TLS_UNTRUSTED) {
            return failure;
        }
        return explained(failure, adminEndpoint, PresentedCertificate.at(adminEndpoint, Duration.ofSeconds(5)),
                Instant.now());
    }

    /**
     * @param failure   a {@link Reason#TLS_UNTRUSTED} failure of {@link #parse}
     * @param at        where the certificate was read
     * @param presented the certificate the primary presents there, if it could be read
     * @param now       the time its dates are judged at
     * @return the failure naming the certificate: {@link Reason#TLS_EXPIRED} when it is outside its dates
     */
    static ConnectionFailedException explained(ConnectionFailedException failure, Endpoint at,
            Optional<X509Certificate> presented, Instant now) {
        if (presented.isEmpty()) {
            return failure;
        }
        X509Certificate x = presented.get();
        String message = failure.getMessage();
        String header = message.substring(0, message.indexOf('\n') + 1);
        String described = ConnectionFailures.describe(x) + " (as it presents it at " + at + ")";
        if (now.isBefore(x.getNotBefore().toInstant()) || now.isAfter(x.getNotAfter().toInstant())) {
            return new ConnectionFailedException(failure.node(), Reason.TLS_EXPIRED, null, header + "The primary's"
                    + " certificate is outside its validity: " + described + ", valid from "
                    + x.getNotBefore().toInstant() + "; it is " + now + ". Issue a new one, install it on the"
                    + " primary (its ssl_cert_file), and reload it there (SELECT pg_reload_conf()).",
                    failure.getCause());
        }
        return new ConnectionFailedException(failure.node(), Reason.TLS_UNTRUSTED, null, header + "The primary's"
                + " certificate, " + described + ", is within its dates, so the standby does not trust the CA that"
                + " signed it: its sslrootcert lacks that CA, or holds a copy of it outside its own dates. Give the"
                + " standby's replication TLS (Tls.Client: sslrootcert) the valid certificate of "
                + Text.printable(x.getIssuerX500Principal().getName()) + ", or give the primary a certificate of"
                + " the CA the standby trusts.", failure.getCause());
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
     * @param primaryTls whether the primary serves TLS
     */
    private record Attempt(String node, Endpoint primary, ReplicationRole role, String output, String words,
            Throwable cause, boolean primaryTls) {
        /** @return the first line of a message saying the primary refused the connection */
        String refused() {
            return "[" + node + "] the primary " + primary + " refused the replication connection as role '"
                    + role.name() + "': " + words + "\n";
        }

        /** @return the first line of a message saying the TLS handshake with the primary failed */
        String tlsFailed() {
            return "[" + node + "] TLS with the primary " + primary + " failed for the replication connection as"
                    + " role '" + role.name() + "': " + words + "\n";
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
