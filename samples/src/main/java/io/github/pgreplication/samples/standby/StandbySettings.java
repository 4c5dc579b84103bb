package io.github.pgreplication.samples.standby;

import io.github.pgreplication.Secret;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The standby container's configuration, read from the second runbook's environment variables with the runbook's
 * defaults. Every missing or malformed variable is reported at once, by name.
 *
 * @param primaryHost    BACKREST_PRIMARY_HOST (required): the pgBackRest repository host, reached over SSH
 * @param stanza         BACKREST_STANZA (psql)
 * @param primaryUser    BACKREST_PRIMARY_USER (postgres): the SSH user on the repository host
 * @param sshPort        BACKREST_PRIMARY_SSH_PORT (22)
 * @param knownHosts     BACKREST_PRIMARY_KNOWN_HOSTS (optional): the repository host's key, as a known_hosts line
 *                       or a public key line; without it the key is trusted on first use and pinned
 * @param pgHost         PG_PRIMARY_HOST (postgres_master)
 * @param pgPort         PG_PRIMARY_PORT (5432)
 * @param user           PG_REPLICATION_USER (replicator)
 * @param password       PG_REPLICATION_PASSWORD (replication), or the contents of PG_REPLICATION_PASSWORD_FILE
 * @param name           PG_SLAVE_NAME (slave): the standby's application_name
 * @param tls            BACKREST_TLS_CA_FILE, BACKREST_TLS_CERT_FILE, BACKREST_TLS_KEY_FILE (all three, or none):
 *                       the repository host is reached through pgBackRest's TLS server instead of SSH, with these
 *                       files mounted in the container (no SSH key to hand over); null over SSH
 * @param tlsPort        BACKREST_TLS_PORT (8432): the TLS server's port
 */
