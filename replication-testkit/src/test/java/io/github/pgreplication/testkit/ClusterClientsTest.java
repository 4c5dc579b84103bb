package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** URLs and pool names of {@link ClusterClients}, built without any node or pool started; no Docker. */
class ClusterClientsTest {
    private final ClusterClients clients = new ClusterClients(List::of, "postgres", "secret");

    @Test
    void theDatabaseIsPercentEncodedInTheUrl() {
        assertThat(clients.jdbcUrl("db?ssl=false&x=/y", TargetServerType.PRIMARY, false))
                .isEqualTo("jdbc:postgresql:///db%3Fssl%3Dfalse%26x%3D%2Fy?targetServerType=primary"
                        + "&loadBalanceHosts=false");
    }

    @Test
    void aDatabaseWithALineBreakIsEscapedInThePoolNameThatHikariLogs() {
        AtomicReference<String> poolName = new AtomicReference<>();
        assertThatThrownBy(() -> clients.dataSource("app\nINFO forged", TargetServerType.PRIMARY, false, c -> {
            poolName.set(c.getPoolName());
            throw new IllegalStateException("no pool needed");
        })).hasMessage("no pool needed");
        assertThat(poolName.get()).isEqualTo("testkit-app\\nINFO forged-primary-1").doesNotContain("\n");
    }
}
