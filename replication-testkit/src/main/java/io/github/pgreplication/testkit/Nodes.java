package io.github.pgreplication.testkit;

import io.github.pgreplication.Secret;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceAction;
import io.github.pgreplication.host.ServiceControl;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The containers of a cluster: started in parallel, idle ({@code sleep infinity} under an init process) until the
 * library starts PostgreSQL in them. Only the primary is initialised here (initdb, superuser password, access for
 * the test over the mapped port); everything about replication is left to the core.
 */
final class Nodes implements AutoCloseable {
    static final String DATA_DIRECTORY = "/var/lib/postgresql/data";
    private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

    private final ClusterNode primary;
    private final List<ClusterNode> standbys;

    Nodes(ClusterNode primary, List<ClusterNode> standbys) {
        this.primary = primary;
        this.standbys = standbys;
    }

    static Nodes start(String image, Network network, String primaryName, List<String> standbyNames,
            Secret superPassword) {
        ClusterNode primary = new ClusterNode(primaryName, container(image, network, primaryName), DATA_DIRECTORY,
                superPassword);
        List<ClusterNode> standbys = new ArrayList<>();
        for (String name : standbyNames) {
            standbys.add(new ClusterNode(name, container(image, network, name), DATA_DIRECTORY, superPassword));
        }
        Nodes nodes = new Nodes(primary, standbys);
        List<Startable> all = new ArrayList<>();
        all.add(primary.container());
        standbys.forEach(s -> all.add(s.container()));
        try {
            Startables.deepStart(all).join();
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
        return nodes;
    }

    @SuppressWarnings("resource")
    static GenericContainer<?> container(String image, Network network, String alias) {
        return new GenericContainer<>(image)
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withExposedPorts(ClusterNode.PORT)
                .withCommand("sleep", "infinity")
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(alias).getHostConfig().withInit(true))
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // PostgreSQL is started later, by the library's ServiceControl.
                    }
                });
    }

    ClusterNode primary() {
        return primary;
    }

    List<ClusterNode> standbys() {
        return standbys;
    }

    /**
     * initdb with a SCRAM superuser password (given through a 0600 file, removed afterwards), listen on all
     * addresses, admit the test's superuser connections from anywhere with SCRAM, and start.
     */
    void initPrimary() {
        ContainerHost host = primary.host();
        String pwfile = "/var/lib/postgresql/.initdb-pw";
        host.writeFile(pwfile, primary.password().reveal().orElseThrow() + "\n", "0600");
        try {
            host.run(Command.of("initdb", "-D", DATA_DIRECTORY, "-U", "postgres", "--pwfile=" + pwfile,
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "-N"));
        } finally {
            host.deleteFile(pwfile);
        }
        String conf = DATA_DIRECTORY + "/postgresql.conf";
        host.writeFile(conf, host.readFile(conf).orElseThrow() + "\n# testkit\nlisten_addresses = '*'\n", "0600");
        String hba = DATA_DIRECTORY + "/pg_hba.conf";
        host.writeFile(hba, host.readFile(hba).orElseThrow()
                + "\n# testkit: the test connects through the mapped port\nhost all all all scram-sha-256\n", "0600");
        ServiceControl.pgCtl().perform(ServiceAction.START, host, DATA_DIRECTORY);
        LOG.debug("primary initialised");
    }

    @Override
    public void close() {
        List<ClusterNode> all = new ArrayList<>(standbys);
        all.add(primary);
        all.parallelStream().forEach(n -> {
            n.close();
            try {
                n.container().stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping {}", n.name(), e);
            }
        });
    }
}
