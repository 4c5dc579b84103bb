package io.github.pgreplication.testkit.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Replication;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.ContributedStep;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRest;
import io.github.pgreplication.pgbackrest.PgBackRestRestore;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.SshTrust;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import io.github.pgreplication.testkit.pgbackrest.RecordingHost.Call;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed cost of a pgBackRest restore (issue 24), counted, not timed: two standbys restored from one repository
 * in one {@code apply()}, then both restored again by a second {@code apply()} (their data directories removed). Every
 * call the restore makes on a host between the clone method's start and pgBackRest's {@code restore} command is
 * recorded with its thread, so that each standby's preparation is counted apart even though they run in parallel.
 * The first time, the standbys' SSH trust is set up (keys generated and installed, host key pinned), and what the
 * repository host tells (its host key, its user's home) is read once for both; the second time each standby runs one
 * command before its restore (its set-up, its pgBackRest version and an ssh connection that prints the repository
 * host's version) and the repository host none. The times are printed, not asserted.
 */
class PgBackRestFixedCostIT {
    private static final String STANZA = "main";
    private static final String DIR = PostgresMachines.DATA_DIRECTORY;
    private static final List<String> STANDBYS = List.of("s1", "s2");

    static PostgresMachines machines;
    static ClusterNode main;
    static PgBackRest repository;
    static final List<Call> calls = new CopyOnWriteArrayList<>();
    static final Map<String, Long> cloneStart = new ConcurrentHashMap<>();
    static final Map<String, Thread> cloneThread = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "main", "s1", "s2");
        main = machines.initDatabase("main");
        main.startSshd();
        RepositoryMachine.repositoryConfig(main, "/var/lib/pgbackrest").build().writeTo(main.host());
        repository = PgBackRest.on(main.host(), STANZA).withNodeName("main");
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    /** The clone method, telling when each standby's clone starts and on which thread. */
    private record Timed(CloneMethod delegate) implements CloneMethod {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public List<String> runbook(CloneContext context) {
            return delegate.runbook(context);
        }

        @Override
        public void cloneInto(CloneContext context) {
            cloneThread.put(context.standby().name(), Thread.currentThread());
            cloneStart.put(context.standby().name(), System.nanoTime());
            delegate.cloneInto(context);
        }

        @Override
        public List<ContributedStep> contributedSteps(CloneContext context) {
            return delegate.contributedSteps(context);
        }
    }

    private static Replication describe() {
        Host access = new RecordingHost("main", main.host(), calls::add);
        Replication.Builder builder = RepositoryMachine.primaryArchivingInto(main, repository);
        for (String name : STANDBYS) {
            // one clone method each, as two standbys described apart: the repository host is what they share
            PgBackRestRestore restore = PgBackRestRestore.from(RepositoryHost.at("main").withAccess(access), STANZA)
                    .withRepositoryPreparedBy(repository);
            builder.addStandby(Standby.named(name).withHost(new RecordingHost(name, machines.machine(name).host(),
                    calls::add)).withDataDirectory(DIR).withCloneMethods(new Timed(restore)));
        }
        return builder.load();
    }

    /** What one standby's restore ran before pgBackRest's restore command, and how long that took. */
    record Before(List<Call> standby, List<Call> repository, long millis) {
        @Override
        public String toString() {
            return standby.size() + " on the standby, " + repository.size() + " on the repository host, " + millis
                    + " ms";
        }
    }

    private static Map<String, Before> measure() {
        Map<String, Before> out = new java.util.LinkedHashMap<>();
        for (String name : STANDBYS) {
            Thread t = cloneThread.get(name);
            long t0 = cloneStart.get(name);
            List<Call> mine = calls.stream().filter(c -> c.thread() == t && c.nanos() >= t0).toList();
            Call restore = mine.stream().filter(c -> !c.argv().isEmpty() && c.argv().get(0).equals("pgbackrest")
                    && c.argv().get(c.argv().size() - 1).equals("restore")).findFirst().orElseThrow();
            List<Call> before = mine.subList(0, mine.indexOf(restore));
            out.put(name, new Before(before.stream().filter(c -> c.host().equals(name)).toList(),
                    before.stream().filter(c -> c.host().equals("main")).toList(),
                    (restore.nanos() - t0) / 1_000_000));
        }
        StringBuilder trace = new StringBuilder();
        out.forEach((name, b) -> {
            trace.append(name).append(": ").append(b).append('\n');
            long t0 = cloneStart.get(name);
            for (Call c : concat(b.standby(), b.repository())) {
                trace.append(String.format("  +%5d ms %-5s %s%n", (c.nanos() - t0) / 1_000_000, c.host(),
                        c.what().length() > 110 ? c.what().substring(0, 110) + "..." : c.what()));
            }
        });
        System.out.println("before the restore:\n" + trace);
        return out;
    }

    private static List<Call> concat(List<Call> a, List<Call> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream())
                .sorted(java.util.Comparator.comparingLong(Call::nanos)).toList();
    }

    @Test
    void twoStandbysOfOneRepositoryPayItsChecksOnceAndThenOneCommandEach() {
        try (Replication replication = describe()) {
            ApplyResult result = replication.apply();
            for (String name : STANDBYS) {
                assertThat(result.cloneMethodUsed(name)).as(result.summary())
                        .contains("cloned with pgbackrest-restore");
            }
        }
        Map<String, Before> first = measure();
        for (String name : STANDBYS) {
            Host host = machines.machine(name).host();
            host.run(Command.of("pg_ctl", "-D", DIR, "-w", "stop", "-m", "fast").withTimeout(Duration.ofMinutes(1)));
            host.run(Command.of("rm", "-rf", DIR));
        }
        calls.clear();
        try (Replication replication = describe()) {
            ApplyResult result = replication.apply(); // verifies that both stream
            for (String name : STANDBYS) {
                assertThat(result.cloneMethodUsed(name)).as(result.summary())
                        .contains("cloned with pgbackrest-restore");
            }
        }
        Map<String, Before> second = measure();
        List<Call> repositorySide = first.values().stream().flatMap(b -> b.repository().stream()).toList();
        assertThat(repositorySide).as("the repository host's key read once for both standbys")
                .filteredOn(c -> c.what().equals("readFile " + SshTrust.DEFAULT_HOST_KEY_FILE)).hasSize(1);
        assertThat(repositorySide).as("its user's home looked up once for both")
                .filteredOn(c -> c.what().startsWith("getent passwd")).hasSize(1);
        assertThat(repositorySide).as("its version: printed through each standby's ssh, never asked apart")
                .noneMatch(c -> c.what().endsWith("version"));
        for (String name : STANDBYS) {
            assertThat(first.get(name).standby()).as("%s: the set-up the first time (key pair, pin, ssh)", name)
                    .hasSizeLessThanOrEqualTo(13);
        }

        for (String name : STANDBYS) {
            assertThat(second.get(name).standby()).as("%s: one command before its restore, trust in place", name)
                    .singleElement().satisfies(c -> assertThat(c.argv()).startsWith("sh", "-c"));
            assertThat(second.get(name).repository()).as("%s: nothing on the repository host", name).isEmpty();
        }
        for (String name : STANDBYS) {
            assertThat(machines.machine(name).host().run(Command.of("psql", "-X", "-A", "-t", "-d", "postgres", "-c",
                    "SELECT status FROM pg_stat_wal_receiver").withTimeout(Duration.ofSeconds(30))).stdout().strip())
                    .as(name).isEqualTo("streaming");
        }
    }
}
