package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.InvalidReplicationConfigException;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StandbyJoin;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.host.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standby-side join: only the standby's steps, a replication connection, the primary's refusals with fixes. */
class StandbyJoinTest {
    private static final Endpoint PRIMARY = Endpoint.of("postgres_master", 5432);
    private static final ReplicationRole ROLE = ReplicationRole.named("replicator")
            .withPassword(Secret.of("s3cr3t-pw"));
    private static final String SYSID = "7312345678901234567";
    private static final String NO_HBA = "psql: error: connection to server at \"postgres_master\" (172.18.0.2), port"
            + " 5432 failed: FATAL:  no pg_hba.conf entry for replication connection from host \"172.18.0.5\", user"
            + " \"replicator\", no encryption\n";

    private final FakeHost host = FakeHost.postgres("slave-host");

    private StandbyJoin join(Standby standby) {
        return Replication.standbyOf(PRIMARY, ROLE).addStandby(standby).startStandbys(false).load();
    }

    private Standby standby() {
        return Standby.named("slave").withHost(host).withDataDirectory("/srv/data");
    }

    /**
     * The primary answers IDENTIFY_SYSTEM; pg_basebackup writes a standby's files, and with -R appends what
     * PostgreSQL's recovery_gen.c does (primary_conninfo from the connection options, primary_slot_name from -S);
     * pg_controldata reads them.
     */
    private void primaryAnswers() {
        host.onContaining("IDENTIFY_SYSTEM", c -> FakeHost.ok(SYSID + "|1|0/3000060|\n"));
        host.on(List.of("pg_basebackup"), c -> {
            List<String> a = c.argv();
            host.file("/srv/data/PG_VERSION", "17\n");
            host.file("/srv/data/standby.signal", "");
            if (a.contains("-R")) {
                String conninfo = "user=" + a.get(a.indexOf("-U") + 1) + " host=" + a.get(a.indexOf("-h") + 1)
                        + " port=" + a.get(a.indexOf("-p") + 1) + " " + a.get(a.indexOf("-d") + 1);
                host.file("/srv/data/postgresql.auto.conf", "primary_conninfo = '" + conninfo.replace("'", "''")
                        + "'\n" + (a.contains("-S") ? "primary_slot_name = '" + a.get(a.indexOf("-S") + 1) + "'\n"
                                : ""));
            }
            return FakeHost.ok("");
        });
        host.on(List.of("pg_controldata"), c -> FakeHost.ok("Database system identifier:           " + SYSID + "\n"));
    }

    private static List<String> argvOf(FakeHost h, String program) {
        return h.programs().stream().filter(a -> a.get(0).equals(program)).findFirst().orElseThrow();
    }

    @Test
    void thePlanRunsNothingOnThePrimaryAndKeepsThePasswordOut() {
        try (StandbyJoin join = join(standby().withSlot("slave_slot"))) {
            String runbook = join.plan().toRunbook();
            assertThat(join.plan().steps()).as("every step is the standby's").allMatch(s -> s.node().equals("slave"));
            assertThat(runbook).contains("IDENTIFY_SYSTEM").contains("CREATE_REPLICATION_SLOT \"slave_slot\" PHYSICAL")
                    .contains("-S slave_slot").contains("replication=true").contains("passfile=")
                    .contains("nothing runs on the primary").doesNotContain("s3cr3t-pw")
                    .doesNotContain("pg_stat_replication").doesNotContain("ALTER SYSTEM");
        }
    }

    @Test
    void withoutASlotPgBasebackupGetsNoSlotAndAutoConfNamesNone() {
        primaryAnswers();
        try (StandbyJoin join = join(standby())) {
            ApplyResult result = join.apply();
            assertThat(result.summary()).contains("cloned with pg_basebackup");
            List<String> basebackup = argvOf(host, "pg_basebackup");
            assertThat(basebackup).doesNotContain("-S", "-C").contains("-U", "replicator", "-R", "-w");
            assertThat(host.files.get("/srv/data/postgresql.auto.conf")).contains("primary_conninfo")
                    .contains("application_name=slave").doesNotContain("primary_slot_name");
            assertThat(host.programs()).as("no slot command").noneMatch(a -> String.join(" ", a).contains("SLOT"));
            assertThat(host.commands).as("the password is in no argument").allMatch(c -> c.argv().stream()
                    .noneMatch(arg -> arg.contains("s3cr3t-pw")));
            assertThat(host.files.get("/srv/.pgpass-slave")).isEqualTo("postgres_master:5432:*:replicator:s3cr3t-pw\n");
        }
    }

