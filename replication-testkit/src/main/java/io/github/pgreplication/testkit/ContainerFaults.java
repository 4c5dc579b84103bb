package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Faults made with Docker itself on one node's container: pause (every process frozen, sockets open) and partition
 * (the container disconnected from the cluster's network, reconnected with the same aliases and address). Remembers
 * what it did so {@link #undo()} can put the container back.
 */
final class ContainerFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFaults.class);

    private final String name;
    private final GenericContainer<?> container;
    private final Network network;
    private boolean paused;
    private String address;

    ContainerFaults(String name, GenericContainer<?> container, Network network) {
        this.name = name;
        this.container = container;
        this.network = network;
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    synchronized void pause() {
        if (!paused) {
            docker().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
            LOG.info("[{}] container paused", name);
        }
    }

    synchronized void unpause() {
        if (paused) {
            docker().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
            LOG.info("[{}] container unpaused", name);
        }
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void partition() {
        if (address != null) {
            return;
        }
        String networkId = network.getId();
        ContainerNetwork joined = docker().inspectContainerCmd(container.getContainerId()).exec().getNetworkSettings()
                .getNetworks().values().stream().filter(n -> networkId.equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException("node '" + name + "' is not on the cluster's network "
                        + networkId + " (disconnected by something other than partition()?)"));
        docker().disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(container.getContainerId())
                .exec();
        address = joined.getIpAddress();
        LOG.info("[{}] partitioned: disconnected from network {} (address {})", name, networkId, address);
    }

    synchronized void heal() {
        if (address == null) {
            return;
        }
        List<String> aliases = container.getNetworkAliases();
        docker().connectToNetworkCmd().withNetworkId(network.getId()).withContainerId(container.getContainerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(aliases)
                        .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(address)))
                .exec();
        LOG.info("[{}] healed: reconnected to network {} as {} at {}", name, network.getId(), aliases, address);
        address = null;
    }

    synchronized boolean partitioned() {
        return address != null;
    }

    /** Unpauses, then reconnects (Docker connects no paused container); failures are logged, not thrown. */
    synchronized void undo() {
        try {
            unpause();
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not unpause the container", name, e);
        }
        try {
            heal();
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not reconnect the container to its network", name, e);
        }
    }
}
