package io.github.pgreplication.testkit;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** What Docker itself says about a node's container and a network: the tests' independent check of the faults. */
final class DockerState {
    private DockerState() {
    }

    static boolean paused(String containerId) {
        return Boolean.TRUE.equals(DockerClientFactory.instance().client().inspectContainerCmd(containerId).exec()
                .getState().getPaused());
    }

    /** @return the container's address on the network, empty when it is not attached */
    static Optional<String> address(String containerId, String networkId) {
        return DockerClientFactory.instance().client().inspectContainerCmd(containerId).exec().getNetworkSettings()
                .getNetworks().values().stream().filter(n -> networkId.equals(n.getNetworkID()))
                .map(ContainerNetwork::getIpAddress).findFirst();
    }

    static boolean containerExists(String containerId) {
        try {
            DockerClientFactory.instance().client().inspectContainerCmd(containerId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static boolean networkExists(String networkId) {
        try {
            DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(networkId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
