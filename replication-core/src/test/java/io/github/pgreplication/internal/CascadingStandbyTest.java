package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.InvalidReplicationConfigException;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cascading standbys: the tree's validation, its plan order, where slots and checks go, and status. */
class CascadingStandbyTest {
    private static Standby standby(String name) {
        return Standby.named(name).withDataDirectory("/var/lib/postgresql/" + name).withHost(LocalHost.current())
                .withEndpoint(Endpoint.of(name, 5432))
                .withAdminEndpoint(Endpoint.of(name, 5432), "postgres", Secret.none());
    }

    private static Replication.Builder builder(Standby... standbys) {
        Replication.Builder b = Replication.primary(Primary.at(Endpoint.of("eshua", 5432)).withName("eshua")
                .withHost(LocalHost.current()));
        for (Standby s : standbys) {
            b.addStandby(s);
        }
        return b;
    }

    private static ReplicationConfig config(Standby... standbys) {
        return new ReplicationConfig(Primary.at(Endpoint.of("eshua", 5432)).withName("eshua"),
                ReplicationRole.named("replicator"), PrimarySettings.empty(),
                List.of(HbaRule.replication("replicator", "10.0.0.0/8", "scram-sha-256")),
                List.of(standbys), Duration.ofSeconds(5), true, List.of(), Map.of(), SyncPolicy.none());
    }

