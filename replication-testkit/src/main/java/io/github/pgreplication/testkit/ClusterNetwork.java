package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * What a partition needs from Docker so that a node comes back as it was: a network with a subnet of its own
 * (Docker reconnects a container at the address it had only on such networks: "user specified IP address is
 * supported only when connecting to networks with user configured subnets") and host ports fixed at creation
 * (a random published port is allocated anew when the container reconnects, and everything that cached the old one
 * would lose the node).
 */
final class ClusterNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNetwork.class);
    /** Below Linux's ephemeral range (32768-60999), from which Docker and every bind to port 0 draw. */
    private static final int FIRST_PORT = 20000;
    private static final int LAST_PORT = 32767;
    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    private ClusterNetwork() {
    }

    /**
     * Subnets of this JVM's cluster networks that were removed: Docker chose each of them (through the probe below)
     * and no network holds it any more, so the next network takes one instead of probing again (a probe creates,
     * inspects and removes a network: about 0.3 s of the 0.43 s a network cost here).
     */
    private static final Deque<Ipam.Config> RELEASED = new ConcurrentLinkedDeque<>();
    /** Subnet of each network {@link #create()} made, by network id, until {@link #close(Network)}. */
    private static final Map<String, Ipam.Config> SUBNETS = new ConcurrentHashMap<>();

    /**
     * A bridge network with a subnet of its own: one this JVM's earlier clusters used and released, or else the one
     * Docker itself would pick now (asked by creating and removing a probe network, so host routes and other networks
     * are respected), written into the network's configuration.
     *
     * @return the network, created
     */
    static Network create() {
        DockerClient docker = DockerClientFactory.instance().client();
        for (Ipam.Config released; (released = RELEASED.poll()) != null; ) {
            Network network = tryCreate(released);
            if (network != null) {
                return network;
            }
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            String probe = docker.createNetworkCmd().withName("pgreplication-probe-" + UUID.randomUUID())
                    .withDriver("bridge").exec().getId();
            Ipam.Config config;
            try {
                config = docker.inspectNetworkCmd().withNetworkId(probe).exec().getIpam().getConfig().get(0);
            } finally {
                docker.removeNetworkCmd(probe).exec();
            }
            try {
                return create(config);
            } catch (RuntimeException e) {
                // Another network took the subnet between the probe and this one: ask again.
                LOG.debug("subnet {} taken meanwhile (attempt {})", config.getSubnet(), attempt, e);
                last = e;
            }
        }
        throw new IllegalStateException("could not create a network with a subnet of its own after 5 attempts: "
                + last.getMessage(), last);
    }

    /** @return the network on a released subnet, or null when the subnet is taken now (by anyone) */
    private static Network tryCreate(Ipam.Config released) {
        try {
            return create(released);
        } catch (RuntimeException e) {
            LOG.debug("released subnet {} is taken now; dropped", released.getSubnet(), e);
            return null;
        }
    }

    private static Network create(Ipam.Config config) {
        // Only the subnet and its gateway: the probe's configuration also names its own network.
        Ipam.Config own = new Ipam.Config().withSubnet(config.getSubnet()).withGateway(config.getGateway());
        Network network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withIpam(new Ipam().withConfig(own)))
                .build();
        String id = network.getId();
        SUBNETS.put(id, own);
        LOG.debug("network {} on subnet {}", id, own.getSubnet());
        return network;
    }

    /**
     * Removes a network {@link #create()} made; once Docker no longer lists it, its subnet is free for the next one.
     *
     * @param network the network, without containers
     */
    static void close(Network network) {
        String id = network.getId();
        network.close();
        Ipam.Config config = SUBNETS.remove(id);
        if (config == null) {
            return;
        }
        boolean gone = DockerClientFactory.instance().client().listNetworksCmd().withIdFilter(id).exec().stream()
                .noneMatch(n -> id.equals(n.getId()));
        if (gone) {
            RELEASED.push(config);
        } else {
            LOG.debug("network {} was not removed; subnet {} not reused", id, config.getSubnet());
        }
    }

    /** @return a host port that is free now, outside the ephemeral range, not handed out before by this JVM */
    @SuppressWarnings("try") // the socket is never used: binding it proves the port free, and it is closed at once
    static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
            if (!TAKEN.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException inUse) {
                LOG.trace("port {} in use", port);
            }
        }
        throw new IllegalStateException("no free host port between " + FIRST_PORT + " and " + LAST_PORT
                + " after 200 attempts");
    }
}
