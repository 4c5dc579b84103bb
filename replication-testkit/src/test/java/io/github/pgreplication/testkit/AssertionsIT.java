package io.github.pgreplication.testkit;

import static io.github.pgreplication.testkit.ReplicationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.github.pgreplication.testkit.ClusterNode.LsnMode;
import io.github.pgreplication.testkit.ReplicationCluster.CatchupMode;

/** The testkit's AssertJ assertions: each passes on a healthy cluster, and each failure message is asserted. */
class AssertionsIT {
    @RegisterExtension
    static ReplicationClusterExtension extension = ReplicationClusterExtension.shared(
            SharedCluster.primaryAndTwoStandbys()).skipWhenDockerUnavailable();

    @AfterEach
    void restore() {
        extension.cluster().restore();
    }

    @Test
    void aHealthyClusterPassesEveryAssertion() {
        ReplicationCluster cluster = extension.cluster();
        cluster.awaitReplication();
        Lsn lsn = cluster.primary().lsn(LsnMode.INSERT);
        cluster.awaitCatchup(cluster.standby(0), CatchupMode.REPLAY, lsn);
        assertThat(cluster.primary()).isPrimary().hasTimeline(1);
        assertThat(cluster.standby(0)).isStandby().isStreaming().isReadOnly().hasReplayedAtLeast(lsn).hasTimeline(1);
        assertThat(cluster).hasEveryStandbyStreaming().hasStreamingStandby("standby1")
                .hasLagBelow("standby1", 16L * 1024 * 1024).hasLagBelow("standby1", Duration.ofSeconds(10))
                .hasActiveSlot("standby1_slot").hasActiveSlot("standby2_slot");
    }

    @Test
    void nodeAssertionsNameTheNodeAndShowWhatItReported() {
        ReplicationCluster cluster = extension.cluster();
        ClusterNode standby = cluster.standby(0);
        ClusterNode primary = cluster.primary();
        assertThatThrownBy(() -> assertThat(standby).isPrimary())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected node 'standby1' to be a primary (not in recovery), but it reported:"
                        + " node 'standby1': standby (in recovery), WAL receiver streaming, received ")
                .hasMessageContaining("Tail of standby1's server log (/var/lib/postgresql/data.log):")
                // the last lines the server wrote: which ones depends on what earlier tests of the shared cluster did
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(
                                e.getMessage().substring(e.getMessage().indexOf("Tail of")))
                        .as("the tail holds real log lines of the standby")
                        .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ UTC \\[\\d+\\] (LOG|FATAL|WARNING):"));
        assertThatThrownBy(() -> assertThat(primary).isStreaming())
                .hasMessageContaining("Expected node 'primary' to be a standby streaming from its upstream, but it"
                        + " reported: node 'primary': primary (not in recovery), insert LSN ")
                .hasMessageContaining("Tail of primary's server log");
        assertThatThrownBy(() -> assertThat(primary).isReadOnly())
                .hasMessageContaining("Expected node 'primary' to be read-only, but it reported:")
                .hasMessageContaining("transaction_read_only off");
        assertThatThrownBy(() -> assertThat(primary).isStandby())
                .hasMessageContaining("Expected node 'primary' to be a standby (in recovery)");
        assertThatThrownBy(() -> assertThat(standby).hasReplayedAtLeast(Lsn.parse("FF/0")))
                .hasMessageContaining("Expected node 'standby1' to have replayed at least FF/0, but it reported:")
                .hasMessageContaining(", replayed 0/");
        assertThatThrownBy(() -> assertThat(standby).hasTimeline(2))
                .hasMessageContaining("Expected node 'standby1' to be on timeline 2, but it reported:")
                .hasMessageContaining("timeline 1");
        assertThatThrownBy(() -> assertThat(standby).as("after the heal").isPrimary())
                .hasMessageContaining("[after the heal] Expected node 'standby1'");

        standby.stop();
        assertThatThrownBy(() -> assertThat(standby).isStreaming())
                .hasMessageContaining("Expected node 'standby1' to be a standby streaming from its upstream, but it"
                        + " reported: node 'standby1' did not answer: ")
                .hasMessageContaining("received fast shutdown request");
    }

    @Test
    void clusterAssertionsShowWhatThePrimaryReported() {
        ReplicationCluster cluster = extension.cluster();
        assertThatThrownBy(() -> assertThat(cluster).hasStreamingStandby("nobody"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected a standby named 'nobody', but the cluster's standbys are"
                        + " [standby1, standby2]");
        assertThatThrownBy(() -> assertThat(cluster).hasLagBelow("standby2", 0))
                .hasMessageContaining("Expected standby 'standby2' to lag less than 0 bytes behind the primary, but"
                        + " the primary reports state streaming, sent ")
                .hasMessageContaining("standby          state")
                .hasMessageContaining("Tail of standby2's server log");
        assertThatThrownBy(() -> assertThat(cluster).hasActiveSlot("no_slot"))
                .hasMessageContaining("Expected slot 'no_slot' to be active on the primary, but the primary reports"
                        + " no slot of that name");

        cluster.standby("standby2").stop(StopMode.IMMEDIATE);
        Waits.until("the primary drops standby2", Duration.ofSeconds(10),
                () -> !cluster.replication().status().standby("standby2").orElseThrow().streaming());
        assertThatThrownBy(() -> assertThat(cluster).hasStreamingStandby("standby2"))
                .hasMessageContaining("Expected the primary to list standby 'standby2' as streaming, but it reports"
                        + " state disconnected, sent null")
                .hasMessageContaining("received immediate shutdown request");
        assertThatThrownBy(() -> assertThat(cluster).hasEveryStandbyStreaming())
                .hasMessageContaining("standby 'standby2' as streaming");
        assertThatThrownBy(() -> assertThat(cluster).hasLagBelow("standby2", Duration.ofSeconds(1)))
                .hasMessageContaining("Expected standby 'standby2' to lag less than 1000 ms behind the primary, but"
                        + " the primary reports state disconnected");
        assertThatThrownBy(() -> assertThat(cluster).hasActiveSlot("standby2_slot"))
                .hasMessageContaining("Expected slot 'standby2_slot' to be active on the primary, but the primary"
                        + " reports it inactive, restart_lsn ");
    }

    @Test
    void aFailedTestGetsTheTailOfEveryServerLog() {
        ExtensionContext failed = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getExecutionException" -> Optional.of(new AssertionError("boom"));
                    case "getDisplayName" -> "someTest()";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            extension.afterTestExecution(failed);
        } finally {
            System.setErr(err);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        Assertions.assertThat(out)
                .contains("[pgreplication] someTest() failed (java.lang.AssertionError: boom); the tail of every"
                        + " node's server log:")
                .contains("---- primary (/var/lib/postgresql/data.log) ----")
                .contains("---- standby1 (/var/lib/postgresql/data.log) ----")
                .contains("---- standby2 (/var/lib/postgresql/data.log) ----")
                .contains("database system is ready to accept read-only connections");
    }
}
