package io.github.pgreplication.testkit;

import io.github.pgreplication.Secret;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceAction;
import io.github.pgreplication.host.ServiceControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * Bare machines for trying the library by hand: containers with PostgreSQL, pgBackRest and OpenSSH installed,
 * started in parallel on one network, with nothing configured. {@link #initDatabase(String)} turns one into a
 * running stand-alone server (the "existing primary" of the runbooks); the rest is left to the library.
 * {@link ReplicationCluster} is built on this.
 *
 * <pre>{@code
 * try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "eshua", "eshub", "eshuc")) {
 *     ClusterNode eshua = machines.initDatabase("eshua");
 *     Replication.primary(Primary.at(eshua.internalEndpoint()).withHost(eshua.host())...)
 * }
 * }</pre>
 */
public final class PostgresMachines implements AutoCloseable {
    /** Data directory used in every machine. */
    public static final String DATA_DIRECTORY = "/var/lib/postgresql/data";
    /** Pre-initialised data directory in the project's images, copied instead of running initdb. */
    static final String TEMPLATE = "/var/lib/postgresql/template";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMachines.class);

    private final Network network;
    private final boolean ownsNetwork;
    private final Map<String, ClusterNode> machines;

    private PostgresMachines(Network network, boolean ownsNetwork, Map<String, ClusterNode> machines) {
        this.network = network;
        this.ownsNetwork = ownsNetwork;
        this.machines = machines;
    }

    /**
     * Starts one container per name, in parallel, on a new network. Each container's network alias and host name
     * is its name. The superuser password is random and shared (standbys are copies of the primary).
     *
     * @param image image to run, e.g. {@code PostgresImage.resolve(17)}
     * @param names machine names: letters, digits, underscores
     * @return the running machines
     */
    public static PostgresMachines start(String image, String... names) {
        return start(image, List.of(names), java.util.Set.of());
    }

    /**
     * Like {@link #start(String, String...)}, but the machines in {@code unpublished} publish no port to the Docker
     * host: they are reachable only from the other machines, like the second runbook's standby.
     *
     * @param image       image to run
     * @param names       machine names
     * @param unpublished names of machines that publish no port
     * @return the running machines
     */
    public static PostgresMachines start(String image, List<String> names, java.util.Set<String> unpublished) {
        PostgresMachines machines = create(image, Network.newNetwork(), true, names, unpublished);
        try {
            machines.startAsync(names).join();
        } catch (RuntimeException e) {
            machines.close();
            throw e;
        }
        return machines;
    }

    /** Creates the machines without starting any container. */
    static PostgresMachines create(String image, Network network, boolean ownsNetwork, List<String> names) {
        return create(image, network, ownsNetwork, names, java.util.Set.of());
    }

    /**
     * Creates the machines without starting any container.
     *
     * @param unpublished machines whose ports are not published to the Docker host (reachable only from the
     *                    network, like the second runbook's standby that opens no inbound port)
     */
    static PostgresMachines create(String image, Network network, boolean ownsNetwork, List<String> names,
            java.util.Set<String> unpublished) {
        Secret password = Secret.of("super-" + UUID.randomUUID());
        Map<String, ClusterNode> nodes = new LinkedHashMap<>();
        for (String name : names) {
            boolean publish = !unpublished.contains(name);
            nodes.put(name, new ClusterNode(name, container(image, network, name, publish), DATA_DIRECTORY,
                    password, publish));
        }
        return new PostgresMachines(network, ownsNetwork, nodes);
    }

    /** @param names machines to start, in parallel @return completes when all are running */
    CompletableFuture<Void> startAsync(List<String> names) {
        List<Startable> some = new ArrayList<>();
        names.forEach(n -> some.add(machine(n).container()));
        return Startables.deepStart(some);
    }

    @SuppressWarnings("resource")
    private static GenericContainer<?> container(String image, Network network, String alias, boolean publish) {
        GenericContainer<?> container = new GenericContainer<>(image);
        if (publish) {
            container.withExposedPorts(ClusterNode.PORT, ClusterNode.SSH_PORT);
        }
        return container
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCommand("sleep", "infinity")
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(alias).getHostConfig().withInit(true))
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // PostgreSQL is started later, by initDatabase or the library's ServiceControl.
                    }
                });
    }

    /** @param name a machine's name @return it */
    public ClusterNode machine(String name) {
        ClusterNode node = machines.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no machine named '" + name + "'; machines are " + machines.keySet());
        }
        return node;
    }

    /** @return every machine, in start order */
    public List<ClusterNode> machines() {
        return List.copyOf(machines.values());
    }

    /** @return the network the machines share */
    public Network network() {
        return network;
    }

    /**
     * Makes a machine a running stand-alone server: a data directory (copied from the image's pre-initialised
     * template, or made with initdb when the image has none), listening on all addresses, admitting superuser
     * connections from anywhere with SCRAM (the test connects through a mapped port), started with pg_ctl, and
     * given a fresh random superuser password. The password travels only as a SCRAM verifier in a 0600 file,
     * removed afterwards. Nothing about replication.
     *
     * @param name the machine
     * @return the machine
     */
    public ClusterNode initDatabase(String name) {
        ClusterNode node = machine(name);
        ContainerHost host = node.host();
        boolean copied = host.execute(Command.of("cp", "-a", TEMPLATE, DATA_DIRECTORY)).succeeded();
        if (!copied) {
            host.run(Command.of("initdb", "-D", DATA_DIRECTORY, "-U", "postgres", "--auth-host=scram-sha-256",
                    "--auth-local=trust", "-E", "UTF8", "--no-locale", "-N"));
        }
        String sqlFile = "/var/lib/postgresql/.set-password.sql";
        String verifier = PasswordUtil.encodeScramSha256(node.password().reveal().orElseThrow().toCharArray());
        host.writeFiles(Map.of(
                DATA_DIRECTORY + "/postgresql.auto.conf", "listen_addresses = '*'\n",
                DATA_DIRECTORY + "/pg_hba.conf", String.join("\n",
                        "# written by the pgreplication testkit",
                        "local all all trust",
                        "host all all all scram-sha-256",
                        "local replication all trust",
                        ""),
                sqlFile, "ALTER ROLE postgres PASSWORD '" + verifier + "';\n"), "0600");
        try {
            ServiceControl.pgCtl().perform(ServiceAction.START, host, DATA_DIRECTORY);
            host.run(Command.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-f", sqlFile));
        } finally {
            host.deleteFile(sqlFile);
        }
        LOG.debug("[{}] database {} and started", name, copied ? "copied from the template" : "initialised");
        return node;
    }

    /** Stops every container (in parallel), closes pools and the network. */
    @Override
    public void close() {
        machines.values().parallelStream().forEach(n -> {
            n.close();
            try {
                n.container().stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping {}", n.name(), e);
            }
        });
        if (ownsNetwork) {
            try {
                network.close();
            } catch (RuntimeException e) {
                LOG.debug("closing network", e);
            }
        }
    }
}
