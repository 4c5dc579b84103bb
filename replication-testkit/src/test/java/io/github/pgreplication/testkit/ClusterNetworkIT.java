package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Cluster networks against the real Docker engine: each has a subnet of its own, a removed one's subnet is taken
 * by the next (no probe network), and a released subnet that someone else took meanwhile is skipped.
 */
class ClusterNetworkIT {
    private static final DockerClient DOCKER = DockerClientFactory.instance().client();

    @Test
    void theNextNetworkTakesTheSubnetOfTheOneJustRemoved() {
        Network first = ClusterNetwork.create();
        String firstId = first.getId(); // a closed Network's getId() would create it again
        String subnet = subnet(firstId);
        assertThat(subnet).as("configured in the network itself, so a partition's heal can keep the address")
                .isNotBlank();
        ClusterNetwork.close(first);
        assertThat(DockerState.networkExists(firstId)).isFalse();

        Network second = ClusterNetwork.create();
        try {
            assertThat(second.getId()).isNotEqualTo(firstId);
            assertThat(subnet(second.getId())).isEqualTo(subnet);
        } finally {
            ClusterNetwork.close(second);
        }
    }

    @Test
    void aReleasedSubnetTakenMeanwhileIsSkipped() {
        Network first = ClusterNetwork.create();
        Ipam.Config config = DOCKER.inspectNetworkCmd().withNetworkId(first.getId()).exec().getIpam().getConfig()
                .get(0);
        ClusterNetwork.close(first);
        // Another Docker client takes the subnet before this JVM's next cluster.
        String other = DOCKER.createNetworkCmd().withName("pgreplication-other-" + UUID.randomUUID())
                .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(config.getSubnet())
                        .withGateway(config.getGateway())))
                .exec().getId();
        try {
            Network second = ClusterNetwork.create();
            try {
                assertThat(subnet(second.getId())).isNotBlank().isNotEqualTo(config.getSubnet());
            } finally {
                ClusterNetwork.close(second);
            }
        } finally {
            DOCKER.removeNetworkCmd(other).exec();
        }
    }

    private static String subnet(String networkId) {
        return DOCKER.inspectNetworkCmd().withNetworkId(networkId).exec().getIpam().getConfig().get(0).getSubnet();
    }
}