    @Test
    void anUnknownUpstreamAStandbyStreamingFromItselfAndACycleAreRefusedAtLoad() {
        assertThatThrownBy(() -> builder(standby("eshub"), standby("eshuc").streamingFrom("eshux")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshuc' upstream 'eshux'")
                .hasMessageContaining("an upstream is a node of the set-up: the primary 'eshua' or one of its"
                        + " standbys [eshub, eshuc]")
                .hasMessageContaining("Use streamingFrom(...) with one of [eshub]");
        assertThatThrownBy(() -> builder(standby("eshub").streamingFrom("eshub")).load())
                .hasMessageContaining("standby 'eshub' upstream 'eshub'")
                .hasMessageContaining("a standby cannot stream from itself");
        assertThatThrownBy(() -> builder(standby("eshub").streamingFrom("eshuc"),
                standby("eshuc").streamingFrom("eshub")).load())
                .hasMessageContaining("standbys [eshub, eshuc, eshub]")
                .hasMessageContaining("upstreams form a cycle")
                .hasMessageContaining("Make one of them stream from the primary: remove its streamingFrom(...)");
    }

    @Test
    void aStandbySideJoinRefusesACascadeWithWhereToDescribeIt() {
        assertThatThrownBy(() -> Replication.standbyOf(Endpoint.of("eshua", 5432),
                ReplicationRole.named("replicator")).addStandby(standby("eshub"))
                .addStandby(standby("eshuc").withPort(5433).streamingFrom("eshub")).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("standby 'eshuc' upstream 'eshub'")
                .hasMessageContaining("a standby-side join streams each standby from the primary it was given")
                .hasMessageContaining("describe the cascade on the primary's side");
    }

    @Test
    void aRemovalNamesItsStandbyAndTakesPositiveTimeouts() {
        io.github.pgreplication.Remove r = io.github.pgreplication.Remove.standby("eshub").withStop(true)
                .withStandbysRepointed(true);
        assertThat(r.stop()).isTrue();
        assertThat(r.standbysRepointed()).isTrue();
        assertThat(r.streamTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> io.github.pgreplication.Remove.standby(null))
                .hasMessageContaining("Remove.standby(\"eshub\")");
        assertThatThrownBy(() -> r.withStreamTimeout(Duration.ZERO)).hasMessageContaining("streamTimeout");
    }

    @Test
    void aResyncOfACascadingStandbyIsRefusedBeforeAnythingIsAsked() {
        try (Replication r = builder(standby("eshub"), standby("eshuc").withPort(5433).streamingFrom("eshub"))
                .load()) {
            assertThatThrownBy(() -> r.plan(io.github.pgreplication.Resync.node("eshuc")))
                    .isInstanceOfSatisfying(io.github.pgreplication.OperationRefusedException.class,
                            e -> assertThat(e.kind()).isEqualTo(
                                    io.github.pgreplication.OperationRefusedException.Kind.MISSING_CAPABILITY))
                    .hasMessageContaining("eshuc streams from the standby eshub (streamingFrom)")
                    .hasMessageContaining("Describe it without streamingFrom(\"eshub\") and run resync again");
        }
    }

    @Test
    void thePrimarysNameMeansThePrimary() {
        ReplicationConfig c = config(standby("eshub").streamingFrom("eshua"));
        assertThat(c.cascading(c.standbys().get(0))).isFalse();
        assertThat(c.sourceOf(c.standbys().get(0)).name()).isEqualTo("eshua");
        assertThat(Validator.validate(c)).isEmpty();
    }

    @Test
    void aCascadingStandbyIsPlannedInItsUpstreamsLaneAfterItWithItsSlotAndHbaThere() {
        ReplicationConfig c = config(standby("eshuc").streamingFrom("eshub"), standby("eshub"), standby("eshud"));
        assertThat(c.treeOrder()).extracting(Standby::name).containsExactly("eshub", "eshuc", "eshud");
        assertThat(c.depth(c.standby("eshuc").orElseThrow())).isEqualTo(2);

        PhasedPlan plan = Planner.plan(c);
        assertThat(plan.lanes(Phase.STANDBYS).keySet()).as("one lane per standby of the primary")
                .containsExactly("eshub", "eshud");
        List<Step> lane = plan.lanes(Phase.STANDBYS).get("eshub");
        List<String> lines = lane.stream().map(s -> s.node() + ": " + s.title()).toList();
        int verifyUp = indexOf(lines, "eshub: standby is in recovery");
        int hbaUp = indexOf(lines, "eshub: pg_hba.conf block");
        int slotUp = indexOf(lines, "eshub: physical replication slot eshuc_slot for standby eshuc");
        int cloneChild = indexOf(lines, "eshuc: clone");
        int verifyChild = indexOf(lines, "eshuc: standby is in recovery, its WAL receiver streams, its upstream eshub"
                + " lists it streaming through slot eshuc_slot");
        assertThat(verifyUp).as("%s", lines).isLessThan(hbaUp);
        assertThat(hbaUp).isLessThan(slotUp);
        assertThat(slotUp).isLessThan(cloneChild);
        assertThat(cloneChild).isLessThan(verifyChild);
        assertThat(plan.steps(Phase.PRIMARY)).extracting(Step::title).as("no slot for eshuc on the primary")
                .contains("physical replication slot eshub_slot for standby eshub",
                        "physical replication slot eshud_slot for standby eshud")
                .doesNotContain("physical replication slot eshuc_slot for standby eshuc");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    @Test
    void theCloneAndPrimaryConninfoOfACascadingStandbyPointAtItsUpstream() {
        ReplicationConfig c = config(standby("eshub"), standby("eshuc").streamingFrom("eshub"));
        Standby eshuc = c.standby("eshuc").orElseThrow();
        String conninfo = new io.github.pgreplication.clone.CloneContext(eshuc, c.sourceOf(eshuc), c.role(),
                eshuc.effectiveSlotName()).primaryConninfo();
        assertThat(conninfo).contains("host=eshub").contains("application_name=eshuc").doesNotContain("eshua");
    }

    @Test
    void aPolicyNamingACascadingStandbyIsRefusedAndOneWithoutNamesLeavesItOut() {
        assertThatThrownBy(() -> builder(standby("eshub"), standby("eshuc").streamingFrom("eshub"))
                .syncPolicy(SyncPolicy.any(1, "eshuc")).load())
                .hasMessageContaining("sync policy SyncPolicy.any(1, \"eshuc\") name 'eshuc'")
                .hasMessageContaining("a cascading standby (eshuc streams from eshub) confirms no commit")
                .hasMessageContaining("remove its streamingFrom(...)");
        assertThatThrownBy(() -> builder(standby("eshub"), standby("eshuc").streamingFrom("eshub"))
                .syncPolicy(SyncPolicy.any(2)).load())
                .hasMessageContaining("(1: every standby of the set-up but the cascading ones)");
        try (Replication r = builder(standby("eshub"), standby("eshuc").withPort(5433).streamingFrom("eshub"))
                .syncPolicy(SyncPolicy.any(1)).load()) {
            assertThat(r.synchronousStandbyNames()).isEqualTo("ANY 1 (\"eshub\")");
        }
    }

    private static ReplicationConfig promoted(ReplicationConfig c, String name, boolean oldStays) {
        List<Standby> after = new java.util.ArrayList<>(Operations.without(c.standbys(), name));
        if (oldStays) {
            after.add(c.asStandby(c.primary().node()));
        }
        return c.withTopology(Primary.of(c.standby(name).orElseThrow().node()), after,
                oldStays ? List.of() : List.of(c.primary().node()));
    }

    @Test
    void anOperationRepointsOnlyTheStandbysWhoseSourceChangesAndABackSwitchCascadesAgain() {
        ReplicationConfig c = config(standby("eshub"), standby("eshuc").streamingFrom("eshub"), standby("eshud"),
                standby("eshue").streamingFrom("eshud"));
        ReplicationConfig toB = promoted(c, "eshub", true);
        assertThat(Operations.repointed(c, toB)).extracting(Standby::name)
                .as("eshuc streams from the promoted eshub, eshue from eshud: neither moves").containsExactly("eshud");
        assertThat(toB.cascading(toB.standby("eshuc").orElseThrow())).as("eshuc streams from the new primary")
                .isFalse();
        assertThat(toB.upstreamOf(toB.standby("eshue").orElseThrow()).orElseThrow().name()).isEqualTo("eshud");
        assertThat(toB.standby("eshua").orElseThrow().upstream()).as("the old primary follows the primary").isNull();

        ReplicationConfig back = promoted(toB, "eshua", true);
        assertThat(Operations.repointed(toB, back)).extracting(Standby::name)
                .as("a switchover back re-points eshud; eshuc stays on eshub, a standby again")
                .containsExactly("eshud");
        assertThat(back.upstreamOf(back.standby("eshuc").orElseThrow()).orElseThrow().name()).isEqualTo("eshub");

        assertThat(Operations.repointed(c, promoted(c, "eshuc", true))).extracting(Standby::name)
                .as("a switchover to eshuc re-points eshub and eshud, which streamed from the old primary")
                .containsExactly("eshub", "eshud");

        ReplicationConfig named = config(standby("eshub"), standby("eshuc").streamingFrom("eshua"));
        assertThat(Operations.repointed(named, promoted(named, "eshub", false))).extracting(Standby::name)
                .as("a failover: eshuc streamed from the failed eshua by name, now detached").containsExactly("eshuc");
    }

    @Test
    void statusPlacesEachStandbyInTheTree() {
        ReplicationConfig c = config(standby("eshub"), standby("eshuc").streamingFrom("eshub"));
        ReplicationStatus status = StatusRows.parse(List.of(
                Arrays.asList("standby", "eshuc", "streaming", "async", "0/3000100", "0/3000100", "0/3000100",
                        "0/3000100", null),
                Arrays.asList("slot", "eshuc_slot", "t", "reserved", "0/3000100", null, null, null, null),
                Arrays.asList("standby", "eshub", "streaming", "async", "0/3000200", "0/3000200", "0/3000200",
                        "0/3000200", null),
                Arrays.asList("primary", null, null, null, "0/3000200", null, null, null, null)), c);

        ReplicationStatus.StandbyStatus eshuc = status.standby("eshuc").orElseThrow();
        assertThat(eshuc.upstream()).isEqualTo("eshub");
        assertThat(eshuc.depth()).isEqualTo(2);
        assertThat(eshuc.cascading()).isTrue();
        assertThat(eshuc.lagBytes()).as("behind the primary, not its upstream").isEqualTo(0x100);
        assertThat(status.standby("eshub").orElseThrow().upstream()).isEqualTo("eshua");
        assertThat(status.toTable()).contains("  eshuc").contains("(streams from eshub, depth 2)");
    }

    @Test
    void anUpstreamReachedThroughPsqlGetsItsParametersAsLiteralsAndSaysItSplitsLines() {
        FakeHost host = FakeHost.postgres("eshub-host")
                .on(List.of("psql"), c -> FakeHost.ok("physical\n"));
        Standby eshub = Standby.named("eshub").withDataDirectory("/var/lib/postgresql/eshub").withHost(host);
        try (StandbyProbe probe = new StandbyProbe(eshub)) {
            SqlSession session = probe.session();
            assertThat(session.multiLineValues()).as("psql's unaligned output splits a file's lines").isFalse();
            assertThat(session.queryValue(Sql.SLOT_TYPE, "eshuc_slot")).contains("physical");
        }
        List<String> psql = host.programs().get(0);
        assertThat(psql.get(psql.size() - 1)).as("the slot name written in, quoted")
                .isEqualTo("SELECT slot_type FROM pg_replication_slots WHERE slot_name = 'eshuc_slot'");
    }

    @Test
    void aNodesStatusSaysItsDepthBelowTheFirstLevel() {
        io.github.pgreplication.NodeStatus deep = new io.github.pgreplication.NodeStatus("eshuc",
                io.github.pgreplication.NodeStatus.Role.STANDBY, "eshub.example", 1, null, null, "streaming", 2);
        assertThat(deep.toString()).startsWith("eshuc: standby of eshub.example (depth 2), timeline 1");
        io.github.pgreplication.NodeStatus direct = new io.github.pgreplication.NodeStatus("eshub",
                io.github.pgreplication.NodeStatus.Role.STANDBY, "eshua.example", 1, null, null, "streaming");
        assertThat(direct.depth()).isZero();
        assertThat(direct.toString()).startsWith("eshub: standby of eshua.example, timeline 1");
    }

    @Test
    void parametersAreWrittenIntoAStatementForPsqlAsLiterals() {
        assertThat(SqlText.inline(Sql.SLOT_TYPE, "eshuc_slot"))
                .isEqualTo("SELECT slot_type FROM pg_replication_slots WHERE slot_name = 'eshuc_slot'");
        assertThat(SqlText.inline("SELECT ?, ?", "it's", "a\\b")).isEqualTo("SELECT 'it''s', E'a\\\\b'");
        assertThat(SqlText.inline("SELECT ?", 5)).isEqualTo("SELECT 5");
        assertThatThrownBy(() -> SqlText.inline("SELECT ?, ?", "one")).hasMessageContaining("more placeholders");
        assertThatThrownBy(() -> SqlText.inline("SELECT 1", "one")).hasMessageContaining("1 parameter(s) for 0");
    }
}
