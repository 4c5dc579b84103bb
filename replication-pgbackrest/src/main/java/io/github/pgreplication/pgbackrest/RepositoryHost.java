package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.host.Host;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The host that holds the pgBackRest repository, as seen from a host that does not (a standby): pgBackRest reaches
 * it over SSH with the {@code repo1-host*} options, and the standby's SSH trust is set up against it
 * ({@link SshTrust}). In the runbook it is the primary.
 *
 * <pre>{@code
 * RepositoryHost repository = RepositoryHost.at("eshua.ghelew.ch")
 *         .withUser("postgres")                 // repo1-host-user; the default
 *         .withAccess(primary.host());          // optional: lets the library install keys and read the host key
 * }</pre>
 *
 * <p>Or through pgBackRest's TLS server instead of SSH ({@link #withTls(String, String, String)}: pgBackRest 2.37+,
 * {@code repo1-host-type=tls}): the repository host runs {@code pgbackrest server} with its certificate and an allow
 * list of client certificate CNs ({@link PgBackRestConfig.TlsServer}); the standby presents its client certificate.
 * No SSH key, no host key pin: the standby trusts the server's certificate through the CA file.
 *
 * <pre>{@code
 * RepositoryHost repository = RepositoryHost.at("eshua.ghelew.ch")     // must be a name in the server's certificate
 *         .withTls("/etc/pgbackrest/ca.crt", "/etc/pgbackrest/eshub.crt", "/etc/pgbackrest/eshub.key");
 * }</pre>
 *
 * @param address    {@code repo1-host}: the name or address the standby connects to; the host key is pinned under
 *                   this exact name
 * @param user       {@code repo1-host-user}: the SSH user on the repository host, who owns the repository;
 *                   default {@code postgres}
 * @param port       {@code repo1-host-port}: its SSH port; default 22
 * @param configPath {@code repo1-host-config}: pgBackRest's configuration file on the repository host, or null for
 *                   pgBackRest's default
 * @param command    {@code repo1-host-cmd}: the pgbackrest program on the repository host, or null for the same
 *                   path as locally
 * @param access     how the library itself reaches the repository host as {@code user} (or as root) to install the
 *                   standby's public key and read its host key; null when that is done out of band
 * @param tls        the standby's TLS files when the repository host is reached through pgBackRest's TLS server;
 *                   null over SSH
 */
