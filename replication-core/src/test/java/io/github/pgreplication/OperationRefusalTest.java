package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.host.SshHost;
import org.junit.jupiter.api.Test;

/** Operations refused from the description alone, before any server is asked. */
class OperationRefusalTest {
    private static Replication.Builder seed1(Standby eshub) {
        return Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432)).withName("eshua")
                        .withDataDirectory("/var/postgresql/data").withService(ServiceControl.pgCtl()))
                .addStandby(eshub)
                .addStandby(Standby.named("eshuc").withHost(SshHost.to("postgres", "eshuc.ghelew.ch"))
                        .withDataDirectory("/var/postgresql/data"));
    }

    private static Standby eshub() {
        return Standby.named("eshub").withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
                .withDataDirectory("/var/postgresql/data");
    }

    private static OperationRefusedException refusal(Runnable call) {
        try {
            call.run();
        } catch (OperationRefusedException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void anUnknownNameListsTheNodes() {
        try (Replication r = seed1(eshub()).load()) {
            OperationRefusedException e = refusal(() -> r.plan(Switchover.to("eshud")));
            assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_NODE);
            assertThat(e.node()).isEqualTo("eshud");
            assertThat(e).hasMessage("No node is named 'eshud'. The nodes are [eshua, eshub, eshuc] (primary eshua).");
            assertThat(refusal(() -> r.plan(Rejoin.node("nobody"))).kind()).isEqualTo(Kind.UNKNOWN_NODE);
            assertThat(refusal(() -> r.planRemoval("nobody", true)).kind()).isEqualTo(Kind.UNKNOWN_NODE);
            assertThat(refusal(() -> r.plan(Resync.node("nobody"))).kind()).isEqualTo(Kind.UNKNOWN_NODE);
        }
    }

    @Test
    void onlyAStandbyIsReSynced() {
        try (Replication r = seed1(eshub()).load()) {
            OperationRefusedException e = refusal(() -> r.plan(Resync.node("eshua")));
            assertThat(e.kind()).isEqualTo(Kind.WRONG_ROLE);
            assertThat(e).hasMessageContaining("eshua is not a standby of eshua but the primary; resync re-syncs a"
                    + " standby. A former primary comes back with replication.rejoin(Rejoin.node(\"eshua\"))");
        }
    }

    @Test
    void aTargetWithoutAPeerEndpointCannotBecomeThePrimary() {
        try (Replication r = seed1(eshub()).load()) {
            OperationRefusedException e = refusal(() -> r.plan(Switchover.to("eshub")));
            assertThat(e.kind()).isEqualTo(Kind.MISSING_CAPABILITY);
            assertThat(e).hasMessageContaining("Standby 'eshub' has no endpoint that its peers can connect to")
                    .hasMessageContaining(".withEndpoint(Endpoint.of(\"eshub.example.com\", 5432))");
        }
    }

    @Test
    void aTargetReachedThroughPsqlOnlyIsRefusedWithTheFix() {
        try (Replication r = seed1(eshub().withEndpoint(Endpoint.of("eshub.ghelew.ch"))).load()) {
            assertThat(refusal(() -> r.plan(Switchover.to("eshub"))))
                    .hasMessageContaining("reached through psql only")
                    .hasMessageContaining(".withAdminEndpoint(endpoint, \"postgres\", password)");
        }
    }

    @Test
    void aPrimaryWithoutServiceControlCannotBeStoppedForASwitchover() {
        Standby ready = eshub().withEndpoint(Endpoint.of("eshub.ghelew.ch"))
                .withAdminEndpoint(Endpoint.of("eshub.ghelew.ch"), "postgres", Secret.none());
        Replication.Builder b = Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432)).withName("eshua")
                .withDataDirectory("/var/postgresql/data")).addStandby(ready);
        try (Replication r = b.load()) {
            OperationRefusedException e = refusal(() -> r.plan(Switchover.to("eshub")));
            assertThat(e.kind()).isEqualTo(Kind.MISSING_CAPABILITY);
            assertThat(e).hasMessageContaining("Node 'eshua' has no ServiceControl, so the library cannot stop it")
                    .hasMessageContaining("withService(ServiceControl.pgCtl())");
        }
    }

    @Test
    void aSwitchoverToThePrimaryPlansNothingAndSaysSo() {
        try (Replication r = seed1(eshub()).load()) {
            Plan plan = r.plan(Switchover.to("eshua"));
            assertThat(plan.steps()).isEmpty();
            assertThat(plan.toRunbook()).contains("eshua: it is the primary already, nothing to do");
            OperationResult result = r.switchover("eshua");
            assertThat(result.replication()).isSameAs(r);
            assertThat(result.notes()).containsExactly("eshua is the primary already: nothing changed.");
        }
    }

    @Test
    void rejoinRefusesThePrimaryItself() {
        try (Replication r = seed1(eshub()).load()) {
            OperationRefusedException e = refusal(() -> r.plan(Rejoin.node("eshua")));
            assertThat(e.kind()).isEqualTo(Kind.WRONG_ROLE);
            assertThat(e).hasMessageContaining("eshua is the primary");
        }
    }

    @Test
    void optionsRefuseNullsAndNonPositiveTimeouts() {
        assertThatThrownBy(() -> Switchover.to(null)).hasMessageContaining("target must not be null");
        assertThatThrownBy(() -> Switchover.to("x").withCatchUpTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("catchUpTimeout PT0S must be positive");
        assertThatThrownBy(() -> Failover.to(null)).hasMessageContaining("Failover.toMostAdvanced()");
        assertThatThrownBy(() -> Rejoin.node(null)).hasMessageContaining("node must not be null");
        assertThatThrownBy(() -> Resync.node(null)).hasMessageContaining("name the standby to re-sync");
        assertThatThrownBy(() -> Resync.node("x").withStreamTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("streamTimeout PT0S must be positive");
        assertThat(Resync.node("x").withForced(true).forced()).isTrue();
        assertThat(new WalRange(Lsn.parse("0/100"), Lsn.parse("0/180")).bytes()).isEqualTo(128);
        assertThat(new WalRange(Lsn.parse("0/100"), null)).hasToString("from 0/100 to the end of its WAL");
    }
}
