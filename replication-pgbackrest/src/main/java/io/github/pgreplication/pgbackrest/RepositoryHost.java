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
 */
public record RepositoryHost(String address, String user, int port, String configPath, String command,
        Host access) {

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
     */
    public RepositoryHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
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

    /** @return the access host, when the library can reach the repository host itself */
    public Optional<Host> accessHost() {
        return Optional.ofNullable(access);
    }

    /** @return {@code user@address}, plus {@code :port} when not 22, for messages */
    public String display() {
        return user + "@" + address + (port == 22 ? "" : ":" + port);
    }

    /** Makes a description of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private RepositoryHost copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new RepositoryHost(c.address, c.user, c.port, c.configPath, c.command, c.access);
    }

    /** This description's fields, for a wither to change before {@link #copy} makes a description of them. */
    private final class Copy {
        String address = RepositoryHost.this.address;
        String user = RepositoryHost.this.user;
        int port = RepositoryHost.this.port;
        String configPath = RepositoryHost.this.configPath;
        String command = RepositoryHost.this.command;
        Host access = RepositoryHost.this.access;
    }
}
