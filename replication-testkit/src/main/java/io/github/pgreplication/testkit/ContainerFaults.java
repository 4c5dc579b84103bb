package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Faults made with Docker itself on one node's container: pause (every process frozen, sockets open), partition
 * (the container disconnected from the cluster's network, reconnected with the same aliases and address) and a
 * bandwidth limit on what it sends ({@link LinkShaping}). Remembers what it did so {@link #undo()} can put the
 * container back.
 */
final class ContainerFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFaults.class);

    private final String name;
    private final GenericContainer<?> container;
    private final Network network;
    private boolean paused;
    private String address;
    private List<String> shaped = List.of();

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

    /**
     * Limits what the container sends on each of its interfaces but loopback (replacing an earlier limit).
     *
     * @param perSecond bytes per second
     */
    synchronized void limitBandwidth(DataSize perSecond) {
        long pid = pid();
        List<String> devices = LinkShaping.devices(LocalHost.current().run(Command.of(LinkShaping.interfaces(pid)))
                .stdout());
        for (String device : devices) {
            LocalHost.current().run(Command.of(LinkShaping.limit(pid, device, perSecond)));
        }
        shaped = devices;
        LOG.info("[{}] egress limited to {} per second on {}", name, perSecond, devices);
    }

    /** Removes the limit of {@link #limitBandwidth}; does nothing without one. */
    synchronized void unlimitBandwidth() {
        if (shaped.isEmpty()) {
            return;
        }
        long pid = pid();
        for (String device : shaped) {
            LocalHost.current().run(Command.of(LinkShaping.unlimit(pid, device)));
        }
        LOG.info("[{}] egress limit removed from {}", name, shaped);
        shaped = List.of();
    }

    synchronized boolean bandwidthLimited() {
        return !shaped.isEmpty();
    }

    private long pid() {
        Long pid = docker().inspectContainerCmd(container.getContainerId()).exec().getState().getPidLong();
        if (pid == null || pid <= 0) {
            throw new IllegalStateException("node '" + name + "': its container has no running process to shape");
        }
        return pid;
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
        try {
            unlimitBandwidth();
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not remove the bandwidth limit", name, e);
        }
    }
}
