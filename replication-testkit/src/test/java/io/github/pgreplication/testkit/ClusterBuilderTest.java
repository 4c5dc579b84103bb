package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The builder's test defaults and the key shared clusters are found by; no Docker. */
class ClusterBuilderTest {
    @Test
    void testClustersGetShortWalTimeoutsByDefault() {
        PrimarySettings s = ReplicationCluster.builder().effectiveSettings();
        assertThat(s.get("wal_sender_timeout")).contains("5000ms");
        assertThat(s.get("wal_receiver_timeout")).contains("5000ms");
        assertThat(s.get("wal_retrieve_retry_interval")).contains("1s");
        assertThat(s.get("wal_receiver_status_interval")).contains("1s");
        assertThat(s.get("fsync")).contains("off");
    }

    @Test
    void theTimeoutsCanBeChangedOrOverriddenBySettings() {
        PrimarySettings s = ReplicationCluster.builder().walSenderTimeout(Duration.ofSeconds(2))
                .walReceiverTimeout(Duration.ZERO)
                .settings(PrimarySettings.empty().withParameter("wal_retrieve_retry_interval", "5s"))
                .effectiveSettings();
        assertThat(s.get("wal_sender_timeout")).contains("2000ms");
        assertThat(s.get("wal_receiver_timeout")).contains("0ms");
        assertThat(s.get("wal_retrieve_retry_interval")).contains("5s");
    }

    @Test
    void anApplyDelayNamesAStandbyOfTheClusterAndCountsInTheKey() {
        assertThatThrownBy(() -> ReplicationCluster.builder().standbys(2).applyDelay("standby3",
                Duration.ofSeconds(5)).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applyDelay(\"standby3\", ...) names no standby of this cluster: its standbys"
                        + " are [standby1, standby2]");
        assertThatThrownBy(() -> ReplicationCluster.builder().applyDelay("standby1", Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is negative");
        assertThat(ReplicationCluster.builder().applyDelay("standby1", Duration.ofSeconds(5)).configurationKey())
                .as("a delayed cluster is not shared with a plain one")
                .isNotEqualTo(ReplicationCluster.builder().configurationKey())
                .isEqualTo(ReplicationCluster.builder().applyDelay("standby1", Duration.ofSeconds(5))
                        .configurationKey());
        assertThat(ReplicationCluster.builder().applyDelay("standby1", Duration.ofSeconds(5))
                .applyDelay("standby1", Duration.ZERO).configurationKey()).as("zero removes it")
                .isEqualTo(ReplicationCluster.builder().configurationKey());
    }

    @Test
    void negativeTimeoutsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> ReplicationCluster.builder().walSenderTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("walSenderTimeout(PT-1S): a timeout must be zero (disabled) or more,"
                        + " e.g. Duration.ofSeconds(5)");
        assertThatThrownBy(() -> ReplicationCluster.builder().walReceiverTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("walReceiverTimeout");
    }

    @Test
    void buildersOfTheSameConfigurationShareOneKey() {
        assertThat(ReplicationCluster.builder().standbys(2).configurationKey())
                .as("the default role's random password does not count")
                .isEqualTo(ReplicationCluster.builder().standbys(2).configurationKey());
        assertThat(ReplicationCluster.builder().standbys(2).configurationKey())
                .isNotEqualTo(ReplicationCluster.builder().standbys(1).configurationKey())
                .isNotEqualTo(ReplicationCluster.builder().standbys(2).postgresMajor(15).configurationKey())
                .isNotEqualTo(ReplicationCluster.builder().standbys(2).walSenderTimeout(Duration.ofSeconds(9))
                        .configurationKey());
        ReplicationRole role = ReplicationRole.named("replicator").withPassword(Secret.of("one"));
        assertThat(ReplicationCluster.builder().replicationRole(role).configurationKey())
                .isEqualTo(ReplicationCluster.builder().replicationRole(role).configurationKey())
                .isNotEqualTo(ReplicationCluster.builder().replicationRole(role.withPassword(Secret.of("two")))
                        .configurationKey());
        UnaryOperator<io.github.pgreplication.Replication.Builder> customizer = b -> b;
        assertThat(ReplicationCluster.builder().customize(customizer).configurationKey())
                .as("a customizer counts by identity")
                .isEqualTo(ReplicationCluster.builder().customize(customizer).configurationKey())
                .isNotEqualTo(ReplicationCluster.builder().customize(b -> b).configurationKey());
    }
}
