package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.github.pgreplication.host.SshHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.Plan.PlanStep;

/** plan() and toRunbook(): computed without any server, secrets as ****. */
class PlanTest {
    private static final String PASSWORD = "s3cr'et\\;x";
    /** Nothing listens on port 1: a plan that tried to connect would fail or hang. */
    private static final Endpoint UNREACHABLE = Endpoint.of("127.0.0.1", 1);

    private static Replication.Builder description() {
        return Replication.primary(Primary.at(UNREACHABLE).withName("eshua"))
                .settings(PrimarySettings.empty().withWalLevel(WalLevel.REPLICA).withMaxWalSize("1GB")
                        .withMaxWalSenders(10))
                .replicationRole(ReplicationRole.named("replicator").withPassword(Secret.of(PASSWORD)))
                .allow(HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256"))
                .addStandby(Standby.named("eshub").withDataDirectory("/var/lib/postgresql/eshub")
                        .withHost(SshHost.to("postgres", "eshub.example")))
                .addStandby(Standby.named("eshuc").withDataDirectory("/var/lib/postgresql/eshuc")
                        .withHost(SshHost.to("postgres", "eshuc.example")));
    }

    private static String runbook() {
        try (Replication replication = description().load()) {
            return replication.plan().toRunbook();
        }
    }

    @Test
    void planNeedsNoServer() {
        String runbook = assertTimeout(Duration.ofSeconds(10), PlanTest::runbook,
                "plan() must not wait for a connection to the unreachable primary");

        assertThat(runbook).as("a plan was rendered").contains("On eshua:", "On eshub:", "On eshuc:");
    }

    @Test
    void runbookNeverContainsThePassword() {
        String runbook = runbook();

        assertThat(runbook).as("secrets render as ****").contains("****");
        assertThat(runbook).doesNotContain(PASSWORD)
                .as("nor a quoted or escaped form of it").doesNotContain("s3cr");
    }

    @Test
    void headingNamesTheTopologyAndHidesThePassword() {
        assertThat(runbook().lines().findFirst()).hasValue("Streaming replication from primary eshua (127.0.0.1:1)"
                + " to 2 standby(s), role replicator with password ****");
    }

    @Test
    void runbookCreatesOneSlotPerStandby() {
        assertThat(runbook()).contains("pg_create_physical_replication_slot('eshub_slot', true)",
                "pg_create_physical_replication_slot('eshuc_slot', true)");
    }

    @Test
    void runbookShowsTheBaseBackupOfEachStandby() {
        assertThat(runbook())
                .contains("pg_basebackup -h 127.0.0.1 -p 1 -U replicator -D /var/lib/postgresql/eshub -S eshub_slot"
                        + " -Fp -Xs -P -R -w --checkpoint=fast")
                .contains("-D /var/lib/postgresql/eshuc -S eshuc_slot");
    }

    @Test
    void runbookShowsTheSettings() {
        assertThat(runbook()).contains("ALTER SYSTEM SET wal_level = 'replica'",
                "ALTER SYSTEM SET max_wal_size = '1GB'", "ALTER SYSTEM SET max_wal_senders = '10'",
                "pg_reload_conf()");
    }

    @Test
    void runbookShowsTheRoleTheHbaRuleAndThePassfile() {
        assertThat(runbook())
                .contains("CREATE ROLE replicator WITH REPLICATION LOGIN")
                .contains("PASSWORD '****'")
                .contains("host replication replicator 10.0.0.0/24 scram-sha-256")
                .contains("127.0.0.1:1:*:replicator:****")
                .contains("/var/lib/postgresql/.pgpass-eshub");
    }

    @Test
    void stepsRunPrimaryFirstThenEachStandbyInOrder() {
        List<PlanStep> steps;
        try (Replication replication = description().load()) {
            steps = replication.plan().steps();
        }
        List<String> nodeRuns = new ArrayList<>();
        steps.forEach(s -> {
            if (nodeRuns.isEmpty() || !nodeRuns.get(nodeRuns.size() - 1).equals(s.node())) {
                nodeRuns.add(s.node());
            }
        });

        assertThat(nodeRuns).as("all primary steps, then all of eshub's, then all of eshuc's")
                .containsExactly("eshua", "eshub", "eshuc");
        assertThat(steps.get(0).kind()).as("the primary is checked before anything changes")
                .isEqualTo(PlanStep.Kind.CHECK);
        assertThat(steps.stream().filter(s -> s.node().equals("eshub")).map(PlanStep::title).toList())
                .as("passfile, data directory check and mode, clone, configure, start, verify").satisfiesExactly(
                        t -> assertThat(t).contains("passfile"),
                        t -> assertThat(t).contains("data directory /var/lib/postgresql/eshub is absent, empty"),
                        t -> assertThat(t).isEqualTo("data directory /var/lib/postgresql/eshub, if it exists and is"
                                + " empty, is 0700 before the clone"),
                        t -> assertThat(t).contains("clone /var/lib/postgresql/eshub with pg_basebackup"),
                        t -> assertThat(t).contains("primary_slot_name", "primary_conninfo"),
                        t -> assertThat(t).contains("start the standby"),
                        t -> assertThat(t).contains("streams"));
    }

    @Test
    void theRunbookNamesTheRestartCommandOrSaysThatNoneWasGiven() {
        String withCommand;
        try (Replication replication = Replication.primary(Primary.at(UNREACHABLE).withName("eshua")
                        .withService(io.github.pgreplication.host.ServiceControl.command(
                                List.of("doas", "rcctl", "restart", "postgresql"))))
                .settings(PrimarySettings.empty().withWalLogHints(true)).load()) {
            withCommand = replication.plan().toRunbook();
        }
        String withPgCtl;
        try (Replication replication = Replication.primary(Primary.at(UNREACHABLE).withName("eshua")
                        .withService(io.github.pgreplication.host.ServiceControl.pgCtl()))
                .settings(PrimarySettings.empty().withWalLogHints(true)).load()) {
            withPgCtl = replication.plan().toRunbook();
        }

        assertThat(withCommand).as("the seed's own restart command, as typed by hand")
                .containsPattern("(?m)^ +doas rcctl restart postgresql$");
        assertThat(withPgCtl).contains("pg_ctl -D DATADIR -w -t 120 -l DATADIR.log restart -m fast")
                .contains("DATADIR: SHOW data_directory");
        assertThat(runbook()).as("no ServiceControl given")
                .contains("no ServiceControl given: apply() stops and asks you to");
    }

    @Test
    void withoutPasswordThereIsNoPassfileStep() {
        String runbook;
        try (Replication replication = description().replicationRole(ReplicationRole.named("replicator")).load()) {
            runbook = replication.plan().toRunbook();
        }

        assertThat(runbook).contains("role replicator without password").doesNotContain(".pgpass");
    }

    @Test
    void runbookStepsAreNumberedAcrossNodes() {
        try (Replication replication = description().load()) {
            Plan plan = replication.plan();
            String runbook = plan.toRunbook();

            assertThat(runbook).contains("  1. Check: primary is reachable");
            assertThat(runbook).as("numbering continues across nodes up to the last step")
                    .containsPattern("(?m)^ *" + plan.steps().size() + "\\. Check: standby is in recovery");
        }
    }
}