    @Test
    void anAskedSlotIsCreatedByTheRoleThenUsedByPgBasebackup() {
        primaryAnswers();
        host.onContaining("READ_REPLICATION_SLOT \"slave_slot\"", c -> FakeHost.ok("||\n")); // absent (PG 15+)
        host.onContaining("CREATE_REPLICATION_SLOT \"slave_slot\" PHYSICAL RESERVE_WAL",
                c -> FakeHost.ok("slave_slot|||\n"));
        try (StandbyJoin join = join(standby().withSlot("slave_slot"))) {
            ApplyResult result = join.apply();
            assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("physical slot"))
                    .singleElement().satisfies(o -> {
                        assertThat(o.status()).isEqualTo(StepOutcome.Status.APPLIED);
                        assertThat(o.detail()).isEqualTo("created");
                    });
            assertThat(argvOf(host, "pg_basebackup")).contains("-S", "slave_slot").doesNotContain("-C");
            assertThat(host.files.get("/srv/data/postgresql.auto.conf")).contains("primary_slot_name = 'slave_slot'");
        }
    }

    @Test
    void anExistingSlotIsUsedNotRecreated() {
        primaryAnswers();
        host.onContaining("READ_REPLICATION_SLOT \"slave_slot\"", c -> FakeHost.ok("physical|0/3000000|1\n"));
        try (StandbyJoin join = join(standby().withSlot("slave_slot"))) {
            ApplyResult result = join.apply();
            assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("physical slot"))
                    .singleElement().satisfies(o -> assertThat(o.status())
                            .isEqualTo(StepOutcome.Status.ALREADY_DONE));
            assertThat(host.programs()).noneMatch(a -> String.join(" ", a).contains("CREATE_REPLICATION_SLOT"));
        }
    }

    @Test
    void beforePostgres15AnExistingSlotIsToldByTheCreationsAlreadyExists() {
        primaryAnswers();
        host.onContaining("READ_REPLICATION_SLOT \"slave_slot\"",
                c -> FakeHost.fail(1, "ERROR:  syntax error at or near \"READ_REPLICATION_SLOT\""));
        host.onContaining("CREATE_REPLICATION_SLOT \"slave_slot\" PHYSICAL RESERVE_WAL",
                c -> FakeHost.fail(1, "ERROR:  replication slot \"slave_slot\" already exists"));
        try (StandbyJoin join = join(standby().withSlot("slave_slot"))) {
            assertThat(join.apply().outcomes()).filteredOn(o -> o.title().startsWith("physical slot"))
                    .singleElement().satisfies(o -> assertThat(o.detail()).isEqualTo("exists already: used as it is"));
        }
    }

    @Test
    void noPgHbaRuleIsSaidAsThePrimarysToFixWithTheLineToAdd() {
        host.onContaining("IDENTIFY_SYSTEM", c -> FakeHost.fail(2, NO_HBA));
        try (StandbyJoin join = join(standby())) {
            assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("replication connection to postgres_master:5432 as replicator")
                    .hasMessageContaining("To fix on the primary: pg_hba.conf has no replication rule for this"
                            + " standby's address (172.18.0.5)")
                    .hasMessageContaining("host replication replicator 172.18.0.5/32 scram-sha-256")
                    .satisfies(e -> {
                        ConnectionFailedException a = (ConnectionFailedException) e.getCause();
                        assertThat(a.reason()).contains(ConnectionFailedException.Reason.NO_HBA_ENTRY);
                        assertThat(a.reason().orElseThrow().fixedOnPrimary()).isTrue();
                        assertThat(a.primaryFix()).contains("host replication replicator 172.18.0.5/32 scram-sha-256");
                    });
            assertThat(host.programs()).as("nothing cloned").noneMatch(a -> a.get(0).equals("pg_basebackup"));
        }
    }

    @Test
    void pgBasebackupsRefusalIsTypedToo() {
        primaryAnswers();
        host.on(List.of("pg_basebackup"), c -> FakeHost.fail(1, "pg_basebackup: error: could not connect to server:"
                + " FATAL:  number of requested standby connections exceeds \"max_wal_senders\" (currently 2)"));
        try (StandbyJoin join = join(standby())) {
            assertThatThrownBy(join::apply).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("every WAL sender is in use (max_wal_senders = 2)")
                    .hasMessageContaining("ALTER SYSTEM SET max_wal_senders = 10;")
                    .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                            .contains(ConnectionFailedException.Reason.WAL_SENDERS_EXHAUSTED));
        }
    }

    @Test
    void aLaterStartKeepsTheStandbyEvenWhenThePrimaryDoesNotAnswer() {
        host.file("/srv/data/PG_VERSION", "17\n").file("/srv/data/standby.signal", "");
        host.onContaining("IDENTIFY_SYSTEM", c -> FakeHost.fail(2, "psql: error: connection to server at"
                + " \"postgres_master\" (172.18.0.2), port 5432 failed: Connection refused"));
        try (StandbyJoin join = join(standby().withSlot("slave_slot"))) {
            ApplyResult result = join.apply();
            assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("replication connection"))
                    .singleElement().satisfies(o -> assertThat(o.detail())
                            .contains("the standby already in /srv/data is kept and recovers from the archive")
                            .contains("port 5432 failed: Connection refused"));
            assertThat(result.outcomes()).filteredOn(o -> o.title().startsWith("clone")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(StepOutcome.Status.ALREADY_DONE));
            assertThat(host.programs()).noneMatch(a -> a.get(0).equals("pg_basebackup"));
        }
    }

    @Test
    void aLaterStartWithThePrimaryUpComparesTheSystemIdentifierAndClonesNothing() {
        primaryAnswers();
        host.file("/srv/data/PG_VERSION", "17\n").file("/srv/data/standby.signal", "");
        try (StandbyJoin join = join(standby())) {
            assertThat(join.apply().outcomes()).filteredOn(o -> o.title().startsWith("clone")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(StepOutcome.Status.ALREADY_DONE));
            assertThat(host.programs()).noneMatch(a -> a.get(0).equals("pg_basebackup"));
        }
    }

    @Test
    void onlyTheCloneMethodsStandbyStepsAreRunNotThoseForThePrimaryOrTheRepository() {
        primaryAnswers();
        java.util.List<String> ran = new java.util.ArrayList<>();
        io.github.pgreplication.clone.CloneMethod method = new io.github.pgreplication.clone.CloneMethod() {
            @Override
            public String name() {
                return "pg_basebackup";
            }

            @Override
            public List<String> runbook(io.github.pgreplication.clone.CloneContext context) {
                return io.github.pgreplication.clone.BaseBackup.defaults().runbook(context);
            }

            @Override
            public void cloneInto(io.github.pgreplication.clone.CloneContext context) {
                io.github.pgreplication.clone.BaseBackup.defaults().cloneInto(context);
            }

            @Override
            public List<io.github.pgreplication.clone.ContributedStep> contributedSteps(
                    io.github.pgreplication.clone.CloneContext context) {
                return List.of(step(io.github.pgreplication.clone.ContributedStep.Phase.AFTER_PRIMARY, "repo",
                        "stanza-create on the repository", ran),
                        step(io.github.pgreplication.clone.ContributedStep.Phase.STANDBY, "slave",
                                "standby-side preparation", ran));
            }
        };
        try (StandbyJoin join = join(standby().withCloneMethods(method))) {
            assertThat(join.plan().toRunbook()).contains("standby-side preparation")
                    .doesNotContain("stanza-create on the repository");
            join.apply();
            assertThat(ran).containsExactly("standby-side preparation");
        }
    }

    private static io.github.pgreplication.clone.ContributedStep step(
            io.github.pgreplication.clone.ContributedStep.Phase phase, String node, String title, List<String> ran) {
        return new io.github.pgreplication.clone.ContributedStep(phase, node, title, List.of("# " + title)) {
            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public String run() {
                ran.add(title);
                return "done";
            }
        };
    }

    @Test
    void aJoinNeedsAStandbyAndNonNullInputs() {
        assertThatThrownBy(() -> Replication.standbyOf(PRIMARY, ROLE).load())
                .isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("a join needs at least one standby");
        assertThatThrownBy(() -> Replication.standbyOf(null, ROLE)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("primary endpoint must not be null");
        assertThatThrownBy(() -> Replication.standbyOf(PRIMARY, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("replication role must not be null");
        assertThatThrownBy(() -> Replication.standbyOf(PRIMARY, ROLE).addStandby((Standby) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("standby must not be null");
        assertThatThrownBy(() -> Replication.standbyOf(Endpoint.of("db example", 5432), ROLE).addStandby(standby())
                .load()).isInstanceOf(InvalidReplicationConfigException.class)
                .hasMessageContaining("a host is a name or an IP address");
    }

    @Test
    void replicationConnectionCarriesNoPassword() {
        Command c = new ReplicationConnection(JoinPlanner.context(new ReplicationConfig(
                io.github.pgreplication.Primary.at(PRIMARY), ROLE, io.github.pgreplication.PrimarySettings.empty(),
                List.of(), List.of(standby()), java.time.Duration.ofSeconds(1), false), standby()))
                .command("IDENTIFY_SYSTEM");
        assertThat(String.join(" ", c.argv())).contains("host=postgres_master port=5432 user=replicator"
                + " dbname=replication replication=true application_name=slave connect_timeout=10"
                + " passfile=/srv/.pgpass-slave").doesNotContain("s3cr3t-pw");
    }
}
