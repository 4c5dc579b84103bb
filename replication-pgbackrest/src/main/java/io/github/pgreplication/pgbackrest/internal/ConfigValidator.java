package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.Problem;
import io.github.pgreplication.internal.PathRules;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.internal.Validator;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a whole {@link PgBackRestConfig} at once and returns every problem with the value, the rule and the fix. */
public final class ConfigValidator {
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern OPTION = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]%-]+");
    private static final Pattern CLIENT_CN = Pattern.compile("[^*=,\\s\\p{Cntrl}]+");
    private static final Pattern SECRET_OPTION =
            Pattern.compile(".*-(key|key-secret|pass|passphrase|token|sse-customer-key)");

    private final List<Problem> problems = new ArrayList<>();

    private ConfigValidator() {
    }

    /**
     * @param config the configuration
     * @return every problem, in order; empty when valid
     */
    public static List<Problem> validate(PgBackRestConfig config) {
        ConfigValidator v = new ConfigValidator();
        v.global(config);
        v.stanzas(config.stanzas());
        return v.problems;
    }

    /**
     * @param name a candidate stanza name
     * @return null when valid, else the rule it breaks
     */
    public static String stanzaProblem(String name) {
        if (name == null || !STANZA.matcher(name).matches()) {
            return "stanza names use letters, digits, '_', '-' and '.', start with a letter or digit and have at most"
                    + " 64 characters (the name is an INI section and a directory in the repository)";
        }
        if (name.toLowerCase(Locale.ROOT).equals("global")) {
            return "'global' is pgBackRest's section for options shared by all stanzas";
        }
        return null;
    }

    /**
     * @param stanza a stanza name as given
     * @return it, when valid
     * @throws IllegalArgumentException naming it (control characters escaped), the rule and a valid name to use
     */
    public static String requireStanza(String stanza) {
        String problem = stanzaProblem(stanza);
        if (problem != null) {
            throw new IllegalArgumentException("stanza name '" + Text.printable(stanza) + "' is invalid: " + problem
                    + ". Try '" + suggestStanza(stanza) + "'");
        }
        return stanza;
    }

    /**
     * The rule for a {@code pgbackrest.conf} the library writes or passes as {@code --config}: the core's rule for
     * a file it writes, except that pgBackRest's own places in {@code /etc} are allowed ({@code /etc/pgbackrest.conf}
     * and anything under {@code /etc/pgbackrest/}), and only those there.
     *
     * @param path a file path as given; not null
     * @return why it cannot be a configuration file's path (control character, relative, {@code ..} segment, a
     *         trailing {@code /}, a system directory, or inside one other than pgBackRest's places in {@code /etc}),
     *         or null
     */
    public static String configPathProblem(String path) {
        String problem = PathRules.fileProblem(path, Set.of("/etc"));
        if (problem != null) {
            return problem;
        }
        String n = PathRules.normalise(path);
        if (n.startsWith("/etc/") && !n.equals("/etc/pgbackrest.conf") && !n.startsWith("/etc/pgbackrest/")) {
            return "must not be inside /etc except at pgBackRest's own places, /etc/pgbackrest.conf and"
                    + " /etc/pgbackrest/";
        }
        return null;
    }

    /**
     * @param path a configuration file's path as given; not null
     * @return it, when {@link #configPathProblem} finds nothing
     * @throws IllegalArgumentException naming it (control characters escaped), the rule and an example
     */
    public static String requireConfigPath(String path) {
        String problem = configPathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException("config path '" + Text.printable(path) + "': " + problem
                    + ". Give the file's absolute path, e.g. /var/lib/postgresql/pgbackrest.conf");
        }
        return path;
    }

    /**
     * @param name any text
     * @return a valid stanza name close to it
     */
    public static String suggestStanza(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[^A-Za-z0-9]+", "");
        if (s.isEmpty() || s.equalsIgnoreCase("global")) {
            s = "main";
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    private void add(String subject, String rule, String fix) {
        problems.add(new Problem(subject, rule, fix));
    }

    private void global(PgBackRestConfig c) {
        c.repository().ifPresent(this::repository);
        c.repositoryHost().ifPresent(this::repositoryHost);
        c.tlsServer().ifPresent(this::tlsServer);
        c.processMax().ifPresent(p -> {
            if (p < 1 || p > 999) {
                add("process-max " + p, "must be between 1 and 999",
                        "Use at least 1, at most the cores you can spare: .processMax(2)");
            }
        });
        c.compressLevel().ifPresent(level -> {
            PgBackRestConfig.CompressType type = c.compressType().orElse(PgBackRestConfig.CompressType.GZ);
            String named = "compress-type=" + type.toPgBackRest() + (c.compressType().isEmpty() ? " (the default)"
                    : "");
            if (type == PgBackRestConfig.CompressType.NONE) {
                add("compress-level " + level, "has no effect with " + named,
                        "Remove .compressLevel(...), or compress: .compressType(CompressType.ZST).compressLevel(3)");
            } else if (level < type.minLevel() || level > type.maxLevel()) {
                add("compress-level " + level, "must be between " + type.minLevel() + " and " + type.maxLevel()
                        + " with " + named + " (pgBackRest refuses it)", "Use e.g. .compressLevel("
                        + type.defaultLevel() + "), pgBackRest's default for " + type.toPgBackRest());
            }
        });
        c.logPath().ifPresent(p -> absolute("log-path", p, ".logPath(\"/var/log/pgbackrest\")"));
        c.spoolPath().ifPresent(p -> absolute("spool-path", p, ".archiveAsync(\"/var/spool/pgbackrest\")"));
        Set<String> typed = Ini.typedGlobal(c, false).keySet();
        options("[global]", c.globalOptions(), typed);
    }

    private void repository(Repository r) {
        if (r.path() != null) {
            absolute("repo1-path", r.path(), "Repository." + r.type().toPgBackRest() + "(\"/var/lib/pgbackrest\")");
        }
        r.retentionFull().ifPresent(n -> {
            if (n < 1 || n > 9_999_999) {
                add("repo1-retention-full " + n, "must be between 1 and 9999999 full backups",
                        "Keep at least one: .withRetentionFull(2)");
            }
        });
        if (r.type() == Repository.Type.S3) {
            s3(r);
        }
        if (r.type() == Repository.Type.SFTP) {
            sftp(r.options());
        }
        repositorySecrets(r);
        for (Map.Entry<String, String> e : r.options().entrySet()) {
            String name = "repo1-" + e.getKey();
            optionName(name, e.getKey());
            secretInClear(name);
            value(name, e.getValue());
        }
    }

    /** An S3 repository: bucket, endpoint and region, and both shared keys. */
    private void s3(Repository r) {
        Map<String, String> o = r.options();
        String bucket = o.get("s3-bucket");
        if (bucket == null || !S3_BUCKET.matcher(bucket).matches()) {
            add("repo1-s3-bucket '" + bucket + "'", "S3 bucket names have 3 to 63 lower-case letters, digits,"
                    + " dots and hyphens, and start and end with a letter or digit",
                    "Use the bucket's name exactly as created, e.g. 'pg-backups'");
        }
        String endpoint = o.get("s3-endpoint");
        if (blank(endpoint) || endpoint.contains("://") || endpoint.contains("/")) {
            add("repo1-s3-endpoint '" + endpoint + "'", "must be a host name without scheme or path",
                    "Write e.g. 's3.eu-central-1.amazonaws.com', not 'https://...'");
        }
        if (blank(o.get("s3-region"))) {
            add("repo1-s3-region '" + o.get("s3-region") + "'", "must not be empty",
                    "Give the bucket's region, e.g. 'eu-central-1' (any value for MinIO)");
        }
        for (String k : List.of("s3-key", "s3-key-secret")) {
            if (r.secrets().get(k) == null || !r.secrets().get(k).isPresent()
                    || r.secrets().get(k).reveal().orElse("").isBlank()) {
                add("repo1-" + k, "must be set for an S3 repository with shared keys",
                        "Pass it with Secret.of(System.getenv(\"" + k.toUpperCase(Locale.ROOT).replace('-', '_')
                                + "\"))");
            }
        }
    }

    /** An SFTP repository: server, user, private key, port. */
    private void sftp(Map<String, String> o) {
        if (blank(o.get("sftp-host"))) {
            add("repo1-sftp-host '" + o.get("sftp-host") + "'", "must not be empty",
                    "Give the SFTP server's name: Repository.sftp(\"backup.example.com\", \"pgbackrest\", ...)");
        }
        if (blank(o.get("sftp-host-user"))) {
            add("repo1-sftp-host-user '" + o.get("sftp-host-user") + "'", "must not be empty",
                    "Give the SFTP user, e.g. 'pgbackrest'");
        }
        absolute("repo1-sftp-private-key-file", o.get("sftp-private-key-file"),
                "e.g. \"/var/lib/postgresql/.ssh/id_ed25519\"");
        if (o.containsKey("sftp-host-port")) {
            port("repo1-sftp-host-port", Integer.parseInt(o.get("sftp-host-port")));
        }
    }

    /** Secrets are written into pgbackrest.conf as they are: one line each. */
    private void repositorySecrets(Repository r) {
        r.secrets().forEach((k, secret) -> {
            if (Text.hasControl(secret.reveal().orElse(""))) {
                add("repo1-" + k, "must not contain line breaks or other control characters: it is written into"
                        + " pgbackrest.conf, where a line break would start another option (its value is not shown)",
                        "Remove them where the secret is read, e.g. Secret.of(Files.readString(file).strip())");
            }
        });
    }

    private void repositoryHost(RepositoryHost h) {
        if (blank(h.address()) || !HOST.matcher(h.address()).matches() || h.address().startsWith("-")) {
            add("repo1-host '" + h.address() + "'", "must be a host name or IP address (no user@, spaces, or"
                    + " leading '-')", "Give the name the standby reaches the repository host by: "
                    + "RepositoryHost.at(\"eshua.example.com\"), and the user with .withUser(\"postgres\")");
        }
        // Over SSH and over TLS alike: repo1-host-config is written into pgbackrest.conf either way.
        if (h.configPath() != null) {
            String problem = configPathProblem(h.configPath());
            if (problem != null) {
                add("repo1-host-config '" + Text.printable(h.configPath()) + "'", problem,
                        "Give the file's absolute path: .withConfigPath(\"/etc/pgbackrest.conf\")");
            }
        }
        if (h.isTls()) {
            port("repo1-host-port", h.port());
            String example = ".withTls(\"/etc/pgbackrest/ca.crt\", \"/etc/pgbackrest/eshub.crt\","
                    + " \"/etc/pgbackrest/eshub.key\")";
            tlsFile("repo1-host-ca-file", h.tls().caFile(), example);
            tlsFile("repo1-host-cert-file", h.tls().certFile(), example);
            tlsFile("repo1-host-key-file", h.tls().keyFile(), example);
            if (h.tls().keyFile().equals(h.tls().certFile()) || h.tls().keyFile().equals(h.tls().caFile())) {
                add("repo1-host-key-file '" + h.tls().keyFile() + "'", "is also given as a certificate file: the"
                        + " key must be a file of its own, readable by pgBackRest's user only",
                        "Give the key's own file: "
                        + example);
            }
            return;
        }
        if (!USER.matcher(h.user()).matches()) {
            add("repo1-host-user '" + h.user() + "'", "must be a user name: letters, digits, '_', '.', '-'",
                    "The user that owns the repository, usually .withUser(\"postgres\")");
        }
        port("repo1-host-port", h.port());
        if (h.command() != null) {
            value("repo1-host-cmd", h.command());
        }
    }

    private void tlsServer(PgBackRestConfig.TlsServer t) {
        String example = "TlsServer.of(\"/etc/pgbackrest/server.crt\", \"/etc/pgbackrest/server.key\","
                + " \"/etc/pgbackrest/ca.crt\")";
        if (!t.address().equals("*") && (!HOST.matcher(t.address()).matches() || t.address().startsWith("-"))) {
            add("tls-server-address '" + t.address() + "'", "must be an IP address, a host name, or * for every"
                    + " address", "Listen where the standbys connect: .withAddress(\"*\")");
        }
        port("tls-server-port", t.port());
        tlsFile("tls-server-cert-file", t.certFile(), example);
        tlsFile("tls-server-key-file", t.keyFile(), example);
        tlsFile("tls-server-ca-file", t.caFile(), example);
        if (t.allowed().isEmpty()) {
            add("tls-server-auth", "is empty: the server would refuse every client certificate", "Allow each"
                    + " standby's client certificate CN for the stanza: .allow(\"eshub\", \"main\")");
        }
        t.allowed().forEach((cn, stanzas) -> {
            if (blank(cn) || !CLIENT_CN.matcher(cn).matches()) {
                add("tls-server-auth client CN '" + Text.printable(cn) + "'", "must be a certificate CN without"
                        + " '*' (pgBackRest allows no wildcard for the CN), '=', ',', spaces or control characters",
                        "Give the exact CN of the standby's client certificate, e.g. .allow(\"eshub\", \"main\")");
            }
            if (stanzas.isEmpty()) {
                add("tls-server-auth for '" + Text.printable(cn) + "'", "names no stanza", "Name the stanzas it"
                        + " may use, or * for all: .allow(\"" + Text.printable(cn) + "\", \"main\")");
            }
            for (String stanza : stanzas) {
                if (!"*".equals(stanza) && stanzaProblem(stanza) != null) {
                    add("tls-server-auth stanza '" + Text.printable(stanza) + "' for '" + Text.printable(cn) + "'",
                            stanzaProblem(stanza), "Name an existing stanza, or * for all");
                }
            }
        });
    }

    private void tlsFile(String option, String path, String example) {
        String problem = path == null ? "is required" : PathRules.fileProblem(path, Set.of("/etc"));
        if (problem != null) {
            add(option + " '" + Text.printable(path) + "'", problem, "Give the file's absolute path: " + example);
        }
    }

    private void stanzas(List<StanzaSection> stanzas) {
        if (stanzas.isEmpty()) {
            add("the configuration", "has no stanza section", "Add one: .addStanza(StanzaSection.named(\"main\")"
                    + ".withPgPath(\"/var/lib/postgresql/15/main\"))");
        }
        Set<String> seen = new HashSet<>();
        for (StanzaSection s : stanzas) {
            String rule = stanzaProblem(s.name());
            if (rule != null) {
                add("stanza name '" + s.name() + "'", rule, "Try '" + suggestStanza(s.name()) + "'");
            }
            if (!seen.add(s.name())) {
                add("stanza '" + s.name() + "'", "is defined twice", "Keep one section per stanza");
            }
            String owner = "stanza '" + s.name() + "'";
            if (s.pgPath() == null) {
                add(owner + " pg1-path", "is required: pgBackRest needs the data directory of the cluster",
                        "Add .withPgPath(\"/var/lib/postgresql/15/main\")");
            } else {
                absolute(owner + " pg1-path", s.pgPath(), ".withPgPath(\"/var/lib/postgresql/15/main\")");
            }
            if (s.pgPort() != null) {
                port(owner + " pg1-port", s.pgPort());
            }
            if (s.pgSocketPath() != null) {
                absolute(owner + " pg1-socket-path", s.pgSocketPath(), ".withPgSocketPath(\"/var/run/postgresql\")");
            }
            options(owner, s.options(), Ini.typedStanza(s).keySet());
        }
    }

    private void options(String owner, Map<String, String> options, Set<String> typed) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            String name = e.getKey();
            optionName(owner + " option " + name, name);
            if (typed.contains(name)) {
                add(owner + " option " + name, "is also set by a typed method",
                        "Set it once, with the typed method");
            }
            secretInClear(owner + " option " + name);
            value(owner + " option " + name, e.getValue());
        }
    }

    private void optionName(String subject, String name) {
        if (!OPTION.matcher(name).matches()) {
            add(subject + " '" + name + "'", "option names use lower-case letters, digits and '-'",
                    "Write it as in pgBackRest's documentation, e.g. 'lock-path'");
        }
    }

    private void secretInClear(String subject) {
        if (SECRET_OPTION.matcher(subject).matches()) {
            add(subject, "is a secret given as plain text, so it would show in logs",
                    "Use the typed method that takes a Secret: Repository.s3(...), .withCipher(Secret),"
                            + " .withSftpPrivateKeyPassphrase(Secret)");
        }
    }

    private void value(String subject, String value) {
        if (Text.hasControl(value)) {
            add(subject + " value", Validator.CONTROL_RULE + " (a line break would start a new"
                    + " option)", "Remove the line break or control character");
        }
    }

    private void absolute(String subject, String path, String example) {
        if (path == null || !path.startsWith("/")) {
            add(subject + " '" + path + "'", "must be an absolute path (relative paths depend on the directory"
                    + " pgBackRest happens to start in)", "Use an absolute path: " + example);
        } else {
            value(subject, path);
        }
    }

    private void port(String subject, int port) {
        if (port < 1 || port > 65535) {
            add(subject + " " + port, "must be between 1 and 65535", "Use the port the server listens on, e.g. 22"
                    + " for SSH or 5432 for PostgreSQL");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
