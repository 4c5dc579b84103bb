package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Problem;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.internal.ConfigFiles;
import io.github.pgreplication.pgbackrest.internal.ConfigValidator;
import io.github.pgreplication.pgbackrest.internal.Ini;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pgbackrest.conf: the {@code [global]} section (repository, repository host, process-max, log path,
 * compression, start-fast, asynchronous archiving) and one section per stanza. Built with a mutable
 * {@link Builder} whose {@link Builder#build()} checks everything at once; the result is immutable.
 *
 * <p>The primary of the runbook, which holds the repository:
 * <pre>{@code
 * PgBackRestConfig primaryConfig = PgBackRestConfig.builder()
 *         .repository(Repository.posix("/var/lib/pgbackrest").withRetentionFull(2))
 *         .processMax(4)
 *         .logPath("/var/log/pgbackrest")
 *         .addStanza(StanzaSection.named("psql").withPgPath("/var/lib/postgresql/15/main").withPgPort(5432))
 *         .build();
 * primaryConfig.writeTo(primary.host());                  // /etc/pgbackrest.conf
 * }</pre>
 * The same repository host serving standbys through pgBackRest's TLS server instead of SSH (its own daemon, started
 * with {@code pgbackrest server}; the library writes its options, it does not run it):
 * <pre>{@code
 * PgBackRestConfig withServer = primaryConfig.toBuilder()
 *         .tlsServer(PgBackRestConfig.TlsServer.of("/etc/pgbackrest/server.crt", "/etc/pgbackrest/server.key",
 *                         "/etc/pgbackrest/ca.crt")
 *                 .allow("eshub", "psql"))                 // tls-server-auth=eshub=psql: the client CN, its stanzas
 *         .build();
 * }</pre>
 * A standby that reaches that repository over SSH:
 * <pre>{@code
 * PgBackRestConfig standbyConfig = PgBackRestConfig.builder()
 *         .repositoryHost(RepositoryHost.at("eshua.ghelew.ch").withUser("postgres"))
 *         .addStanza(StanzaSection.named("psql").withPgPath("/var/lib/postgresql/data"))
 *         .build();
 * }</pre>
 *
 * <p>Secrets are written into the file, which is then written with mode 0600 (0640 without secrets, as pgBackRest's
 * packages do); {@link #toString()} and {@link #toRedactedIni()} show them as {@code ****}.
 */
public final class PgBackRestConfig {
    /** Where {@link #writeTo(Host)} writes: the path pgBackRest reads when {@code /etc/pgbackrest/pgbackrest.conf}
     * does not exist, and the file Debian's package installs (owned by postgres). */
    public static final String DEFAULT_PATH = "/etc/pgbackrest.conf";

    private final Repository repository;
    private final RepositoryHost repositoryHost;
    private final Integer processMax;
    private final String logPath;
    private final CompressType compressType;
    private final Integer compressLevel;
    private final Boolean startFast;
    private final String spoolPath;
    private final TlsServer tlsServer;
    private final Map<String, String> globalOptions;
    private final List<StanzaSection> stanzas;

    private PgBackRestConfig(Builder b) {
        this.repository = b.repository;
        this.repositoryHost = b.repositoryHost;
        this.processMax = b.processMax;
        this.logPath = b.logPath;
        this.compressType = b.compressType;
        this.compressLevel = b.compressLevel;
        this.startFast = b.startFast;
        this.spoolPath = b.spoolPath;
        this.tlsServer = b.tlsServer;
        this.globalOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.globalOptions));
        this.stanzas = List.copyOf(b.stanzas);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration, to derive another one */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.repository = repository;
        b.repositoryHost = repositoryHost;
        b.processMax = processMax;
        b.logPath = logPath;
        b.compressType = compressType;
        b.compressLevel = compressLevel;
        b.startFast = startFast;
        b.spoolPath = spoolPath;
        b.tlsServer = tlsServer;
        b.globalOptions.putAll(globalOptions);
        b.stanzas.addAll(stanzas);
        return b;
    }

    /** Mutable description of a pgbackrest.conf; {@link #build()} validates it. */
    public static final class Builder {
        private Repository repository;
        private RepositoryHost repositoryHost;
        private Integer processMax;
        private String logPath;
        private CompressType compressType;
        private Integer compressLevel;
        private Boolean startFast;
        private String spoolPath;
        private TlsServer tlsServer;
        private final Map<String, String> globalOptions = new LinkedHashMap<>();
        private final List<StanzaSection> stanzas = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param value where backups and WAL are stored ({@code repo1-*})
         * @return this builder
         */
        public Builder repository(Repository value) {
            this.repository = Objects.requireNonNull(value, "repository");
            return this;
        }

        /**
         * @param value the host holding the repository, reached over SSH ({@code repo1-host},
         *              {@code repo1-host-user}...): for a standby whose repository is on the primary
         * @return this builder
         */
        public Builder repositoryHost(RepositoryHost value) {
            this.repositoryHost = Objects.requireNonNull(value, "repositoryHost");
            return this;
        }

        /**
         * @param value {@code process-max}: parallel processes for backup, restore, archive; 1 to 999
         * @return this
         */
        public Builder processMax(int value) {
            this.processMax = value;
            return this;
        }

        /**
         * @param value {@code log-path}: absolute; default {@code /var/log/pgbackrest}
         * @return this builder
         */
        public Builder logPath(String value) {
            this.logPath = value;
            return this;
        }

        /**
         * How backups and archived WAL are compressed in the repository ({@code backup} and {@code archive-push}
         * compress; {@code restore} and {@code archive-get} read each file's own compression, so a standby's
         * configuration needs none of it). A restore from a repository on another host moves the files as they are
         * stored, so this is also what crosses the link.
         *
         * @param value {@code compress-type}; default gz
         * @return this builder
         */
        public Builder compressType(CompressType value) {
            this.compressType = Objects.requireNonNull(value, "compressType");
            return this;
        }

        /**
         * @param value {@code compress-level} for {@link #compressType(CompressType)} (gz when not set): within
         *              {@link CompressType#minLevel()} to {@link CompressType#maxLevel()}, checked by
         *              {@link #build()}; default {@link CompressType#defaultLevel()}
         * @return this builder
         */
        public Builder compressLevel(int value) {
            this.compressLevel = value;
            return this;
        }

        /**
         * @param value {@code start-fast}: force a checkpoint when a backup starts; default off
         * @return this
         */
        public Builder startFast(boolean value) {
            this.startFast = value;
            return this;
        }

        /**
         * Turns on asynchronous archiving ({@code archive-async=y}), which queues WAL in a local spool directory.
         *
         * @param spoolPathValue {@code spool-path}: an absolute path on a local file system, writable by the
         *                       pgBackRest user, e.g. {@code /var/spool/pgbackrest}
         * @return this builder
         */
        public Builder archiveAsync(String spoolPathValue) {
            this.spoolPath = Objects.requireNonNull(spoolPathValue, "spoolPath");
            return this;
        }

        /**
         * Makes this host serve its repository through pgBackRest's TLS server ({@code tls-server-*}): for the
         * repository host's own configuration, which {@code pgbackrest server} reads.
         *
         * @param value the server's address, port, certificate files and allow list
         * @return this builder
         */
        public Builder tlsServer(TlsServer value) {
            this.tlsServer = Objects.requireNonNull(value, "tlsServer");
            return this;
        }

        /**
         * The escape hatch for any other {@code [global]} option.
         *
         * @param option full option name, e.g. {@code lock-path}
         * @param value  its value
         * @return this builder
         */
        public Builder globalOption(String option, String value) {
            globalOptions.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param stanza a stanza section
         * @return this builder
         */
        public Builder addStanza(StanzaSection stanza) {
            stanzas.add(Objects.requireNonNull(stanza, "stanza"));
            return this;
        }

        /**
         * Checks the whole configuration and freezes it.
         *
         * @return the configuration
         * @throws PgBackRestException of kind {@link PgBackRestException.Kind#INVALID_CONFIG}, listing every problem,
     *                             numbered, with value, rule and fix ({@link PgBackRestException#problems()})
         */
        public PgBackRestConfig build() {
            PgBackRestConfig config = new PgBackRestConfig(this);
            List<Problem> problems = ConfigValidator.validate(config);
            if (!problems.isEmpty()) {
                throw new PgBackRestException(problems);
            }
            return config;
        }
    }

    /** @return the repository, when set */
    public Optional<Repository> repository() {
        return Optional.ofNullable(repository);
    }

    /** @return the repository host, when set */
    public Optional<RepositoryHost> repositoryHost() {
        return Optional.ofNullable(repositoryHost);
    }

    /** @return {@code process-max}, when set */
    public Optional<Integer> processMax() {
        return Optional.ofNullable(processMax);
    }

    /** @return {@code log-path}, when set */
    public Optional<String> logPath() {
        return Optional.ofNullable(logPath);
    }

    /** @return {@code compress-type}, when set */
    public Optional<CompressType> compressType() {
        return Optional.ofNullable(compressType);
    }

    /** @return {@code compress-level}, when set */
    public Optional<Integer> compressLevel() {
        return Optional.ofNullable(compressLevel);
    }

    /** @return {@code start-fast}, when set */
    public Optional<Boolean> startFast() {
        return Optional.ofNullable(startFast);
    }

    /** @return the spool path when asynchronous archiving is on */
    public Optional<String> spoolPath() {
        return Optional.ofNullable(spoolPath);
    }

    /** @return the TLS server this host runs for its repository, when set */
    public Optional<TlsServer> tlsServer() {
        return Optional.ofNullable(tlsServer);
    }

    /** @return other {@code [global]} options */
    public Map<String, String> globalOptions() {
        return globalOptions;
    }

    /** @return the stanza sections, in the order added */
    public List<StanzaSection> stanzas() {
        return stanzas;
    }

    /**
     * @param name a stanza name
     * @return its section, when present
     */
    public Optional<StanzaSection> stanza(String name) {
        return stanzas.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return whether the file holds a secret (it is then written with mode 0600) */
    public boolean hasSecrets() {
        return repository != null && repository.hasSecrets();
    }

    /** @return the mode the file is written with: {@code 0600} with secrets, else {@code 0640} */
    public String fileMode() {
        return hasSecrets() ? "0600" : "0640";
    }

    /** @return the file's text, secrets included: write it, never log it */
    public String toIni() {
        return Ini.render(this, true);
    }

    /** @return the file's text with secrets as {@code ****}, for logs, plans and runbooks */
    public String toRedactedIni() {
        return Ini.render(this, false);
    }

    /**
     * Writes the file to {@link #DEFAULT_PATH} on a host, unless it already has this content.
     *
     * @param host where to write, as the user that runs pgBackRest (or root)
     * @return whether the file changed
     */
    public boolean writeTo(Host host) {
        return writeTo(host, DEFAULT_PATH);
    }

    /**
     * Writes the file on a host, unless it already has this content. A path whose directory the host's user cannot
     * write (Debian's {@code /etc/pgbackrest.conf}, owned by postgres in {@code /etc}) is rewritten in place when
     * the file itself is writable; otherwise the write is atomic (temporary file, then rename). Pass the same path
     * to {@link PgBackRest#withConfigPath(String)} so that every command reads it.
     *
     * @param host where to write
     * @param path absolute path, e.g. {@code /var/lib/postgresql/pgbackrest.conf}
     * @return whether the file changed
     * @throws IllegalArgumentException before anything runs, when the path is relative, has a {@code ..} segment,
     *                                  a control character or a trailing {@code /}, or is a system directory
     */
    public boolean writeTo(Host host, String path) {
        ConfigValidator.requireConfigPath(Objects.requireNonNull(path, "path"));
        return ConfigFiles.write(host, path, toIni(), fileMode());
    }

    /**
     * @param path where the file goes
     * @return the shell lines that write it by hand, secrets as {@code ****}
     */
    public List<String> runbook(String path) {
        List<String> lines = new ArrayList<>();
        lines.add("install -m " + fileMode() + " /dev/null " + Command.shellQuote(path));
        lines.add("cat > " + Command.shellQuote(path) + " <<'EOF'");
        lines.addAll(List.of(toRedactedIni().split("\n")));
        lines.add("EOF");
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgBackRestConfig c && toIni().equals(c.toIni());
    }

    @Override
    public int hashCode() {
        return toIni().hashCode();
    }

    /** @return the file's text with secrets as {@code ****} */
    @Override
    public String toString() {
        return toRedactedIni();
    }

    /**
     * pgBackRest's TLS server on the repository host (pgBackRest 2.37+): it listens on {@code address:port},
     * presents {@code certFile}, accepts only clients whose certificate {@code caFile} signed and whose CN the allow
     * list names for the stanza ({@code tls-server-auth=CN=STANZA[,STANZA...]}, {@code *} for every stanza). The
     * server is the user's daemon ({@code pgbackrest server}, as the repository's user, e.g. under systemd or
     * rcctl); the library only writes its options.
     *
     * @param address  {@code tls-server-address}: the address to listen on, {@code *} for every one (pgBackRest's
     *                 own default, {@code localhost}, serves no other host)
     * @param port     {@code tls-server-port}; default {@link RepositoryHost#TLS_PORT}
     * @param certFile {@code tls-server-cert-file}: its certificate, naming the address the standbys use
     * @param keyFile  {@code tls-server-key-file}: its private key
     * @param caFile   {@code tls-server-ca-file}: the CA that signed the clients' certificates
     * @param allowed  {@code tls-server-auth}: client CN to the stanzas it may use, in order
     */
    public record TlsServer(String address, int port, String certFile, String keyFile, String caFile,
            Map<String, List<String>> allowed) {
        /**
         * Copies the allow list.
         *
         * @param address  {@code tls-server-address}
         * @param port     {@code tls-server-port}
         * @param certFile {@code tls-server-cert-file}
         * @param keyFile  {@code tls-server-key-file}
         * @param caFile   {@code tls-server-ca-file}
         * @param allowed  {@code tls-server-auth}
         */
        public TlsServer {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(caFile, "caFile");
            Map<String, List<String>> copy = new LinkedHashMap<>();
            Objects.requireNonNull(allowed, "allowed").forEach((cn, stanzas) -> copy.put(cn, List.copyOf(stanzas)));
            allowed = Collections.unmodifiableMap(copy);
        }

        /**
         * @param certFile {@code tls-server-cert-file}
         * @param keyFile  {@code tls-server-key-file}
         * @param caFile   {@code tls-server-ca-file}
         * @return a server on every address ({@code *}), port {@link RepositoryHost#TLS_PORT}, allowing no client
         *         yet (add them with {@link #allow(String, String...)})
         */
        public static TlsServer of(String certFile, String keyFile, String caFile) {
            return new TlsServer("*", RepositoryHost.TLS_PORT, certFile, keyFile, caFile, Map.of());
        }

        /**
         * @param clientCn the CN of a client certificate, e.g. the standby's name
         * @param stanzas  the stanzas it may use, or {@code *} for all
         * @return a copy that also allows that client
         */
        public TlsServer allow(String clientCn, String... stanzas) {
            Map<String, List<String>> m = new LinkedHashMap<>(allowed);
            m.put(Objects.requireNonNull(clientCn, "clientCn"), List.of(stanzas));
            return new TlsServer(address, port, certFile, keyFile, caFile, m);
        }

        /**
         * @param newAddress {@code tls-server-address}
         * @return a copy
         */
        public TlsServer withAddress(String newAddress) {
            return new TlsServer(newAddress, port, certFile, keyFile, caFile, allowed);
        }

        /**
         * @param newPort {@code tls-server-port}
         * @return a copy
         */
        public TlsServer withPort(int newPort) {
            return new TlsServer(address, newPort, certFile, keyFile, caFile, allowed);
        }

        /**
         * @param clientCn a client certificate's CN
         * @param stanza   a stanza
         * @return whether the allow list lets that client use that stanza
         */
        public boolean allows(String clientCn, String stanza) {
            List<String> s = allowed.get(clientCn);
            return s != null && (s.contains(stanza) || s.contains("*"));
        }

        /**
         * The server's start command, to run as the repository's user (systemd's {@code ExecStart}, an rc script):
         * {@code pgbackrest --config=PATH server}, the path quoted for a POSIX shell. The server reads its options
         * from that file, so give the path the configuration was written to ({@link #writeTo(Host, String)}).
         *
         * @param configPath where the repository host's configuration is, e.g. {@code /etc/pgbackrest/pgbackrest.conf}
         * @return the command line
         * @throws IllegalArgumentException when {@link #writeTo(Host, String)} would refuse the path, with the rule
         */
        public static String startCommand(String configPath) {
            ConfigValidator.requireConfigPath(Objects.requireNonNull(configPath, "configPath"));
            return "pgbackrest --config=" + Command.shellQuote(configPath) + " server";
        }
    }

    /**
     * Values of pgBackRest's {@code compress-type} option (default {@code gz}), with the {@code compress-level} range
     * pgBackRest accepts for each ("'23' is out of range for 'compress-level' option when 'compress-type' option =
     * 'zst'" otherwise).
     */
    public enum CompressType {
        /** No compression (the network is then compressed with {@code compress-level-network}). */
        NONE(0, 0, 0),
        /** bzip2: levels 1 to 9, default 9; slow. */
        BZ2(1, 9, 9),
        /** gzip, pgBackRest's default: levels -1 to 9, default 6. */
        GZ(-1, 9, 6),
        /** lz4: levels -5 to 12, default 1; the fastest, not available on every platform. */
        LZ4(-5, 12, 1),
        /** Zstandard: levels -7 to 22, default 3; fast and compact, not available on every platform. */
        ZST(-7, 22, 3);

        private final int minLevel;
        private final int maxLevel;
        private final int defaultLevel;

        CompressType(int minLevel, int maxLevel, int defaultLevel) {
            this.minLevel = minLevel;
            this.maxLevel = maxLevel;
            this.defaultLevel = defaultLevel;
        }

        /** @return the lowest {@code compress-level} pgBackRest accepts for this type */
        public int minLevel() {
            return minLevel;
        }

        /** @return the highest {@code compress-level} pgBackRest accepts for this type */
        public int maxLevel() {
            return maxLevel;
        }

        /** @return the level pgBackRest uses when none is set */
        public int defaultLevel() {
            return defaultLevel;
        }

        /** @return the value as written in pgbackrest.conf, e.g. {@code lz4} */
        public String toPgBackRest() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
