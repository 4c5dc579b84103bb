package io.github.pgreplication;

import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The primary server: where standbys connect ({@link #endpoint()}), how the library connects to administer it
 * (a superuser, over {@link #adminEndpoint()} or a caller-supplied {@link DataSource}), where its files live
 * ({@link #host()}: pg_hba.conf is edited there) and how it is restarted ({@link #service()}; null means "fail
 * with a clear message when a restart is needed").
 *
 * <pre>{@code
 * Primary primary = Primary.at(Endpoint.of("eshua.ghelew.ch", 5432))
 *         .withName("eshua")
 *         .withAdmin("postgres", Secret.none())
 *         .withHost(LocalHost.runAs("postgres"))
 *         .withService(ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")));
 * }</pre>
 *
 * <p>A view of a {@link Node} in the primary's place; {@link #node()} is the server itself, which operations
 * such as a switchover move to another place in the topology.
 *
 * @param node the server: its {@link Node#endpoint() endpoint} is where standbys connect
 */
public record Primary(Node node) {

    /**
     * Checks that the node has what a primary needs.
     *
     * @param node the server: its {@link Node#endpoint() endpoint} is where standbys connect
     */
    public Primary {
        Objects.requireNonNull(node, "node must not be null: e.g. Primary.at(Endpoint.of(\"db.example.com\", 5432))");
        Objects.requireNonNull(node.endpoint(), "the primary's endpoint (where standbys connect) must not be null:"
                + " give it with node.withEndpoint(Endpoint.of(\"db.example.com\", 5432))");
    }

    /**
     * @param endpoint where standbys (and, by default, the library) connect
     * @return a primary named after the endpoint's host as {@link Node#at(Endpoint)} names it, administered as
     *         {@code postgres} without password, on this machine, with no service control
     */
    public static Primary at(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint must not be null: give Endpoint.of(\"db.example.com\", 5432)");
        return new Primary(Node.at(endpoint).withService(null));
    }

    /**
     * @param node a node with an endpoint standbys can reach
     * @return that node as the primary
     */
    public static Primary of(Node node) {
        return new Primary(node);
    }

    /** @return name used in logs, the runbook and messages */
    public String name() {
        return node.name();
    }

    /** @return the address standbys connect to */
    public Endpoint endpoint() {
        return node.endpoint();
    }

    /** @return the address the library connects to (defaults to {@link #endpoint()}); null for psql on the host */
    public Endpoint adminEndpoint() {
        return node.adminEndpoint();
    }

    /** @return superuser the library connects as; default {@code postgres} */
    public String adminUser() {
        return node.adminUser();
    }

    /** @return its password, or {@link Secret#none()} */
    public Secret adminPassword() {
        return node.adminPassword();
    }

    /** @return database the library connects to; default {@code postgres} */
    public String database() {
        return node.database();
    }

    /** @return where commands run and files are edited; default {@link LocalHost#current()} */
    public Host host() {
        return node.host();
    }

    /** @return how the server is started, stopped and restarted; may be null */
    public ServiceControl service() {
        return node.service();
    }

    /** @return a caller-supplied connection source used instead of {@link #adminEndpoint()}; may be null */
    public DataSource dataSource() {
        return node.dataSource();
    }

    /** @return its data directory when given; null means it is asked from the running server */
    public String dataDirectory() {
        return node.dataDirectory();
    }

    /**
     * @param newName name for logs and messages; the rule of standbys' names (1 to 63 letters, digits or
     *                underscores, at most 58 for its slot {@code <name>_slot}), since the primary becomes a
     *                standby at a switchover; checked at load()
     * @return a copy
     */
    public Primary withName(String newName) {
        Objects.requireNonNull(newName, "primary name must not be null: give one, e.g. .withName(\"eshua\")");
        return withNode(n -> n.withName(newName));
    }

    /**
     * @param newEndpoint where the library connects, when it differs from where standbys connect
     * @return a copy
     */
    public Primary withAdminEndpoint(Endpoint newEndpoint) {
        Objects.requireNonNull(newEndpoint, "primary admin endpoint must not be null: give"
                + " Endpoint.of(\"localhost\", 5432)");
        return withNode(n -> n.withAdminEndpoint(newEndpoint));
    }

    /**
     * @param user superuser name
     * @param password its password or {@link Secret#none()}
     * @return a copy
     */
    public Primary withAdmin(String user, Secret password) {
        Objects.requireNonNull(user, "primary admin user must not be null: give e.g. .withAdmin(\"postgres\","
                + " Secret.none())");
        Objects.requireNonNull(password, "primary admin password must not be null: give Secret.none() for no"
                + " password");
        return withNode(n -> n.withAdminUser(user, password));
    }

    /**
     * @param newDatabase database to connect to for administration
     * @return a copy
     */
    public Primary withDatabase(String newDatabase) {
        Objects.requireNonNull(newDatabase, "primary database must not be null: give e.g."
                + " .withDatabase(\"postgres\")");
        return withNode(n -> n.withDatabase(newDatabase));
    }

    /**
     * @param newHost where commands run and files are edited
     * @return a copy
     */
    public Primary withHost(Host newHost) {
        Objects.requireNonNull(newHost, "primary host must not be null: give e.g. LocalHost.current()");
        return withNode(n -> n.withHost(newHost));
    }

    /**
     * @param newService how to start, stop and restart the server
     * @return a copy
     */
    public Primary withService(ServiceControl newService) {
        return withNode(n -> n.withService(newService));
    }

    /**
     * @param newDataSource connections to use instead of opening a pool to adminEndpoint
     * @return a copy
     */
    public Primary withDataSource(DataSource newDataSource) {
        return withNode(n -> n.withDataSource(newDataSource));
    }

    /**
     * @param path its PGDATA on its host; needed by operations that stop it and start it again as a standby
     *             (switchover, rejoin), asked from the running server when not given; trailing slashes,
     *             {@code //} and {@code .} segments are removed
     * @return a copy
     */
    public Primary withDataDirectory(String path) {
        return withNode(n -> n.withDataDirectory(path));
    }

    /**
     * @param newPort the port it listens on, which psql on its host uses; default the endpoint's
     * @return a copy
     */
    public Primary withPort(int newPort) {
        return withNode(n -> n.withPort(newPort));
    }

    /**
     * @param tls the node's TLS material, e.g. {@code Tls.off().withServer(Tls.Server.files(...))}
     * @return a copy
     */
    public Primary withTls(Tls tls) {
        return withNode(n -> n.withTls(tls));
    }

    /** Makes a primary of this one's node as {@code change} leaves it. */
    private Primary withNode(UnaryOperator<Node> change) {
        return new Primary(change.apply(node));
    }
}
