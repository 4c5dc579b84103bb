package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Plan.PlanStep;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data directory is made 0700 before the clone when it exists and is empty (a clone keeps an existing
 * directory's mode), and after the clone only when it was absent or emptied; an existing standby is left alone.
 */
class DataDirectoryModeStepTest {
    private static final String DIR = "/srv/s1";
    private static final String SYSID = "7312345678901234567";

    private final FakeHost host = FakeHost.postgres("s1host");
    private final ScriptedJdbc sql = new ScriptedJdbc().value(Sql.SYSTEM_IDENTIFIER, SYSID);

    /** Writes a standby's files, as pg_basebackup does; creates the directory 0700 when it is absent. */
    private final CloneMethod clone = new CloneMethod() {
        @Override
        public String name() {
            return "fake-clone";
        }

        @Override
        public List<String> runbook(CloneContext context) {
            return List.of("fake-clone " + context.dataDirectory());
        }

        @Override
        public void cloneInto(CloneContext context) {
            host.execute(io.github.pgreplication.host.Command.of("fake-clone", DIR));
            if (host.dirs.add(DIR)) {
                host.modes.put(DIR, "0700");
            }
            host.file(DIR + "/PG_VERSION", "17\n").file(DIR + "/standby.signal", "");
        }
    };

    private ApplyResult apply(Standby s) {
        host.on(List.of("pg_controldata"), c -> FakeHost.ok("Database system identifier:           " + SYSID + "\n"));
        Primary p = Primary.at(Endpoint.of("p.example", 5432)).withName("p");
        ReplicationRole role = ReplicationRole.named("replicator");
        ApplyContext ctx = new ApplyContext(new ReplicationConfig(p, role, PrimarySettings.empty(), List.of(),
                List.of(s), Duration.ofSeconds(1), false), sql.db("p"), Map.of());
        DataDirectoryStep directory = new DataDirectoryStep(s);
        DataDirectoryModeStep mode = new DataDirectoryModeStep(s, directory);
        CloneStep step = new CloneStep(s, new CloneContext(s, p, role, "s1_slot"), directory, mode);
        return Applier.apply(ctx, List.of(), Map.of("s1", List.of(directory, mode, step)));
    }

    private Standby standby() {
        return Standby.named("s1").withHost(host).withDataDirectory(DIR).withCloneMethods(clone);
    }

    /** @return the commands that change or clone, in order */
    private List<String> changes() {
        return host.argvs().stream().filter(a -> List.of("chmod", "fake-clone").contains(a.get(0))
                || a.contains(DeleteContents.SCRIPT)).map(a -> a.contains(DeleteContents.SCRIPT)
                        ? "delete contents of " + a.get(a.size() - 1) : String.join(" ", a)).toList();
    }

    private static StepOutcome.Status status(ApplyResult result, String titleStart) {
        return result.outcomes().stream().filter(o -> o.title().startsWith(titleStart)).findFirst().orElseThrow()
                .status();
    }

    @Test
    void anExistingEmptyDirectoryIsMade0700BeforeTheCloneAndNotAfter() {
        host.dirs.add(DIR);
        host.modes.put(DIR, "0755");

        ApplyResult result = apply(standby());

        assertThat(changes()).as("chmod before the clone, none after").containsExactly("chmod 0700 " + DIR,
                "fake-clone " + DIR);
        assertThat(host.modes.get(DIR)).isEqualTo("0700");
        assertThat(status(result, "data directory " + DIR + ", if it exists")).isEqualTo(StepOutcome.Status.APPLIED);
    }

    @Test
    void anExistingEmptyDirectoryAlready0700IsLeftAsItIs() {
        host.dirs.add(DIR);
        host.modes.put(DIR, "0700");

        ApplyResult result = apply(standby());

        assertThat(changes()).as("no chmod at all").containsExactly("fake-clone " + DIR);
        assertThat(host.argvs()).as("one command listed the directory and saw its mode, for both steps")
                .containsOnlyOnce(DirectoryLook.command(DIR).argv())
                .noneMatch(a -> a.get(0).equals("ls") || a.equals(List.of("find", DIR, "-prune", "-perm", "0700")));
        assertThat(status(result, "data directory " + DIR + ", if it exists"))
                .isEqualTo(StepOutcome.Status.ALREADY_DONE);
    }

    @Test
    void anAbsentDirectoryIsLeftToTheCloneAndMade0700After() {
        ApplyResult result = apply(standby());

        assertThat(changes()).as("nothing before the clone; chmod after it").containsExactly("fake-clone " + DIR,
                "chmod 0700 " + DIR);
        assertThat(host.argvs().subList(0, 1)).as("one find said it is absent, for both steps")
                .containsExactly(DirectoryLook.command(DIR).argv());
        assertThat(host.argvs()).doesNotContain(List.of("test", "-e", DIR), List.of("find", DIR, "-prune", "-perm",
                "0700"), List.of("ls", "-A1", "--", DIR));
        assertThat(status(result, "data directory " + DIR + ", if it exists"))
                .isEqualTo(StepOutcome.Status.ALREADY_DONE);
    }

    @Test
    void aDirectoryEmptiedAsAllowedIsMade0700AfterTheClone() {
        host.dirs.add(DIR);
        host.modes.put(DIR, "0755");
        host.file(DIR + "/stale.txt", "x");

        apply(standby().withEmptyDataDirectoryAllowed(true));

        assertThat(changes()).as("emptied, cloned, then chmod").containsExactly("delete contents of " + DIR,
                "fake-clone " + DIR, "chmod 0700 " + DIR);
        assertThat(host.files).doesNotContainKey(DIR + "/stale.txt");
    }

    @Test
    void aReRunOnAnExistingStandbyChangesNothing() {
        host.dirs.add(DIR);
        host.modes.put(DIR, "0750");
        host.file(DIR + "/PG_VERSION", "17\n").file(DIR + "/standby.signal", "");

        ApplyResult result = apply(standby());

        assertThat(changes()).as("no chmod, no clone").isEmpty();
        assertThat(host.modes.get(DIR)).as("its mode kept").isEqualTo("0750");
        assertThat(result.outcomes()).extracting(StepOutcome::status).containsExactly(StepOutcome.Status.CHECKED,
                StepOutcome.Status.ALREADY_DONE, StepOutcome.Status.ALREADY_DONE);
    }

    @Test
    void aDirectoryThatCannotBeExaminedIsAnErrorNamingIt() {
        host.dirs.add(DIR);
        // The check's one command cannot tell (a directory it may not read): ls lists it, the mode step looks again.
        host.on(List.of("find", DIR + "/."), c -> FakeHost.fail(1, "find: '" + DIR + "/.': Permission denied"));
        host.on(List.of("find", DIR, "-prune"), c -> FakeHost.fail(1, "find: '" + DIR + "': Permission denied"));

        assertThatThrownBy(() -> apply(standby())).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step failed on s1: data directory " + DIR + ", if it exists and is empty, is"
                        + " 0700 before the clone")
                .hasMessageContaining("Permission denied")
                .hasMessageContaining("The data directory exists but cannot be examined by this host's user");
        assertThat(changes()).as("nothing changed, nothing cloned").isEmpty();
    }

    @Test
    void theStepNeedsNothingFromThePrimaryAndSaysWhatItDoes() {
        DataDirectoryModeStep step = new DataDirectoryModeStep(standby(), new DataDirectoryStep(standby()));

        assertThat(step.needsPrimary()).isFalse();
        assertThat(step.kind()).isEqualTo(PlanStep.Kind.CHANGE);
        assertThat(step.runbook()).containsExactly("chmod 0700 /srv/s1   # if it exists and is empty: pg_basebackup"
                + " keeps an existing directory's mode");
    }
}
