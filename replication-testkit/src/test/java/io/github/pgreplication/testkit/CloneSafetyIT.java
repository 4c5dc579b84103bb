package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceControl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A standby's data directory is only emptied when the user allowed it. */
class CloneSafetyIT {
    static final String DIR = PostgresMachines.DATA_DIRECTORY;
    static PostgresMachines machines;

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "main", "spare");
        machines.initDatabase("main");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    static Primary primary() {
        ClusterNode main = machines.machine("main");
        return Primary.at(main.internalEndpoint()).withName("main").withAdminEndpoint(main.endpoint())
                .withAdmin("postgres", main.password()).withHost(main.host()).withService(ServiceControl.pgCtl());
    }

    static Replication.Builder describe(boolean allowEmptying) {
        ClusterNode spare = machines.machine("spare");
        return Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"))
                .addStandby(Standby.named("spare").withHost(spare.host()).withDataDirectory(DIR)
                        .withAdminEndpoint(spare.endpoint(), "postgres", spare.password())
                        .withEmptyDataDirectoryAllowed(allowEmptying));
    }

    @Test
    void aNonEmptyDirectoryIsAClearErrorAndIsLeftUntouchedUnlessEmptyingIsAllowed() {
        ClusterNode spare = machines.machine("spare");
        spare.host().createDirectories(DIR, "0700");
        spare.host().writeFile(DIR + "/precious.txt", "do not lose me\n", "0600");

        try (Replication replication = describe(false).load()) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Step failed on spare: data directory " + DIR + " is absent, empty or"
                            + " already a standby")
                    .hasMessageContaining("Data directory " + DIR + " of standby 'spare'")
                    .hasMessageContaining("is not empty (1 entries: precious.txt)")
                    .hasMessageContaining("nothing in it was changed")
                    .hasMessageContaining("withEmptyDataDirectoryAllowed(true)")
                    .hasMessageContaining("Already done on spare: nothing")
                    .cause().isInstanceOfSatisfying(OperationRefusedException.class, r -> assertThat(r.kind())
                            .isEqualTo(OperationRefusedException.Kind.DATA_DIRECTORY_NOT_EMPTY));
        }
        assertThat(spare.host().list(DIR)).as("directory entries after the refusal").containsExactly("precious.txt");
        assertThat(spare.host().readFile(DIR + "/precious.txt")).contains("do not lose me\n");

        try (Replication replication = describe(true).load()) {
            assertThat(replication.apply().cloneMethodUsed("spare")).contains("cloned with pg_basebackup");
        }
        assertThat(spare.host().list(DIR)).contains("PG_VERSION", "standby.signal").doesNotContain("precious.txt");
    }

    @Test
    void theDirectoryOfARunningServerIsNeitherEmptiedNorClonedIntoEvenWhenEmptyingIsAllowed() {
        ClusterNode spare = machines.machine("spare");
        String live = "/var/lib/postgresql/live";
        spare.host().run(Command.of("initdb", "-D", live, "-N", "--no-locale"));
        // A server of its own, not a standby of main (no standby.signal), running from the directory given.
        spare.host().run(Command.of("pg_ctl", "-D", live, "-w", "-l", live + ".log", "-o",
                "-p 5434 -c listen_addresses=''", "start"));
        try (Replication replication = Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"))
                .addStandby(Standby.named("live").withHost(spare.host()).withDataDirectory(live).withPort(5434)
                        .withEmptyDataDirectoryAllowed(true))
                .load()) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("A PostgreSQL server runs from the data directory " + live + " of 'live'")
                    .hasMessageContaining("as far as pg_ctl status tells (pg_ctl: server is running (PID: ")
                    .hasMessageContaining("would be emptied for a clone under it. Nothing was changed. Stop it first:")
                    .cause().isInstanceOfSatisfying(OperationRefusedException.class, r -> assertThat(r.kind())
                            .isEqualTo(OperationRefusedException.Kind.STILL_RUNNING));
            assertThat(spare.host().list(live)).contains("PG_VERSION", "base", "global", "postmaster.pid")
                    .doesNotContain("standby.signal");
            assertThat(spare.host().execute(Command.of("pg_ctl", "status", "-D", live)).exitCode())
                    .as("still running, untouched").isZero();
        } finally {
            spare.host().execute(Command.of("pg_ctl", "-D", live, "-w", "stop", "-m", "immediate"));
        }
    }

    @Test
    void aPgHbaRuleThePrimaryRejectsIsReportedAndTheFileIsRestored() {
        ClusterNode main = machines.machine("main");
        String hbaPath = PostgresMachines.DATA_DIRECTORY + "/pg_hba.conf";
        String before = main.host().readFile(hbaPath).orElseThrow();
        // Valid for load(), but this server runs with ssl = off, so PostgreSQL refuses a hostssl rule
        // ("hostssl record cannot match because SSL is disabled"). (An ldap rule without options, used here
        // before, is now refused at load().)
        String never = "/var/lib/postgresql/never";
        try (Replication replication = Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("hostssl replication replicator samenet trust"))
                .addStandby(Standby.named("never").withHost(machines.machine("spare").host()).withDataDirectory(never))
                .load()) {
            assertThatThrownBy(replication::apply)
                    .hasMessageContaining("does not parse after adding the rules")
                    .hasMessageContaining("SSL is disabled")
                    .hasMessageContaining("The file was restored to its previous content")
                    .as("the standby only looked (its data directory) while the primary failed: nothing to tell")
                    .hasMessageNotContaining("Meanwhile on the standbys");
        }
        assertThat(machines.machine("spare").host().exists(never)).as("the standby was not cloned").isFalse();
        assertThat(main.query("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'never_slot'"))
                .as("no slot: the primary's steps stopped at pg_hba").isEqualTo("0");
        assertThat(main.host().readFile(hbaPath)).contains(before);
        assertThat(main.query("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL")).isEqualTo("0");
    }

    @Test
    void slotsAreDroppedOnRequestAndAbsentOnesReportedAsSuch() {
        ClusterNode main = machines.machine("main");
        main.query("SELECT pg_create_physical_replication_slot('retired_slot', true)");
        try (Replication replication = describe(false).load()) {
            assertThat(replication.status().slot("retired_slot")).isPresent();
            assertThat(replication.dropSlot("retired_slot")).isTrue();
            assertThat(replication.dropSlot("retired_slot")).as("second drop").isFalse();
            assertThat(replication.status().slot("retired_slot")).isEmpty();
            assertThatThrownBy(() -> replication.dropSlot("Bad-Name")).hasMessageContaining("Try 'bad_name'");
        }
    }

    @Test
    void aStandbyThatNeverStreamsFailsAfterItsTimeoutWithWhatItReportsAndItsLog() {
        ClusterNode spare = machines.machine("spare");
        // Cloned fine, but told to stream from a port where nothing listens: the clone's primary_conninfo is
        // rewritten after pg_basebackup (Standby.withParameter("primary_conninfo") is refused at load()).
        CloneMethod misdirected = new CloneMethod() {
            @Override
            public String name() {
                return "pg_basebackup, then primary_conninfo to port 1";
            }

            @Override
            public List<String> runbook(CloneContext context) {
                return BaseBackup.defaults().runbook(context);
            }

            @Override
            public void cloneInto(CloneContext context) {
                BaseBackup.defaults().cloneInto(context);
                String conf = context.dataDirectory() + "/postgresql.auto.conf";
                String text = context.host().readFile(conf).orElseThrow();
                context.host().writeFile(conf, text.replaceAll("port=\\d+", "port=1"), "0600");
            }
        };
        try (Replication replication = Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"))
                .streamingTimeout(java.time.Duration.ofSeconds(5))
                .addStandby(Standby.named("lost").withHost(spare.host()).withDataDirectory("/var/lib/postgresql/lost")
                        .withPort(5433).withCloneMethods(misdirected))
                .load()) {
            assertThatThrownBy(replication::apply)
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("Standby 'lost' is not streaming after 5 s")
                    .hasMessageContaining("WAL receiver:")
                    .hasMessageContaining("the primary does not list it in pg_stat_replication")
                    .hasMessageContaining("Last lines of /var/lib/postgresql/lost.log")
                    .cause().isInstanceOf(io.github.pgreplication.StandbyNotStreamingException.class);
        } finally {
            spare.host().execute(io.github.pgreplication.host.Command.of("pg_ctl", "-D", "/var/lib/postgresql/lost",
                    "-w", "stop", "-m", "immediate"));
        }
    }

    @Test
    void aDirectoryHoldingAnotherClusterIsNamedAsSuch() {
        ClusterNode spare = machines.machine("spare");
        String other = "/var/lib/postgresql/other";
        spare.host().run(Command.of("initdb", "-D", other, "-N", "--no-locale"));
        try (Replication replication = Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .addStandby(Standby.named("other").withHost(spare.host()).withDataDirectory(other)
                        .withAdminEndpoint(spare.endpoint(), "postgres", spare.password()))
                .load()) {
            assertThatThrownBy(replication::apply)
                    .hasMessageContaining("holds a PostgreSQL cluster that is not a standby of primary 'main'");
        }
        assertThat(spare.host().list(other)).contains("PG_VERSION", "base", "global").doesNotContain("standby.signal");
    }

    @Test
    void aStandbyOfAnotherPrimaryIsRefusedByItsSystemIdentifierAndLeftAsItIs() {
        ClusterNode spare = machines.machine("spare");
        String foreign = "/var/lib/postgresql/foreign";
        spare.host().run(Command.of("initdb", "-D", foreign, "-N", "--no-locale"));
        spare.host().writeFile(foreign + "/standby.signal", "", "0600");
        try (Replication replication = Replication.primary(primary())
                .replicationRole(ReplicationRole.named("replicator"))
                .addStandby(Standby.named("foreign").withHost(spare.host()).withDataDirectory(foreign)
                        .withAdminEndpoint(spare.endpoint(), "postgres", spare.password()))
                .load()) {
            assertThatThrownBy(replication::apply)
                    .hasMessageContaining("Step failed on foreign: clone " + foreign)
                    .hasMessageContaining("holds a PostgreSQL cluster that is not a standby of primary 'main'"
                            + " (different system identifier)")
                    .cause().isInstanceOfSatisfying(OperationRefusedException.class, r -> assertThat(r.kind())
                            .isEqualTo(OperationRefusedException.Kind.DATA_DIRECTORY_NOT_EMPTY));
        }
        assertThat(spare.host().list(foreign)).contains("PG_VERSION", "standby.signal", "base", "global");
    }
}
