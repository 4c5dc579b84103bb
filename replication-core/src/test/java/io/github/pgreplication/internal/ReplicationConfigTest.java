package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Node;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node that stops being a standby (promoted, detached) is a standby again as it was described. */
class ReplicationConfigTest {

    private static final Standby S1 = Standby.named("s1").withDataDirectory("/srv/s1").withSlot("s1_own")
            .withEndpoint(Endpoint.of("s1.example", 5432))
            .withPassfile("/srv/.pgpass-s1").withParameter("hot_standby_feedback", "on");

    private static ReplicationConfig config() {
        return new ReplicationConfig(Primary.at(Endpoint.of("p.example", 5432)).withName("p"),
                ReplicationRole.named("replicator"), PrimarySettings.empty(), List.of(),
                List.of(S1, Standby.named("s2").withDataDirectory("/srv/s2")), Duration.ofSeconds(1), true);
    }

    @Test
    void aPromotedStandbysDescriptionIsRememberedAndUsedOnItsCurrentNode() {
        ReplicationConfig before = config();
        ReplicationConfig after = before.withTopology(Primary.of(S1.node()), List.of(before.asStandby(
                before.primary().node()), before.standby("s2").orElseThrow()), List.of());

        assertThat(after.formerStandbys()).containsOnlyKeys("s1");
        Node moved = S1.node().withDataDirectory("/srv/elsewhere");
        Standby again = after.asStandby(moved);
        assertThat(again.node()).as("the node as it is now").isEqualTo(moved);
        assertThat(again.effectiveSlotName()).isEqualTo("s1_own");
        assertThat(again.effectivePassfile()).isEqualTo("/srv/.pgpass-s1");
        assertThat(again.parameters()).containsEntry("hot_standby_feedback", "on");
        assertThat(again.cloneMethods()).isEqualTo(S1.cloneMethods());
    }

    @Test
    void aNodeNeverDescribedAsAStandbyGetsTheDefaults() {
        ReplicationConfig before = config();
        Standby p = before.asStandby(before.primary().node());
        assertThat(p.effectiveSlotName()).isEqualTo("p_slot");
        assertThat(p.parameters()).isEmpty();
    }

    @Test
    void aStandbyAgainIsForgottenAsFormerAndAStandbyNowKeepsItsOwnDescription() {
        ReplicationConfig before = config();
        ReplicationConfig promoted = before.withTopology(Primary.of(S1.node()), List.of(), List.of());
        ReplicationConfig back = promoted.withTopology(before.primary(), List.of(promoted.asStandby(S1.node())),
                List.of());
        assertThat(back.formerStandbys()).as("s1 is a standby again; s2 left the list").containsOnlyKeys("s2");
        assertThat(back.asStandby(S1.node())).isEqualTo(back.standby("s1").orElseThrow());
        assertThat(back.withHbaRules(List.of()).formerStandbys()).as("kept by the other copies")
                .isEqualTo(back.formerStandbys());
    }
}
