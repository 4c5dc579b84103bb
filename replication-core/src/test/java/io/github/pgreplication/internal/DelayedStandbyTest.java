package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Failover;
import io.github.pgreplication.InvalidReplicationConfigException;
import io.github.pgreplication.LossCheck;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SyncPolicy;
import io.github.pgreplication.host.LocalHost;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A delayed standby: its setting, and that it is never promoted nor counted by a synchronous policy. */
class DelayedStandbyTest {
    private static Standby standby(String name) {
        return Standby.named(name).withDataDirectory("/var/lib/postgresql/" + name)
                .withEndpoint(Endpoint.of(name, 5432))
                .withAdminEndpoint(Endpoint.of(name, 5432), "postgres", Secret.none());
    }

    private static final Standby DELAYED = standby("eshud").withApplyDelay(Duration.ofMinutes(5));

    @Test
    void theDelayIsRecoveryMinApplyDelayInMillisecondsAndZeroRemovesIt() {
        assertThat(DELAYED.parameters()).containsEntry("recovery_min_apply_delay", "300000ms");
        assertThat(DELAYED.applyDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(DELAYED.delayed()).isTrue();
        Standby plain = DELAYED.withApplyDelay(Duration.ZERO);
        assertThat(plain.parameters()).doesNotContainKey("recovery_min_apply_delay");
        assertThat(plain.delayed()).as("no delay").isFalse();
        assertThat(plain.applyDelay()).isZero();
    }

    @Test
    void aRawParameterCountsInEveryUnitPostgresqlTakes() {
        assertThat(standby("a").withParameter("recovery_min_apply_delay", "1h").applyDelay())
                .isEqualTo(Duration.ofHours(1));
        assertThat(standby("a").withParameter("recovery_min_apply_delay", "5min").applyDelay())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(standby("a").withParameter("recovery_min_apply_delay", "1500").applyDelay())
                .as("milliseconds without a unit").isEqualTo(Duration.ofMillis(1500));
        assertThat(standby("a").withParameter("recovery_min_apply_delay", "0").delayed()).isFalse();
        assertThat(standby("a").withParameter("recovery_min_apply_delay", "soon").delayed())
                .as("a value that is no time still keeps it out of promotions").isTrue();
    }

    @Test
    void aNegativeOrTooLongDelayIsRefusedWithTheRange() {
        assertThatThrownBy(() -> standby("eshud").withApplyDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apply delay PT-1S of standby 'eshud' is negative")
                .hasMessageContaining("Duration.ofHours(1)");
        assertThatThrownBy(() -> standby("eshud").withApplyDelay(Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than PostgreSQL's limit of 2147483647 ms");
    }

    private static Replication.Builder withDelayed(SyncPolicy policy) {
        return Replication.primary(Primary.at(Endpoint.of("eshua", 5432)).withName("eshua").withHost(
                LocalHost.current())).addStandby(standby("eshub").withHost(LocalHost.current()))
                .addStandby(DELAYED.withHost(LocalHost.current()).withPort(5433)).syncPolicy(policy);
    }

    @Test
    void aPolicyNamingADelayedStandbyIsRefusedAndOneWithoutNamesLeavesItOut() {
        assertThatThrownBy(() -> withDelayed(SyncPolicy.any(1, "eshub", "eshud")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("sync policy SyncPolicy.any(1, \"eshub\", \"eshud\") name 'eshud'")
                .hasMessageContaining("a delayed standby (eshud replays PT5M late) confirms no commit")
                .hasMessageContaining("Remove 'eshud' from the policy's names");
        assertThatThrownBy(() -> withDelayed(SyncPolicy.any(2)).load())
                .as("two standbys, one delayed: only one can confirm")
                .hasMessageContaining("between 1 and the number of standbys it names (1: every standby of the"
                        + " set-up but the delayed ones)");
        try (Replication r = withDelayed(SyncPolicy.any(1)).load()) {
            assertThat(r.synchronousStandbyNames()).isEqualTo("ANY 1 (\"eshub\")");
        }
    }

    private static ReplicationConfig config(Standby... standbys) {
        return new ReplicationConfig(Primary.at(Endpoint.of("p", 5432)).withName("p"),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(), List.of(standbys),
                Duration.ofSeconds(5), true, List.of(), Map.of(), SyncPolicy.none());
    }

    private static NodeState standbyAt(String name, String received) {
        return NodeState.parse(name, List.of("t", "170004", "744", "1", received, received, "none", "", "f", ""));
    }

    @Test
    void anAutomaticFailoverPassesADelayedStandbyOverEvenWhenItIsAhead() {
        ReplicationConfig c = config(standby("eshub"), DELAYED);
        Map<Standby, NodeState> states = new LinkedHashMap<>();
        states.put(c.standbys().get(0), standbyAt("eshub", "0/3000100"));
        states.put(c.standbys().get(1), standbyAt("eshud", "0/3000200"));

        FailoverChoice choice = FailoverChoice.decide(c, Failover.toMostAdvanced(), states,
                () -> new OldPrimaryEnd(LossCheck.Basis.UNKNOWN, null, "unknown"));

        assertThat(choice.standby().name()).as("the delayed standby received more, but is never promoted")
                .isEqualTo("eshub");
    }

    @Test
    void withOnlyADelayedStandbyLeftNoneCanBePromoted() {
        ReplicationConfig c = config(standby("eshub"), DELAYED);
        Map<Standby, NodeState> states = new LinkedHashMap<>();
        states.put(c.standbys().get(0), NodeState.unreachable("eshub", "refused"));
        states.put(c.standbys().get(1), standbyAt("eshud", "0/3000200"));

        assertThatThrownBy(() -> FailoverChoice.decide(c, Failover.toMostAdvanced(), states,
                () -> new OldPrimaryEnd(LossCheck.Basis.UNKNOWN, null, "unknown")))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.NO_CANDIDATE));
    }

    @Test
    void statusShowsTheDelayBesideTheLagItIncludes() {
        ReplicationConfig c = config(standby("eshub"), DELAYED);
        ReplicationStatus status = StatusRows.parse(List.of(
                Arrays.asList("standby", "eshub", "streaming", "async", "0/3000200", "0/3000200", "0/3000200",
                        "0/3000200", null),
                Arrays.asList("standby", "eshud", "streaming", "async", "0/3000200", "0/3000200", "0/3000200",
                        "0/3000000", "299000"),
                Arrays.asList("primary", null, null, null, "0/3000200", null, null, null, null)), c);

        assertThat(status.standby("eshud").orElseThrow().applyDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(status.standby("eshub").orElseThrow().applyDelay()).isZero();
        assertThat(status.toTable()).contains("(delayed by 300000 ms on purpose: the lag includes it)");
    }
}
