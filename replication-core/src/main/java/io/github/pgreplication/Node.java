package io.github.pgreplication;

import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.internal.PathRules;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One PostgreSQL server, whatever its role: its name, the address its peers connect to, how the library
 * administers it, where it runs, how it is started and stopped, its data directory and port. Whether it is the
 * primary or a standby is a fact of the topology ({@link Replication#topology()}), not of this type: after a
 * switchover the same nodes sit in other places. {@link Primary} and {@link Standby} are views of a node with what
 * each role needs on top.
 *
 * <p>The library administers a node through JDBC when it has an {@link #adminEndpoint()} or a
 * {@link #dataSource()}, else through {@code psql} on its {@link #host()} over the local socket (a node that opens
 * no port still works).
 *
 * <pre>{@code
 * Node eshub = Node.named("eshub")
 *         .withEndpoint(Endpoint.of("eshub.ghelew.ch", 5432))        // where peers connect, once it is primary
 *         .withAdmin(Endpoint.of("eshub.ghelew.ch", 5432), "postgres", Secret.none())
 *         .withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
 *         .withDataDirectory("/var/postgresql/data");
 * }</pre>
 *
 * @param name          name used in logs, runbooks and messages; a standby's application_name. Checked at load():
 *                      1 to 63 letters, digits or underscores, whatever the node's place (a primary becomes a
 *                      standby at a switchover), at most 58 when its slot is {@code <name>_slot}
 * @param endpoint      the address peers connect to; may be null for a node no peer connects to (it cannot then
 *                      become the primary)
 * @param adminEndpoint the address the library connects to; null means psql on the host (or the data source)
 * @param adminUser     the superuser the library connects as; default {@code postgres}
 * @param adminPassword its password, or {@link Secret#none()}
 * @param database      the database the library connects to; default {@code postgres}
 * @param dataSource    a caller-supplied connection source used instead of {@code adminEndpoint}; may be null
 * @param host          where its commands run and files are edited; default {@link LocalHost#current()}
 * @param service       how it is started, stopped and restarted; may be null (then a needed restart fails with a
 *                      clear message)
 * @param dataDirectory its PGDATA on its host; may be null for a running primary (asked from the server); kept
 *                      normalised ({@code /var/lib/postgresql/data/} is {@code /var/lib/postgresql/data})
 * @param port          the port it listens on, which psql on its host uses; default 5432
 * @param tls           its TLS material: what it serves, what it presents as a standby, what the library's sessions
 *                      to it present; default {@link Tls#off()}
 */
public record Node(String name, Endpoint endpoint, Endpoint adminEndpoint, String adminUser, Secret adminPassword,
        String database, DataSource dataSource, Host host, ServiceControl service, String dataDirectory, int port,
        Tls tls) {

    /**
     * Checks for nulls where a value is required.
     *
     * @param name          name used in logs, runbooks and messages; a standby's application_name. Checked at load():
     *                      1 to 63 letters, digits or underscores, whatever the node's place (a primary becomes a
     *                      standby at a switchover), at most 58 when its slot is {@code <name>_slot}
     * @param endpoint      the address peers connect to; may be null for a node no peer connects to (it cannot then
     *                      become the primary)
     * @param adminEndpoint the address the library connects to; null means psql on the host (or the data source)
     * @param adminUser     the superuser the library connects as; default {@code postgres}
     * @param adminPassword its password, or {@link Secret#none()}
     * @param database      the database the library connects to; default {@code postgres}
     * @param dataSource    a caller-supplied connection source used instead of {@code adminEndpoint}; may be null
     * @param host          where its commands run and files are edited; default {@link LocalHost#current()}
     * @param service       how it is started, stopped and restarted; may be null (then a needed restart fails with a
     *                      clear message)
     * @param dataDirectory its PGDATA on its host; may be null for a running primary (asked from the server); kept
     *                      normalised ({@code /var/lib/postgresql/data/} is {@code /var/lib/postgresql/data})
     * @param port          the port it listens on, which psql on its host uses; default 5432
     * @param tls           its TLS material; null means {@link Tls#off()}
     */
    public Node {
        Objects.requireNonNull(name, "name must not be null: give one, e.g. Node.named(\"eshub\") or"
                + " .withName(\"eshua\")");
        Objects.requireNonNull(adminUser, "adminUser must not be null: e.g. withAdmin(endpoint, \"postgres\", "
                + "Secret.none())");
        Objects.requireNonNull(adminPassword, "adminPassword must not be null: use Secret.none() for no password");
        Objects.requireNonNull(database, "database must not be null: e.g. withDatabase(\"postgres\")");
        Objects.requireNonNull(host, "host must not be null: give e.g. LocalHost.current() or"
                + " SshHost.to(\"postgres\", \"eshub.example.com\")");
        dataDirectory = PathRules.normaliseIfValid(dataDirectory);
        tls = tls == null ? Tls.off() : tls;
    }

    /**
     * A node without TLS material ({@link Tls#off()}).
     *
     * @param name          name used in logs, runbooks and messages
     * @param endpoint      the address peers connect to; may be null
     * @param adminEndpoint the address the library connects to; null means psql on the host (or the data source)
     * @param adminUser     the superuser the library connects as
     * @param adminPassword its password, or {@link Secret#none()}
     * @param database      the database the library connects to
     * @param dataSource    a caller-supplied connection source used instead of {@code adminEndpoint}; may be null
     * @param host          where its commands run and files are edited
     * @param service       how it is started, stopped and restarted; may be null
     * @param dataDirectory its PGDATA on its host; may be null for a running primary
     * @param port          the port it listens on
     */
    public Node(String name, Endpoint endpoint, Endpoint adminEndpoint, String adminUser, Secret adminPassword,
            String database, DataSource dataSource, Host host, ServiceControl service, String dataDirectory,
            int port) {
        this(name, endpoint, adminEndpoint, adminUser, adminPassword, database, dataSource, host, service,
                dataDirectory, port, Tls.off());
    }

    /**
     * @param name the node's name (letters, digits, underscores)
     * @return a node on this machine, administered through psql, started with pg_ctl, port 5432, no peer address
     */
    public static Node named(String name) {
        return new Node(name, null, null, "postgres", Secret.none(), "postgres", null, LocalHost.current(),
                ServiceControl.pgCtl(), null, Endpoint.DEFAULT_PORT);
    }

    /**
     * @param endpoint where peers and, by default, the library connect
     * @return a node named after the endpoint's host made a node name (every character but letters, digits and
     *         underscores becomes {@code _}, at most 58 characters: {@code eshua.example} gives {@code eshua_example};
     *         give another with {@code withName}), administered as {@code postgres} without password over it
     */
    public static Node at(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint must not be null: e.g. Endpoint.of(\"db.example.com\", 5432)");
        return new Node(io.github.pgreplication.internal.Validator.nodeNameFor(endpoint.host(), "node"), endpoint,
                endpoint, "postgres", Secret.none(), "postgres", null,
                LocalHost.current(), ServiceControl.pgCtl(), null, endpoint.port());
    }

    /** @return whether the library reaches it through JDBC (else through psql on its host) */
    public boolean administeredOverJdbc() {
        return adminEndpoint != null || dataSource != null;
    }

    /**
     * @param newName name for logs and messages
     * @return a copy
     */
    public Node withName(String newName) {
        return copy(c -> c.name = newName);
    }

    /**
     * @param newEndpoint the address peers connect to
     * @return a copy
     */
    public Node withEndpoint(Endpoint newEndpoint) {
        return copy(c -> c.endpoint = newEndpoint);
    }

    /**
     * @param newEndpoint where the library connects; null for psql on the host
     * @return a copy
     */
    public Node withAdminEndpoint(Endpoint newEndpoint) {
        return copy(c -> c.adminEndpoint = newEndpoint);
    }

    /**
     * @param newEndpoint where the library connects
     * @param user        superuser to connect as
     * @param password    its password, or {@link Secret#none()}
     * @return a copy
     */
    public Node withAdmin(Endpoint newEndpoint, String user, Secret password) {
        return copy(c -> {
            c.adminEndpoint = newEndpoint;
            c.adminUser = user;
            c.adminPassword = password;
        });
    }

    /**
     * @param user superuser name
     * @param password its password or {@link Secret#none()}
     * @return a copy
     */
    public Node withAdminUser(String user, Secret password) {
        return copy(c -> {
            c.adminUser = user;
            c.adminPassword = password;
        });
    }

    /**
     * @param newDatabase database to connect to for administration
     * @return a copy
     */
    public Node withDatabase(String newDatabase) {
        return copy(c -> c.database = newDatabase);
    }

    /**
     * @param newDataSource connections to use instead of opening a pool
     * @return a copy
     */
    public Node withDataSource(DataSource newDataSource) {
        return copy(c -> c.dataSource = newDataSource);
    }

    /**
     * @param newHost where commands run and files are edited
     * @return a copy
     */
    public Node withHost(Host newHost) {
        return copy(c -> c.host = newHost);
    }

    /**
     * @param newService how to start, stop and restart it; null for none
     * @return a copy
     */
    public Node withService(ServiceControl newService) {
        return copy(c -> c.service = newService);
    }

    /**
     * @param path absolute path of its PGDATA on its host; trailing slashes, {@code //} and {@code .} segments are
     *             removed
     * @return a copy
     */
    public Node withDataDirectory(String path) {
        return copy(c -> c.dataDirectory = path);
    }

    /**
     * @param newPort the TCP port it listens on
     * @return a copy
     */
    public Node withPort(int newPort) {
        return copy(c -> c.port = newPort);
    }

    /**
     * @param newTls its TLS material; {@link Tls#off()} for none
     * @return a copy
     */
    public Node withTls(Tls newTls) {
        return copy(c -> c.tls = newTls);
    }

    /** Makes a node of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Node copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Node(c.name, c.endpoint, c.adminEndpoint, c.adminUser, c.adminPassword, c.database, c.dataSource,
                c.host, c.service, c.dataDirectory, c.port, c.tls);
    }

    /** This node's fields, for a wither to change before {@link #copy} makes a node of them. */
    private final class Copy {
        String name = Node.this.name;
        Endpoint endpoint = Node.this.endpoint;
        Endpoint adminEndpoint = Node.this.adminEndpoint;
        String adminUser = Node.this.adminUser;
        Secret adminPassword = Node.this.adminPassword;
        String database = Node.this.database;
        DataSource dataSource = Node.this.dataSource;
        Host host = Node.this.host;
        ServiceControl service = Node.this.service;
        String dataDirectory = Node.this.dataDirectory;
        int port = Node.this.port;
        Tls tls = Node.this.tls;
    }

    @Override
    public String toString() {
        return name + (endpoint == null ? "" : " (" + endpoint + ")");
    }
}
