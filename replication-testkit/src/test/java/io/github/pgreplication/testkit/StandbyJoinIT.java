package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StandbyJoin;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.ServiceControl;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Standbys joined from their own side with the replication role's credentials only: pg_basebackup as
 * {@code replicator} with a password, with and without a slot the role creates itself, and a role the primary's
 * pg_hba.conf does not admit. The primary is set up first by its own administrator (here: the library, apart).
 */
class StandbyJoinIT {
    static final String DIR = PostgresMachines.DATA_DIRECTORY;
    static final ReplicationRole ROLE = ReplicationRole.named("replicator").withPassword(Secret.of("replication"));
    static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "main", "s1", "s2", "s3");
        ClusterNode main = machines.initDatabase("main");
        // The primary's administrator: the role with a password and an md5 pg_hba rule, as the second runbook.
        try (Replication admin = Replication.primary(Primary.at(main.internalEndpoint()).withName("main")
                        .withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                        .withHost(main.host()).withService(ServiceControl.pgCtl()))
                .replicationRole(ROLE)
                .allow(HbaRule.parse("host replication replicator samenet md5"),
                        HbaRule.parse("host replication norepl samenet md5"))
                .load()) {
            admin.apply();
        }
        main.query("CREATE ROLE other WITH REPLICATION LOGIN PASSWORD 'other'");
        main.query("CREATE ROLE norepl WITH LOGIN PASSWORD 'norepl'"); // admitted by pg_hba, but not REPLICATION
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    static Standby standby(String name) {
        return Standby.named(name).withHost(machines.machine(name).host()).withDataDirectory(DIR)
                .withService(ServiceControl.pgCtl());
    }

    static StandbyJoin.Builder join(ReplicationRole role) {
        return Replication.standbyOf(machines.machine("main").internalEndpoint(), role)
                .streamingTimeout(Duration.ofSeconds(60));
    }

    @Test
    void joinsWithReplicationCredentialsOnlyAndStreams() {
        ClusterNode main = machines.machine("main");
        try (StandbyJoin join = join(ROLE).addStandby(standby("s1")).load()) {
            ApplyResult result = join.apply();
            assertThat(result.cloneMethodUsed("s1")).contains("cloned with pg_basebackup");
            System.out.println("StandbyJoin.apply(): " + result.commands() + " commands, " + result.queries()
                    + " queries");
            assertThat(result.commands()).as("round-trip budget of a join (RoundTripBudgetIT has the others): commands"
                    + " on the standby's host, measured on a fresh one (11, then 9 with the data directory's"
                    + " listing and mode in one command and no second look before a write)").isLessThanOrEqualTo(9);
            assertThat(result.queries()).as("a join sends no SQL: it has no admin connection").isZero();
            assertThat(result.outcomes()).as("every step ran on the standby").allMatch(o -> o.node().equals("s1"));
        }
        ClusterNode s1 = machines.machine("s1");
        assertThat(s1.query("SELECT pg_is_in_recovery(), status FROM pg_stat_wal_receiver")).isEqualTo("t|streaming");
        assertThat(s1.query("SHOW primary_slot_name")).as("no slot asked, none used").isEmpty();
        assertThat(main.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 's1%'"))
                .as("no slot asked, none made").isEqualTo("0");
        main.query("CREATE TABLE joined(v int); INSERT INTO joined VALUES (42)");
        String lsn = main.query("SELECT pg_current_wal_lsn()");
        Waits.until("s1 replays the insert", Duration.ofSeconds(30), () -> s1.query("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'")
                .equals("t"));
        assertThat(s1.query("SELECT v FROM joined")).isEqualTo("42");
        assertThat(main.query("SELECT application_name, usename FROM pg_stat_replication"
                + " WHERE application_name = 's1'")).isEqualTo("s1|replicator");
    }

    @Test
    void aSlotAskedForIsCreatedByTheRoleThenUsedAndNotRecreated() {
        ClusterNode main = machines.machine("main");
        Standby s2 = standby("s2").withSlot("s2_slot");
        try (StandbyJoin join = join(ROLE).addStandby(s2).load()) {
            ApplyResult first = join.apply();
            assertThat(first.outcomes()).filteredOn(o -> o.title().startsWith("physical slot")).singleElement()
                    .satisfies(o -> assertThat(o.detail()).isEqualTo("created"));
            Waits.until("s2 streams from its slot", Duration.ofSeconds(30), () -> main.query("SELECT active FROM pg_replication_slots"
                    + " WHERE slot_name = 's2_slot'").equals("t"));
            ApplyResult second = join.apply();
            assertThat(second.outcomes()).filteredOn(o -> o.title().startsWith("physical slot")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(StepOutcome.Status.ALREADY_DONE));
            assertThat(second.outcomes()).filteredOn(o -> o.title().startsWith("clone")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(StepOutcome.Status.ALREADY_DONE));
        }
        assertThat(machines.machine("s2").query("SHOW primary_slot_name")).isEqualTo("s2_slot");
    }

    @Test
    void noPgHbaRuleForTheRoleIsThePrimarysToFixWithTheLine() {
        ReplicationRole other = ReplicationRole.named("other").withPassword(Secret.of("other"));
        try (StandbyJoin join = join(other).addStandby(standby("s3")).load()) {
            assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("no pg_hba.conf entry for replication connection from host")
                    .hasMessageContaining("To fix on the primary: pg_hba.conf has no replication rule")
                    .hasMessageContaining("host replication other ")
                    .satisfies(e -> {
                        ConnectionFailedException a = (ConnectionFailedException) e.getCause();
                        assertThat(a.reason()).contains(ConnectionFailedException.Reason.NO_HBA_ENTRY);
                        assertThat(a.primaryFix().orElseThrow()).matches("host replication other \\S+/32"
                                + " scram-sha-256");
                    });
        }
        assertThat(machines.machine("s3").host().list(DIR)).as("nothing cloned").isEmpty();
    }

    @Test
    void aRoleWithoutReplicationIsThePrimarysToFix() {
        ReplicationRole norepl = ReplicationRole.named("norepl").withPassword(Secret.of("norepl"));
        try (StandbyJoin join = join(norepl).addStandby(standby("s3")).load()) {
            assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("To fix on the primary: the role lacks the REPLICATION attribute")
                    .hasMessageContaining("ALTER ROLE \"norepl\" WITH REPLICATION;")
                    .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                            .contains(ConnectionFailedException.Reason.NOT_REPLICATION_ROLE));
        }
    }

    @Test
    void maxWalSendersReachedIsThePrimarysToFixWithPgBasebackupsOwnWords() {
        // A primary with one WAL sender: IDENTIFY_SYSTEM gets it, pg_basebackup -Xs needs two.
        try (PostgresMachines tight = PostgresMachines.start(PostgresImage.resolve(17), "tight", "s4")) {
            ClusterNode primary = tight.initDatabase("tight", java.util.Map.of("max_wal_senders", "1"));
            try (Replication admin = Replication.primary(Primary.at(primary.internalEndpoint()).withName("tight")
                            .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                            .withHost(primary.host()).withService(ServiceControl.pgCtl()))
                    .replicationRole(ROLE)
                    .allow(HbaRule.parse("host replication replicator samenet md5"))
                    .load()) {
                admin.apply();
            }
            Standby s4 = Standby.named("s4").withHost(tight.machine("s4").host()).withDataDirectory(DIR)
                    .withService(ServiceControl.pgCtl());
            try (StandbyJoin join = Replication.standbyOf(primary.internalEndpoint(), ROLE).addStandby(s4).load()) {
                assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                        .hasMessageContaining("Step failed on s4: clone")
                        .hasMessageContaining("max_wal_senders")
                        .hasMessageContaining("To fix on the primary: every WAL sender is in use (max_wal_senders = 1)")
                        .hasMessageContaining("ALTER SYSTEM SET max_wal_senders = 10;")
                        .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                                .contains(ConnectionFailedException.Reason.WAL_SENDERS_EXHAUSTED));
            }
        }
    }

    @Test
    void aWrongPasswordIsThisSidesToFix() {
        ReplicationRole wrong = ReplicationRole.named("replicator").withPassword(Secret.of("not-it"));
        try (StandbyJoin join = join(wrong).addStandby(standby("s3")).load()) {
            assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("password authentication failed for user \"replicator\"")
                    .hasMessageContaining("The password given for role replicator is not the primary's")
                    .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                            .contains(ConnectionFailedException.Reason.WRONG_PASSWORD));
        }
    }
}
