package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What load() says of a synchronous policy: its count, its names, its commit level, and no raw twin beside it. */
class SyncPolicyValidationTest {
    private static Replication.Builder twoStandbys() {
        return Replication.primary(Primary.at(Descriptions.PRIMARY).withName("eshua"))
                .addStandby(Descriptions.standby("eshub"))
                .addStandby(Descriptions.standby("eshuc"));
    }

    @Test
    void aPolicyOverTheSetUpsStandbysLoads() {
        Descriptions.loads(twoStandbys().syncPolicy(SyncPolicy.any(1)));
        Descriptions.loads(twoStandbys().syncPolicy(SyncPolicy.any(2, "eshub", "eshuc")));
        Descriptions.loads(twoStandbys().syncPolicy(SyncPolicy.first(1, "eshuc")
                .withCommitLevel(SynchronousCommit.REMOTE_APPLY)));
        Descriptions.loads(twoStandbys().syncPolicy(SyncPolicy.none()));
        Descriptions.loads(twoStandbys().syncPolicy(SyncPolicy.any(1))
                .settings(PrimarySettings.empty().withSynchronousCommit(SynchronousCommit.ON)));
    }

    @Test
    void theCountIsBetweenOneAndTheNumberOfNames() {
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(3))).getMessage())
                .contains("sync policy SyncPolicy.any(3) count 3", "between 1 and the number of standbys it names"
                        + " (2: every standby of the set-up)", "Use SyncPolicy.any(2), or add standbys");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.first(0, "eshub"))).getMessage())
                .contains("count 0", "0 would be asynchronous", "Use SyncPolicy.first(1, ...)");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.first(2, "eshub"))).getMessage())
                .contains("between 1 and the number of standbys it names (1)");
        assertThat(Descriptions.rejected(Replication.primary(Primary.at(Descriptions.PRIMARY))
                .syncPolicy(SyncPolicy.any(1))).getMessage())
                .as("no standby at all").contains("(0: every standby of the set-up)", "Add a standby, or use"
                        + " SyncPolicy.none()");
    }

    @Test
    void namesAreStandbysOfTheSetUpEachOnce() {
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1, "eshub", "eshud")))
                .getMessage()).contains("name 'eshud'", "a policy names standbys of the set-up",
                        "[eshub, eshuc], or none for every standby: SyncPolicy.any(1)");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.first(1, "eshua"))).getMessage())
                .contains("name 'eshua'", "the primary cannot confirm its own commits");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1, "eshub", "eshub")))
                .getMessage()).contains("each standby is listed once", "Remove the second 'eshub'");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1, "esh\nub"))).getMessage())
                .as("a name with a line break is shown escaped").contains("name 'esh\\nub'");
    }

    @Test
    void theCommitLevelWaitsForAStandby() {
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1)
                .withCommitLevel(SynchronousCommit.LOCAL))).getMessage())
                .contains("commit level LOCAL", "off and local wait for no standby",
                        ".withCommitLevel(SynchronousCommit.ON)");
        assertThatThrownBy(() -> SyncPolicy.none().withCommitLevel(SynchronousCommit.ON))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no commit level");
    }

    @Test
    void aRawListOrCommitLevelBesideAPolicyIsRefusedWithTheFix() {
        String m = Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1))
                .settings(PrimarySettings.empty().withSynchronousStandbyNames("FIRST 1 (eshub)"))).getMessage();
        assertThat(m).contains("synchronous_standby_names = 'FIRST 1 (eshub)' beside sync policy SyncPolicy.any(1)",
                "the policy writes synchronous_standby_names itself",
                "Remove withSynchronousStandbyNames(...) from the settings");
        assertThat(Descriptions.rejected(twoStandbys().syncPolicy(SyncPolicy.any(1))
                .settings(PrimarySettings.empty().withSynchronousCommit(SynchronousCommit.REMOTE_APPLY)))
                .getMessage()).contains("synchronous_commit = 'remote_apply' beside sync policy",
                        ".withCommitLevel(SynchronousCommit.REMOTE_APPLY)");
    }

    @Test
    void aPolicyReadsAsCodeAndAsWords() {
        assertThat(SyncPolicy.any(1, "eshub", "eshuc").toCode()).isEqualTo("SyncPolicy.any(1, \"eshub\", \"eshuc\")");
        assertThat(SyncPolicy.first(2).withCommitLevel(SynchronousCommit.REMOTE_WRITE).toCode())
                .isEqualTo("SyncPolicy.first(2).withCommitLevel(SynchronousCommit.REMOTE_WRITE)");
        assertThat(SyncPolicy.none().toCode()).isEqualTo("SyncPolicy.none()");
        assertThat(SyncPolicy.first(1).toString()).isEqualTo("FIRST 1 (every standby), synchronous_commit on");
        assertThat(SyncPolicy.none().synchronous()).isFalse();
        assertThatThrownBy(() -> new SyncPolicy(SyncPolicy.Method.NONE, 1, java.util.List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Use SyncPolicy.none()");
        assertThatThrownBy(() -> SyncPolicy.any(1, (String) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("a standby name must not be null");
    }
}
