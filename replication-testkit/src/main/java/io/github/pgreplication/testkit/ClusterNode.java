package io.github.pgreplication.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Secret;
import javax.sql.DataSource;
import org.testcontainers.containers.GenericContainer;

/**
 * One PostgreSQL server of a {@link ReplicationCluster}, in its own container: its name (also its network alias
 * and, for standbys, its application_name), how to reach it from the test (JDBC URL, pooled DataSource), and its
 * {@link ContainerHost} for commands.
 */
public final class ClusterNode implements AutoCloseable {
    /** Port PostgreSQL listens on inside the container. */
    public static final int PORT = 5432;
    /** Port sshd listens on inside the container, once {@link #startSshd()} ran. */
    public static final int SSH_PORT = 22;

    private final String name;
    private final GenericContainer<?> container;
    private final String dataDirectory;
    private final Secret superuserPassword;
    private final boolean published;
    private volatile HikariDataSource dataSource;

    ClusterNode(String name, GenericContainer<?> container, String dataDirectory, Secret superuserPassword,
            boolean published) {
        this.name = name;
        this.container = container;
        this.dataDirectory = dataDirectory;
        this.superuserPassword = superuserPassword;
        this.published = published;
    }

    /** @return whether the node's ports are published to the Docker host (false: reachable only in the network) */
    public boolean published() {
        return published;
    }

    /**
     * Runs a query with {@code psql} inside the container, over the local socket: works for every node, including
     * one that publishes no port.
     *
     * @param sql a statement
     * @return its result rows, one per line, columns separated by {@code |}, without trailing newline
     */
    public String query(String sql) {
        return host().run(io.github.pgreplication.host.Command.of("psql", "-X", "-A", "-t", "-q", "-v",
                "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql)).stdout().strip();
    }

    /** @return the node's name and network alias */
    public String name() {
        return name;
    }

    /** @return the container */
    public GenericContainer<?> container() {
        return container;
    }

    /** @return a host running commands as {@code postgres} in the container */
    public ContainerHost host() {
        return ContainerHost.of(container, "postgres");
    }

    /** @return the data directory inside the container */
    public String dataDirectory() {
        return dataDirectory;
    }

    /** @return the address other nodes use: network alias and 5432 */
    public Endpoint internalEndpoint() {
        return Endpoint.of(name, PORT);
    }

    /** @return the address the test uses: Docker host and mapped port */
    public Endpoint endpoint() {
        if (!published) {
            throw new IllegalStateException("node '" + name + "' publishes no port (like the second runbook's"
                    + " standby); use query(sql), which runs psql inside the container");
        }
        return Endpoint.of(container.getHost(), container.getMappedPort(PORT));
    }

    /** @return a JDBC URL to the {@code postgres} database, for the test */
    public String jdbcUrl() {
        return endpoint().jdbcUrl("postgres");
    }

    /**
     * Starts OpenSSH's server in the container, with host keys generated for this container alone. Idempotent.
     *
     * @return this node
     */
    public ClusterNode startSshd() {
        ContainerHost root = host().as("root");
        if (!root.exists("/run/sshd.pid")) {
            root.run(io.github.pgreplication.host.Command.of("ssh-keygen", "-A"));
            root.run(io.github.pgreplication.host.Command.of("/usr/sbin/sshd"));
        }
        return this;
    }

    /** @return the container's ed25519 SSH host public key line ({@code ssh-ed25519 AAAA... root@name}) */
    public String sshHostKey() {
        return host().as("root").readFile("/etc/ssh/ssh_host_ed25519_key.pub").orElseThrow().strip();
    }

    /** @return the address the test reaches sshd at: Docker host and mapped port */
    public Endpoint sshEndpoint() {
        if (!published) {
            throw new IllegalStateException("node '" + name + "' publishes no port");
        }
        return Endpoint.of(container.getHost(), container.getMappedPort(SSH_PORT));
    }

    /** @return the superuser name: {@code postgres} */
    public String username() {
        return "postgres";
    }

    /** @return the superuser's password */
    public Secret password() {
        return superuserPassword;
    }

    /** @return a small HikariCP pool to this node as the superuser, created on first use, closed with the cluster */
    public DataSource dataSource() {
        if (dataSource == null) {
            synchronized (this) {
                if (dataSource == null) {
                    HikariConfig config = new HikariConfig();
                    config.setPoolName("testkit-" + name);
                    config.setJdbcUrl(jdbcUrl());
                    config.setUsername(username());
                    config.setPassword(superuserPassword.reveal().orElseThrow());
                    config.setMaximumPoolSize(4);
                    config.setMinimumIdle(0);
                    config.setInitializationFailTimeout(-1);
                    dataSource = new HikariDataSource(config);
                }
            }
        }
        return dataSource;
    }

    @Override
    public void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    public String toString() {
        return name + " (" + jdbcUrl() + ")";
    }
}
