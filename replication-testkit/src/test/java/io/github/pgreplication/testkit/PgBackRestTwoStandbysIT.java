package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.pgbackrest.PgBackRest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two standbys restored from one pgBackRest repository: the repository's stanza-create, check and first backup is
 * one step of its own on the repository host, planned and run once for both, before either restore.
 */
class PgBackRestTwoStandbysIT {
    private static final String REPOSITORY_STEP = "pgBackRest stanza main: created, archiving checked, a full backup"
            + " in the repository";
    static ReplicationCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ReplicationCluster.builder().withPgBackRest().standbys(2).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRepositoryIsPreparedOnceAsItsOwnStepAndBothStandbysAreRestoredFromItsOneBackup() {
        ApplyResult setup = cluster.setupResult();
        List<StepOutcome> repository = setup.outcomes().stream().filter(o -> o.title().equals(REPOSITORY_STEP))
                .toList();
        assertThat(repository).as(setup.summary()).singleElement().satisfies(o -> {
            assertThat(o.node()).isEqualTo("primary");
            assertThat(o.status()).isEqualTo(StepOutcome.Status.APPLIED);
            assertThat(o.detail()).contains("stanza created", "archiving checked", "full backup", "taken");
        });
        int repositoryAt = setup.outcomes().indexOf(repository.get(0));
        for (String standby : List.of("standby1", "standby2")) {
            assertThat(setup.cloneMethodUsed(standby)).as(setup.summary()).contains("cloned with pgbackrest-restore");
            assertThat(setup.outcomes()).as("%s's steps come after the repository's", standby)
                    .filteredOn(o -> o.node().equals(standby) && o.title().startsWith("clone "))
                    .singleElement().satisfies(o -> assertThat(setup.outcomes().indexOf(o))
                            .isGreaterThan(repositoryAt));
        }
        assertThat(cluster.replication().plan().toRunbook()).as("planned once, in the phase before the clones")
                .containsOnlyOnce(REPOSITORY_STEP)
                .containsSubsequence("Phase 2 of 3: once the primary is prepared, before the clones", "On primary:",
                        REPOSITORY_STEP, "pgbackrest --stanza=main check", "Phase 3 of 3", "On standby1:");

        PgBackRest pgBackRest = cluster.pgBackRest().orElseThrow();
        assertThat(pgBackRest.info().backups()).as("pgbackrest info: one backup for both standbys").hasSize(1);
        assertThat(cluster.primary().host().run(pgBackRest.command("info", List.of())).stdout())
                .as("pgbackrest info, as a person reads it").containsOnlyOnce("full backup:");
        for (ClusterNode standby : cluster.standbys()) {
            assertThat(standby.query("SELECT pg_is_in_recovery(), status FROM pg_stat_wal_receiver"))
                    .isEqualTo("t|streaming");
        }
    }

    @Test
    void aSecondApplyFindsTheRepositoryReadyAndChangesNothing() {
        ApplyResult again = cluster.replication().apply();

        assertThat(again.outcomes()).as(again.summary()).filteredOn(o -> o.title().equals(REPOSITORY_STEP))
                .singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(StepOutcome.Status.ALREADY_DONE));
        assertThat(again.changed()).as(again.summary()).isFalse();
        assertThat(cluster.pgBackRest().orElseThrow().info().backups()).as("still one backup").hasSize(1);
    }
}