public record RepositoryHost(String address, String user, int port, String configPath, String command,
        Host access, Tls tls) {
    /** The port of pgBackRest's TLS server unless told otherwise ({@code tls-server-port}). */
    public static final int TLS_PORT = 8432;

    /**
     * Checks for nulls where a value is required.
     *
     * @param address    {@code repo1-host}: the name or address the standby connects to; the host key is pinned under
     *                   this exact name
     * @param user       {@code repo1-host-user}: the SSH user on the repository host, who owns the repository;
     *                   default {@code postgres}
     * @param port       {@code repo1-host-port}: its SSH port; default 22
     * @param configPath {@code repo1-host-config}: pgBackRest's configuration file on the repository host, or null for
     *                   pgBackRest's default
     * @param command    {@code repo1-host-cmd}: the pgbackrest program on the repository host, or null for the same
     *                   path as locally
     * @param access     how the library itself reaches the repository host as {@code user} (or as root) to install the
     *                   standby's public key and read its host key; null when that is done out of band
     * @param tls        the standby's TLS files for pgBackRest's TLS server; null over SSH
     */
    public RepositoryHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
    }

    /**
     * A repository host reached over SSH (the record before TLS).
     *
     * @param address    {@code repo1-host}
     * @param user       {@code repo1-host-user}
     * @param port       {@code repo1-host-port}
     * @param configPath {@code repo1-host-config}, or null
     * @param command    {@code repo1-host-cmd}, or null
     * @param access     the library's access to the repository host, or null
     */
    public RepositoryHost(String address, String user, int port, String configPath, String command, Host access) {
        this(address, user, port, configPath, command, access, null);
    }

    /**
     * The standby's files for pgBackRest's TLS server: absolute paths on the standby, read by the user that runs
     * pgBackRest there (the key readable by that user only). The library checks that they are there before a
     * restore; it never reads the key.
     *
     * @param caFile   {@code repo1-host-ca-file}: the CA that signed the repository host's server certificate
     * @param certFile {@code repo1-host-cert-file}: the standby's client certificate, whose CN the server's
     *                 {@code tls-server-auth} must allow for the stanza
     * @param keyFile  {@code repo1-host-key-file}: its private key
     */
    public record Tls(String caFile, String certFile, String keyFile) {
        /**
         * Checks for nulls.
         *
         * @param caFile   {@code repo1-host-ca-file}
         * @param certFile {@code repo1-host-cert-file}
         * @param keyFile  {@code repo1-host-key-file}
         */
        public Tls {
            Objects.requireNonNull(caFile, "caFile: the CA file that signed the repository host's certificate");
            Objects.requireNonNull(certFile, "certFile: the standby's client certificate file");
            Objects.requireNonNull(keyFile, "keyFile: the standby's client key file");
        }
    }

    /**
     * @param address the repository host's name or address, as the standby reaches it
     * @return a description
     */
    public static RepositoryHost at(String address) {
        return new RepositoryHost(address, "postgres", 22, null, null, null);
    }

    /**
     * @param newUser SSH user that owns the repository; default {@code postgres}
     * @return a copy
     */
    public RepositoryHost withUser(String newUser) {
        return copy(c -> c.user = newUser);
    }

    /**
     * @param newPort SSH port; default 22
     * @return a copy
     */
    public RepositoryHost withPort(int newPort) {
        return copy(c -> c.port = newPort);
    }

    /**
     * @param path pgBackRest's configuration file on the repository host ({@code repo1-host-config})
     * @return a copy
     */
    public RepositoryHost withConfigPath(String path) {
        return copy(c -> c.configPath = path);
    }

    /**
     * @param path the pgbackrest program on the repository host ({@code repo1-host-cmd})
     * @return a copy
     */
    public RepositoryHost withCommand(String path) {
        return copy(c -> c.command = path);
    }

    /**
     * @param host how the library reaches the repository host, e.g. {@code primary.host()}; commands run there as
     *             the repository user, or as root (files are then given to the repository user)
     * @return a copy
     */
    public RepositoryHost withAccess(Host host) {
        return copy(c -> c.access = host);
    }

    /**
     * Reaches the repository host through pgBackRest's TLS server ({@code repo1-host-type=tls}) instead of SSH; the
     * port becomes {@link #TLS_PORT} unless another than SSH's 22 was given. The user and the command are SSH's and
     * are not written; {@link #withConfigPath(String) the configuration path} is, as the process the server starts
     * for the standby reads the file it names (else pgBackRest's default file).
     *
     * @param caFile   {@code repo1-host-ca-file} on the standby, e.g. {@code /etc/pgbackrest/ca.crt}
     * @param certFile {@code repo1-host-cert-file}: the standby's client certificate
     * @param keyFile  {@code repo1-host-key-file}: its private key (mode 0600, owned by pgBackRest's user)
     * @return a copy
     */
    public RepositoryHost withTls(String caFile, String certFile, String keyFile) {
        Tls files = new Tls(caFile, certFile, keyFile);
        return copy(c -> {
            c.tls = files;
            if (c.port == 22) {
                c.port = TLS_PORT;
            }
        });
    }

    /** @return whether the repository host is reached through pgBackRest's TLS server */
    public boolean isTls() {
        return tls != null;
    }

    /** @return the access host, when the library can reach the repository host itself */
    public Optional<Host> accessHost() {
        return Optional.ofNullable(access);
    }

    /**
     * @return {@code user@address}, plus {@code :port} when not 22, for messages; over TLS {@code address:port (TLS)}
     */
    public String display() {
        if (tls != null) {
            return address + ":" + port + " (TLS)";
        }
        return user + "@" + address + (port == 22 ? "" : ":" + port);
    }

    /** Makes a description of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private RepositoryHost copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new RepositoryHost(c.address, c.user, c.port, c.configPath, c.command, c.access, c.tls);
    }

    /** This description's fields, for a wither to change before {@link #copy} makes a description of them. */
    private final class Copy {
        String address = RepositoryHost.this.address;
        String user = RepositoryHost.this.user;
        int port = RepositoryHost.this.port;
        String configPath = RepositoryHost.this.configPath;
        String command = RepositoryHost.this.command;
        Host access = RepositoryHost.this.access;
        Tls tls = RepositoryHost.this.tls;
    }
}