public record StandbySettings(String primaryHost, String stanza, String primaryUser, int sshPort, String knownHosts,
        String pgHost, int pgPort, String user, Secret password, String name, RepositoryHost.Tls tls, int tlsPort) {
    /** The TLS variables, in the order of {@link RepositoryHost.Tls}'s files. */
    static final List<String> TLS_VARIABLES = List.of("BACKREST_TLS_CA_FILE", "BACKREST_TLS_CERT_FILE",
            "BACKREST_TLS_KEY_FILE");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:%-]+");
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,63}");

    /** A bad configuration: every problem, each naming its variable. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Invalid(List<String> problems) {
            super("standby container configuration: " + problems.size() + " problem(s):\n"
                    + String.join("\n", numbered(problems)));
            this.problems = List.copyOf(problems);
        }

        /** @return each problem, naming its variable */
        public List<String> problems() {
            return problems;
        }

        private static List<String> numbered(List<String> problems) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < problems.size(); i++) {
                out.add("  " + (i + 1) + ". " + problems.get(i));
            }
            return out;
        }
    }

    /**
     * @param env the environment
     * @return the settings
     * @throws Invalid listing every missing or malformed variable
     */
    public static StandbySettings from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(env, problems);
        String primaryHost = r.required("BACKREST_PRIMARY_HOST", HOST, "a host name or IP address, e.g."
                + " BACKREST_PRIMARY_HOST=db.example.com");
        String stanza = r.optional("BACKREST_STANZA", "psql", STANZA, "letters, digits, _ . -");
        String primaryUser = r.optional("BACKREST_PRIMARY_USER", "postgres", USER, "a user name, e.g. postgres");
        int sshPort = r.port("BACKREST_PRIMARY_SSH_PORT", 22);
        String knownHosts = env.get("BACKREST_PRIMARY_KNOWN_HOSTS");
        if (knownHosts != null && !isKeyLine(knownHosts)) {
            problems.add("BACKREST_PRIMARY_KNOWN_HOSTS is not a known_hosts line nor a public key line: give e.g."
                    + " BACKREST_PRIMARY_KNOWN_HOSTS=\"db.example.com ssh-ed25519 AAAAC3Nza...\" (on the primary:"
                    + " cat /etc/ssh/ssh_host_ed25519_key.pub), or leave it unset to trust the key on first use");
            knownHosts = null;
        }
        String pgHost = r.optional("PG_PRIMARY_HOST", "postgres_master", HOST, "a host name or IP address");
        int pgPort = r.port("PG_PRIMARY_PORT", 5432);
        String user = r.optional("PG_REPLICATION_USER", "replicator", USER, "a role name, e.g. replicator");
        Secret password = r.password();
        String name = r.optional("PG_SLAVE_NAME", "slave", NAME, "1 to 63 letters, digits or _ (it becomes the"
                + " application_name the primary lists in pg_stat_replication)");
        RepositoryHost.Tls tls = r.tls();
        int tlsPort = r.port("BACKREST_TLS_PORT", RepositoryHost.TLS_PORT);
        if (tls == null && env.containsKey("BACKREST_TLS_PORT")) {
            problems.add("BACKREST_TLS_PORT is set but TLS is not: set BACKREST_TLS_CA_FILE, BACKREST_TLS_CERT_FILE"
                    + " and BACKREST_TLS_KEY_FILE too, or unset it");
        }
        if (tls != null) {
            for (String ssh : List.of("BACKREST_PRIMARY_USER", "BACKREST_PRIMARY_SSH_PORT",
                    "BACKREST_PRIMARY_KNOWN_HOSTS")) {
                if (env.containsKey(ssh)) {
                    problems.add(ssh + " is an SSH setting, but BACKREST_TLS_* choose pgBackRest's TLS server: unset"
                            + " " + ssh + ", or unset the BACKREST_TLS_* variables to use SSH");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new StandbySettings(primaryHost, stanza, primaryUser, sshPort,
                knownHosts == null ? null : knownHosts.strip(), pgHost, pgPort, user, password, name, tls, tlsPort);
    }

    /** @return the repository host as the standby reaches it: over TLS when the TLS files are given, else SSH */
    public RepositoryHost repositoryHost() {
        RepositoryHost at = RepositoryHost.at(primaryHost);
        return tls != null ? at.withTls(tls.caFile(), tls.certFile(), tls.keyFile()).withPort(tlsPort)
                : at.withUser(primaryUser).withPort(sshPort);
    }

    @Override
    public String toString() {
        return "BACKREST_PRIMARY_HOST=" + primaryHost + " BACKREST_STANZA=" + stanza + (tls == null
                ? " BACKREST_PRIMARY_USER=" + primaryUser : " BACKREST_TLS_CA_FILE=" + tls.caFile()
                + " BACKREST_TLS_CERT_FILE=" + tls.certFile() + " BACKREST_TLS_KEY_FILE=" + tls.keyFile()
                + " BACKREST_TLS_PORT=" + tlsPort) + " PG_PRIMARY_HOST=" + pgHost + " PG_PRIMARY_PORT=" + pgPort
                + " PG_REPLICATION_USER=" + user + " PG_REPLICATION_PASSWORD=**** PG_SLAVE_NAME=" + name;
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        String required(String var, Pattern shape, String example) {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                problems.add(var + " is required and " + (v == null ? "not set" : "empty") + ": " + example);
                return null;
            }
            return checked(var, v, shape, example);
        }

        String optional(String var, String fallback, Pattern shape, String example) {
            String v = env.get(var);
            if (v == null) {
                return fallback;
            }
            if (v.isBlank()) {
                problems.add(var + " is set but empty: unset it to use the default '" + fallback + "', or give "
                        + example);
                return fallback;
            }
            return checked(var, v, shape, example);
        }

        private String checked(String var, String v, Pattern shape, String example) {
            if (!shape.matcher(v).matches()) {
                problems.add(var + "='" + printable(v) + "' is malformed: expected " + example);
            }
            return v;
        }

        int port(String var, int fallback) {
            String v = env.get(var);
            if (v == null) {
                return fallback;
            }
            try {
                int p = Integer.parseInt(v.strip());
                if (p >= 1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(var + "='" + printable(v) + "' is malformed: a TCP port is a number from 1 to 65535"
                    + " (default " + fallback + ")");
            return fallback;
        }

        /** @return the TLS files when any BACKREST_TLS_*_FILE is set: then all three, absolute paths */
        RepositoryHost.Tls tls() {
            if (TLS_VARIABLES.stream().noneMatch(env::containsKey)) {
                return null;
            }
            List<String> files = new ArrayList<>();
            for (String var : TLS_VARIABLES) {
                String v = env.get(var);
                if (v == null || v.isBlank()) {
                    problems.add(var + " is " + (v == null ? "not set" : "empty") + ", but TLS to the repository"
                            + " host needs all of " + String.join(", ", TLS_VARIABLES) + ": give the file's path in"
                            + " the container, e.g. " + var + "=" + example(var));
                } else if (!v.startsWith("/") || v.contains("..") || v.chars().anyMatch(Character::isISOControl)) {
                    problems.add(var + "='" + printable(v) + "' is malformed: expected an absolute path in the"
                            + " container, e.g. " + example(var));
                }
                files.add(v);
            }
            return files.contains(null) ? null : new RepositoryHost.Tls(files.get(0), files.get(1), files.get(2));
        }

        private static String example(String var) {
            return switch (var) {
                case "BACKREST_TLS_CA_FILE" -> "/run/secrets/pgbackrest-ca.crt";
                case "BACKREST_TLS_CERT_FILE" -> "/run/secrets/standby.crt";
                default -> "/run/secrets/standby.key";
            };
        }

        Secret password() {
            String v = env.get("PG_REPLICATION_PASSWORD");
            String file = env.get("PG_REPLICATION_PASSWORD_FILE");
            if (v != null && file != null) {
                problems.add("PG_REPLICATION_PASSWORD and PG_REPLICATION_PASSWORD_FILE are both set: keep one"
                        + " (the _FILE variant names a Docker secret, e.g. /run/secrets/replication_password)");
                return Secret.none();
            }
            if (file != null) {
                try {
                    String read = Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceAll("\\R+$", "");
                    if (read.isEmpty()) {
                        problems.add("PG_REPLICATION_PASSWORD_FILE=" + file + " is empty: write the password in it");
                    }
                    return Secret.of(read);
                } catch (IOException | RuntimeException e) {
                    problems.add("PG_REPLICATION_PASSWORD_FILE=" + file + " cannot be read (" + e.getClass()
                            .getSimpleName() + "): mount the secret there, readable by the postgres user");
                    return Secret.none();
                }
            }
            if (v != null && v.isEmpty()) {
                problems.add("PG_REPLICATION_PASSWORD is set but empty: unset it to use the default, or give the"
                        + " password (or PG_REPLICATION_PASSWORD_FILE=/run/secrets/...)");
            }
            return Secret.of(v != null ? v : "replication");
        }

        private static String printable(String v) {
            return v.replaceAll("\\p{Cntrl}", "?");
        }
    }

    /** @return whether the value is a known_hosts or public key line ({@link HostKeyPin#keyPart}) on one line */
    private static boolean isKeyLine(String value) {
        if (value.strip().indexOf('\n') >= 0 || value.strip().indexOf('\r') >= 0) {
            return false;
        }
        try {
            HostKeyPin.keyPart(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
