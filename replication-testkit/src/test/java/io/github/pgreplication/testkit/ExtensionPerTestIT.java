package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On an instance field, every test gets a fresh cluster (here a primary without standbys, the cheapest). */
class ExtensionPerTestIT {
    static final List<ReplicationCluster> SEEN = new ArrayList<>();

    @RegisterExtension
    ReplicationClusterExtension extension = ReplicationClusterExtension.withStandbys(0);

    @Test
    void first(ReplicationCluster cluster) throws Exception {
        SEEN.add(cluster);
        assertThat(ExtensionIT.query(cluster.primary(), "SELECT pg_is_in_recovery()")).isEqualTo("f");
    }

    @Test
    void second(ReplicationCluster cluster) throws Exception {
        SEEN.add(cluster);
        assertThat(ExtensionIT.query(cluster.primary(), "SELECT pg_is_in_recovery()")).isEqualTo("f");
    }

    @AfterAll
    static void eachTestHadItsOwnCluster() {
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        assertThat(SEEN.get(0).primary().container().isRunning()).as("first cluster stopped after its test").isFalse();
    }
}
