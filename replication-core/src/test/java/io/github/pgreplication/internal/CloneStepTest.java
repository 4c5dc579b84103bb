package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failed clone keeps every method's typed exception: the last as the cause, earlier ones suppressed on it. */
class CloneStepTest {
    static final class RestoreFailed extends ReplicationException {
        private static final long serialVersionUID = 1L;

        RestoreFailed(String message) {
            super(message);
        }
    }

    static final class BaseBackupFailed extends ReplicationException {
        private static final long serialVersionUID = 1L;

        BaseBackupFailed(String message) {
            super(message);
        }
    }

    /** A host where every command succeeds with no output: an empty data directory. */
    private static final Host EMPTY = new Host() {
        @Override
        public String name() {
            return "s1host";
        }

        @Override
        public CommandResult execute(Command command) {
            return new CommandResult(0, "", "");
        }
    };

    private static CloneMethod failing(String name, ReplicationException e) {
        return new CloneMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> runbook(CloneContext context) {
                return List.of(name);
            }

            @Override
            public void cloneInto(CloneContext context) {
                throw e;
            }
        };
    }

    private static void apply(CloneMethod... methods) {
        Standby s = Standby.named("s1").withHost(EMPTY).withDataDirectory("/srv/s1").withCloneMethods(methods);
        Primary p = Primary.at(Endpoint.of("p.example", 5432)).withName("p");
        ReplicationRole role = ReplicationRole.named("replicator");
        ApplyContext ctx = new ApplyContext(new ReplicationConfig(p, role, PrimarySettings.empty(), List.of(),
                List.of(s), Duration.ofSeconds(1), false), null, Map.of());
        DataDirectoryStep directory = new DataDirectoryStep(s);
        CloneStep step = new CloneStep(s, new CloneContext(s, p, role, "s1_slot"), directory,
                new DataDirectoryModeStep(s, directory));
        Applier.apply(ctx, List.of(), Map.of("s1", List.of(step)));
    }

    @Test
    void whenEveryMethodFailsEachTypedExceptionIsKept() {
        RestoreFailed restore = new RestoreFailed("stanza psql has no backup\nsecond line");
        BaseBackupFailed baseBackup = new BaseBackupFailed("pg_basebackup: no pg_hba.conf entry");

        assertThatThrownBy(() -> apply(failing("pgbackrest-restore", restore), failing("pg_basebackup", baseBackup)))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Step failed on s1: clone /srv/s1 with pgbackrest-restore, else pg_basebackup")
                .hasMessageContaining("Every clone method failed for standby 's1': pgbackrest-restore failed: stanza"
                        + " psql has no backup; pg_basebackup failed: pg_basebackup: no pg_hba.conf entry")
                .hasMessageContaining("Last one, pg_basebackup: pg_basebackup: no pg_hba.conf entry")
                .satisfies(e -> {
                    assertThat(e.getCause()).as("the typed exception of the last method").isSameAs(baseBackup);
                    assertThat(e.getCause().getSuppressed()).as("the earlier method's, typed")
                            .containsExactly(restore);
                });
    }

    @Test
    void aSingleFailedMethodIsTheCauseAsItIs() {
        RestoreFailed restore = new RestoreFailed("stanza psql has no backup");

        assertThatThrownBy(() -> apply(failing("pgbackrest-restore", restore)))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Cause: stanza psql has no backup")
                .hasMessageNotContaining("Every clone method failed")
                .satisfies(e -> {
                    assertThat(e.getCause()).isSameAs(restore);
                    assertThat(e.getCause().getSuppressed()).isEmpty();
                });
    }
}
