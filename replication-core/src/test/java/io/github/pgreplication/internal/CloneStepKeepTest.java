package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A clone method that re-syncs in place ({@link CloneMethod#keepsDataDirectory()}) gets the existing data directory
 * as it is, only with the user's permission and only when it holds PostgreSQL; every other case is emptied as before.
 */
class CloneStepKeepTest {
    private static final String DIR = "/srv/s1";
    private static final Primary PRIMARY = Primary.at(Endpoint.of("p.example", 5432)).withName("p");
    private static final ReplicationRole ROLE = ReplicationRole.named("replicator");

    /** A clone method that records what the directory held when it ran, and fails when told to. */
    private static final class Recording implements CloneMethod {
        final String name;
        final boolean keeps;
        final ReplicationException failure;
        final List<List<String>> seen = new ArrayList<>();
        FakeHost host;

        Recording(String name, boolean keeps, ReplicationException failure) {
            this.name = name;
            this.keeps = keeps;
            this.failure = failure;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> runbook(CloneContext context) {
            return List.of(name + " into " + context.dataDirectory());
        }

        @Override
        public boolean keepsDataDirectory() {
            return keeps;
        }

        @Override
        public void cloneInto(CloneContext context) {
            seen.add(context.host().list(context.dataDirectory()));
            host.file(DIR + "/written-by-" + name, "");
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static FakeHost staleStandby() {
        FakeHost host = FakeHost.postgres("s1host");
        host.dirs.add(DIR);
        host.file(DIR + "/PG_VERSION", "17\n").file(DIR + "/base/5/16384", "rows").file(DIR + "/marker", "kept");
        return host;
    }

    private static String run(FakeHost host, boolean allowed, Recording... methods) {
        for (Recording m : methods) {
            m.host = host;
        }
        Standby s = Standby.named("s1").withHost(host).withDataDirectory(DIR).withCloneMethods(methods)
                .withEmptyDataDirectoryAllowed(allowed);
        ApplyContext ctx = new ApplyContext(new ReplicationConfig(PRIMARY, ROLE, PrimarySettings.empty(), List.of(),
                List.of(s), Duration.ofSeconds(1), false), null, Map.of());
        DataDirectoryStep directory = new DataDirectoryStep(s);
        CloneStep clone = new CloneStep(s, new CloneContext(s, PRIMARY, ROLE, "s1_slot"), directory,
                new DataDirectoryModeStep(s, directory));
        directory.run(ctx);
        assertThat(clone.isDone(ctx)).as("not a standby: no standby.signal").isFalse();
        return clone.run(ctx);
    }

    private static boolean emptied(FakeHost host) {
        return host.argvs().stream().anyMatch(a -> a.size() > 2 && a.get(2).equals(DeleteContents.SCRIPT));
    }

    @Test
    void withPermissionAMethodThatReSyncsInPlaceGetsTheDirectoryAsItIs() {
        FakeHost host = staleStandby();
        Recording delta = new Recording("delta", true, null);

        String detail = run(host, true, delta);

        assertThat(delta.seen).as("what the method found").containsExactly(List.of("PG_VERSION", "base", "marker"));
        assertThat(emptied(host)).as("no emptying command").isFalse();
        assertThat(host.files).containsKey(DIR + "/marker");
        assertThat(detail).isEqualTo("re-synced in place with delta");
        assertThat(new DataDirectoryStep(Standby.named("s1").withDataDirectory(DIR).withCloneMethods(delta)
                .withEmptyDataDirectoryAllowed(true)).title()).isEqualTo("data directory " + DIR + " is absent, empty"
                + " or already a standby (overwriting allowed: delta re-syncs a data directory in place)");
    }

    @Test
    void aDirectoryARunningServerUsesIsNeitherEmptiedNorReSyncedEvenWithPermission() {
        for (boolean keeps : new boolean[] {true, false}) {
            FakeHost host = staleStandby().file(DIR + "/postmaster.pid", "4242\n" + DIR + "\n");
            Recording method = new Recording(keeps ? "delta" : "pg_basebackup", keeps, null);

            assertThatThrownBy(() -> run(host, true, method))
                    .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                            .isEqualTo(OperationRefusedException.Kind.STILL_RUNNING))
                    .hasMessageContaining("A PostgreSQL server runs from the data directory /srv/s1 of 's1' on s1host,"
                            + " as far as pg_ctl status tells (pg_ctl: server is running (PID: 4242))")
                    .hasMessageContaining(keeps ? "would be re-synced in place by delta under it"
                            : "would be emptied for a clone under it")
                    .hasMessageContaining("Nothing was changed. Stop it first: pg_ctl -D /srv/s1 -w -t 120 -l"
                            + " /srv/s1.log stop -m fast; then run the same call again")
                    .hasMessageContaining("remove /srv/s1/postmaster.pid yourself");
            assertThat(method.seen).as("the method never ran").isEmpty();
            assertThat(emptied(host)).isFalse();
            assertThat(host.files).containsOnlyKeys(DIR + "/PG_VERSION", DIR + "/base/5/16384", DIR + "/marker",
                    DIR + "/postmaster.pid");
        }
    }

    @Test
    void aPostmasterPidThatNamesNoLiveServerDoesNotStopTheClone() {
        FakeHost host = staleStandby().file(DIR + "/postmaster.pid", "4242\n")
                .on(List.of("pg_ctl", "status"), c -> new io.github.pgreplication.host.CommandResult(3,
                        "pg_ctl: no server running\n", ""));
        Recording full = new Recording("pg_basebackup", false, null);

        assertThat(run(host, true, full)).isEqualTo("cloned with pg_basebackup");
        assertThat(emptied(host)).isTrue();
    }

    @Test
    void whenPgCtlCannotTellTheDirectoryIsTreatedAsInUse() {
        FakeHost host = staleStandby().file(DIR + "/postmaster.pid", "4242\n")
                .on(List.of("pg_ctl", "status"), c -> FakeHost.fail(127, "sh: pg_ctl: not found"));
        Recording full = new Recording("pg_basebackup", false, null);

        assertThatThrownBy(() -> run(host, true, full)).isInstanceOf(OperationRefusedException.class)
                .hasMessageContaining("(pg_ctl status could not tell, exit 127: sh: pg_ctl: not found)");
        assertThat(emptied(host)).isFalse();
    }

    @Test
    void withoutPermissionTheDirectoryIsRefusedUntouchedNamingTheReSync() {
        FakeHost host = staleStandby();
        Recording delta = new Recording("delta", true, null);

        assertThatThrownBy(() -> run(host, false, delta))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(OperationRefusedException.Kind.DATA_DIRECTORY_NOT_EMPTY))
                .hasMessage("Data directory /srv/s1 of standby 's1' on s1host is not empty (3 entries: PG_VERSION,"
                        + " base, marker) and holds a PostgreSQL cluster that is not a standby of primary 'p' (no"
                        + " standby.signal). delta would re-sync it in place (it keeps the files that match and"
                        + " overwrites the others), which needs your permission to overwrite the directory; nothing"
                        + " in it was changed. Allow it:"
                        + " Standby.named(\"s1\")....withEmptyDataDirectoryAllowed(true).");
        assertThat(delta.seen).as("the method never ran").isEmpty();
        assertThat(emptied(host)).isFalse();
        assertThat(host.files).containsOnlyKeys(DIR + "/PG_VERSION", DIR + "/base/5/16384", DIR + "/marker");
    }

    @Test
    void aDirectoryThatHoldsNoPostgresIsEmptiedEvenForAMethodThatReSyncsInPlace() {
        FakeHost host = FakeHost.postgres("s1host");
        host.dirs.add(DIR);
        host.file(DIR + "/notes.txt", "not a cluster");
        Recording delta = new Recording("delta", true, null);

        assertThat(run(host, true, delta)).isEqualTo("cloned with delta");

        assertThat(delta.seen).as("pgBackRest's delta refuses a directory without PG_VERSION").containsExactly(
                List.of());
        assertThat(emptied(host)).isTrue();
    }

    @Test
    void aMethodThatDoesNotReSyncInPlaceGetsItEmptiedAsBefore() {
        FakeHost host = staleStandby();
        Recording full = new Recording("full", false, null);

        assertThat(run(host, true, full)).isEqualTo("cloned with full");

        assertThat(full.seen).containsExactly(List.of());
        assertThat(host.files).doesNotContainKey(DIR + "/marker");
    }

    @Test
    void aFailedReSyncIsEmptiedBeforeAFullCloneAndLeftWhenNothingFollows() {
        FakeHost host = staleStandby();
        Recording delta = new Recording("delta", true, new ReplicationException("link cut"));
        Recording full = new Recording("full", false, null);

        assertThat(run(host, true, delta, full)).isEqualTo("cloned with full after delta failed: link cut");
        assertThat(full.seen).as("emptied for the full clone").containsExactly(List.of());

        FakeHost again = staleStandby();
        Recording alone = new Recording("delta", true, new ReplicationException("link cut"));
        assertThatThrownBy(() -> run(again, true, alone)).hasMessage("link cut");
        assertThat(again.files).as("left for the next apply() to resume in place")
                .containsKeys(DIR + "/marker", DIR + "/written-by-delta");
        assertThat(emptied(again)).isFalse();
    }
}
