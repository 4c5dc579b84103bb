package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * An image without the pre-initialised template (any image with PostgreSQL, pgBackRest and OpenSSH may be given):
 * the primary's data directory is then made with initdb, by the start script, whether the container was asked to
 * copy the template as it started (a cluster's primary) or not (a bare machine).
 */
class ImageWithoutTemplateIT {
    private static String image;

    @BeforeAll
    static void image() {
        // Built locally from the project's image (no registry), kept for later runs.
        image = new ImageFromDockerfile("pgreplication/no-template-test:17", false)
                .withDockerfileFromBuilder(b -> b.from(PostgresImage.resolve(17))
                        .run("rm -rf " + PostgresMachines.TEMPLATE).build())
                .get();
    }

    @Test
    void aClusterStartsOnAnImageWithoutTheTemplate() {
        try (ReplicationCluster cluster = ReplicationCluster.builder().image(image).standbys(1).start()) {
            assertThat(cluster.primary().host().exists(PostgresMachines.TEMPLATE)).isFalse();
            assertThat(cluster.primary().query("SELECT count(*) FROM pg_database WHERE datname = 'postgres'"))
                    .isEqualTo("1");
            assertThat(cluster.standby(0).query("SELECT pg_is_in_recovery()")).isEqualTo("t");
        }
    }

    @Test
    void aBareMachineOfThatImageBecomesAServer() {
        try (PostgresMachines machines = PostgresMachines.start(image, "solo")) {
            ClusterNode solo = machines.initDatabase("solo");
            assertThat(solo.query("SELECT current_setting('listen_addresses')")).isEqualTo("*");
            assertThat(solo.query("SELECT pg_is_in_recovery()")).isEqualTo("f");
        }
    }
}
