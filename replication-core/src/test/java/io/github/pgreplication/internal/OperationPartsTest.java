package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the operations that need no server: parsing, the rewind decision's inputs, the runner. */
class OperationPartsTest {

    @Test
    void controlDataIsReadAsPgControldataPrintsIt() {
        ControlData cd = ControlData.parse(String.join("\n",
                "pg_control version number:            1700",
                "Database system identifier:           7441234567890123456",
                "Database cluster state:               shut down",
                "Latest checkpoint location:           0/3000028",
                "Latest checkpoint's REDO location:    0/3000028",
                "Latest checkpoint's TimeLineID:       2",
                "Latest checkpoint's full_page_writes: on",
                "wal_log_hints setting:                off",
                "Data page checksum version:           0"));
        assertThat(cd.systemId()).isEqualTo("7441234567890123456");
        assertThat(cd.cleanlyShutDown()).isTrue();
        assertThat(cd.checkpoint()).isEqualTo(Lsn.parse("0/3000028"));
        assertThat(cd.redo()).isEqualTo(Lsn.parse("0/3000028"));
        assertThat(cd.timeline()).isEqualTo(2);
        assertThat(cd.fullPageWrites()).isTrue();
        assertThat(cd.walLogHints()).as("off").isFalse();
        assertThat(cd.checksums()).as("version 0 means none").isFalse();
        assertThat(ControlData.parse("Database cluster state: in production").cleanlyShutDown()).isFalse();
        assertThat(ControlData.parse("Database cluster state: shut down in recovery").cleanlyShutDown()).isTrue();
        assertThat(ControlData.parse("Data page checksum version: 1").checksums()).isTrue();
    }

    @Test
    void timelineHistoryGivesEachAncestorsSwitchpoint() {
        TimelineHistory h = TimelineHistory.parse(3, "1\t0/3000148\tno recovery target specified\n\n"
                + "# a comment\n2\t0/5000060\tno recovery target specified\n");
        assertThat(h.switchpoint(1)).contains(Lsn.parse("0/3000148"));
        assertThat(h.switchpoint(2)).contains(Lsn.parse("0/5000060"));
        assertThat(h.switchpoint(3)).as("its own timeline did not end").isEmpty();
        assertThat(h.contains(3)).isTrue();
        assertThat(h.contains(1)).isTrue();
        assertThat(h.contains(4)).as("a later timeline is no ancestor").isFalse();
        assertThat(TimelineHistory.none(1).contains(1)).isTrue();
        assertThat(TimelineHistory.none(1).contains(2)).isFalse();
    }

    @Test
    void theEndOfWalIsWherePgWaldumpFoundNoFurtherRecord() {
        assertThat(RejoinSteps.parseWalEnd("pg_waldump: error: error in WAL record at 0/4039A20: invalid record"
                + " length at 0/4039A98: expected at least 24, got 0")).isEqualTo(Lsn.parse("0/4039A98"));
        assertThat(RejoinSteps.parseWalEnd("pg_waldump: error: error in WAL record at 0/15032C8: invalid record"
                + " length at 0/1503300: wanted 24, got 0")).as("PostgreSQL 15's wording")
                .isEqualTo(Lsn.parse("0/1503300"));
        assertThat(RejoinSteps.parseWalEnd("pg_waldump: error: could not find file \"000000010000000000000009\""))
                .as("unknown: the rewind then decides").isNull();
    }

    @Test
    void aFailedRewindPutsStandbySignalBackAndNoRewindRunsUnderALiveServer() {
        String dir = "/srv/s1";
        FakeHost host = FakeHost.postgres("s1host").file(dir + "/PG_VERSION", "17\n").file(dir + "/standby.signal", "")
                .file(dir + "/postgresql.auto.conf", "")
                .on(List.of("pg_rewind"), c -> FakeHost.fail(1, "pg_rewind: error: could not connect to server"));
        io.github.pgreplication.Node node = io.github.pgreplication.Standby.named("s1").withHost(host)
                .withDataDirectory(dir).node();
        io.github.pgreplication.Primary primary = io.github.pgreplication.Primary.at(io.github.pgreplication.Endpoint
                .of("p.example", 5432)).withName("p");

        assertThatThrownBy(() -> RejoinSteps.rewind(node, dir, primary))
                .isInstanceOf(io.github.pgreplication.CommandFailedException.class);
        assertThat(host.files).as("put back: else its next start is as a primary").containsKey(dir + "/standby.signal");

        host.file(dir + "/postmaster.pid", "4242\n" + dir + "\n");
        assertThatThrownBy(() -> RejoinSteps.rewind(node, dir, primary))
                .isInstanceOfSatisfying(OperationRefusedException.class, e -> assertThat(e.kind())
                        .isEqualTo(Kind.STILL_RUNNING))
                .hasMessageContaining("would be rewound by pg_rewind under it");
        assertThat(host.argvs()).as("pg_rewind ran once, not under the live server")
                .filteredOn(a -> a.get(0).equals("pg_rewind")).hasSize(1);
        assertThat(host.files).containsKey(dir + "/standby.signal");
    }

    @Test
    void aRewindsOutcomeNamesWhereTheServersDivergedUnderOnePrefix() {
        assertThat(RejoinSteps.rewindOutcome("pg_rewind: connected to server\npg_rewind: servers diverged at WAL"
                + " location 0/3000060 on timeline 1\npg_rewind: rewinding from last common checkpoint at 0/2000060"
                + " on timeline 1\npg_rewind: Done!"))
                .isEqualTo("pg_rewind: servers diverged at WAL location 0/3000060 on timeline 1; Done!");
        assertThat(RejoinSteps.rewindOutcome("pg_rewind: source and target cluster are on the same timeline\n"
                + "pg_rewind: no rewind required"))
                .isEqualTo("pg_rewind: no rewind required");
        assertThat(RejoinSteps.rewindOutcome("")).isEqualTo("pg_rewind: ");
    }

    @Test
    void aFailedRewindSaysWhatToChange() {
        assertThat(RejoinSteps.rewindFailure("eshua", "pg_rewind: error: could not open file"
                + " \"/d/pg_wal/000000010000000000000003\": No such file or directory\n"
                + "pg_rewind: error: could not find previous WAL record at 0/3000050"))
                .contains("eshua's WAL back to the last checkpoint before the divergence", "wal_keep_size",
                        "--restore-target-wal");
        assertThat(RejoinSteps.rewindFailure("eshua", "FATAL:  no pg_hba.conf entry for host \"10.0.0.5\""))
                .contains("pg_hba.conf must admit that user from eshua's address");
    }

    @Test
    void nodeStateReadsOneRowOfTheStateQuery() {
        NodeState standby = NodeState.parse("eshub", List.of("t", "170004", "744", "2", "0/5000060", "0/5000000",
                "streaming", "eshua", "f"));
        assertThat(standby.streaming()).isTrue();
        assertThat(standby.primary()).isFalse();
        assertThat(standby.received()).isEqualTo(Lsn.parse("0/5000060"));
        assertThat(standby.toString()).isEqualTo("eshub: standby, WAL receiver streaming from eshua, timeline 2,"
                + " received 0/5000060, replayed 0/5000000");
        NodeState noReceive = NodeState.parse("eshuc", List.of("t", "170004", "744", "1", "", "0/4000000", "none",
                "", "t"));
        assertThat(noReceive.received()).as("no received position: the replayed one ranks it")
                .isEqualTo(Lsn.parse("0/4000000"));
        assertThat(noReceive.toString()).endsWith("replay paused");
        assertThat(NodeState.unreachable("eshua", "refused").toString()).isEqualTo("eshua: does not answer (refused)");
    }

    @Test
    void aRefusalBeforeAnyChangeIsThrownAsItIs() {
        List<OpStep> steps = List.of(
                OpStep.check("a", "look", List.of(), () -> "fine"),
                OpStep.check("b", "refuse", List.of(), () -> {
                    throw new OperationRefusedException(Kind.LAGGING, "b", "b lags");
                }));
        assertThatThrownBy(() -> OpRunner.run("op", steps, () -> "unused", "rerun()"))
                .isInstanceOf(OperationRefusedException.class).hasMessage("b lags");
    }

    @Test
    void aFailureAfterAChangeSaysWhatWasDoneWhereServersStandAndWhatToRun() {
        List<String> did = new ArrayList<>();
        List<OpStep> steps = List.of(
                OpStep.change("a", "stop a", List.of("pg_ctl stop"), () -> false, () -> {
                    did.add("stopped");
                    return "stopped";
                }),
                OpStep.change("b", "already", List.of(), () -> true, () -> {
                    throw new AssertionError("a step already done does not run");
                }),
                OpStep.change("c", "promote c", List.of(), () -> false, () -> {
                    throw new OperationRefusedException(Kind.CATCH_UP_TIMEOUT, "c", "c did not catch up");
                }).withNext("start c, then run it again."));
        assertThatThrownBy(() -> OpRunner.run("Switchover from a to c", steps, () -> "  a: down\n  c: down",
                "replication.switchover(\"c\")"))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("Switchover from a to c failed on c: promote c")
                .hasMessageContaining("Cause: c did not catch up")
                .hasMessageContaining("Already done: a: stop a; b: already")
                .hasMessageContaining("Where every server stands now:\n  a: down\n  c: down")
                .hasMessageContaining("Next: start c, then run it again.")
                .satisfies(e -> assertThat(((OperationRefusedException) e.getCause()).kind())
                        .isEqualTo(Kind.CATCH_UP_TIMEOUT));
        assertThat(did).containsExactly("stopped");

        List<StepOutcome> outcomes = OpRunner.run("op", List.of(
                OpStep.change("a", "x", List.of(), () -> true, () -> "never"),
                OpStep.check("a", "y", List.of(), () -> "seen")), () -> "", "rerun()");
        assertThat(outcomes).extracting(StepOutcome::status)
                .containsExactly(StepOutcome.Status.ALREADY_DONE, StepOutcome.Status.CHECKED);
        assertThat(outcomes.get(1).detail()).isEqualTo("seen");
    }

    @Test
    void withoutANextHintTheMessageSaysToRunTheSameCallAgain() {
        assertThatThrownBy(() -> OpRunner.run("Rejoin x", List.of(
                OpStep.change("x", "first", List.of(), () -> false, () -> "ok"),
                OpStep.change("x", "second", List.of(), () -> false, () -> {
                    throw new IllegalStateException("boom");
                })), () -> "  x: down", "replication.rejoin(Rejoin.node(\"x\"))"))
                .hasMessageContaining("Next: fix the cause and run replication.rejoin(Rejoin.node(\"x\")) again:"
                        + " steps already done are skipped.")
                .hasMessageContaining("Cause: boom");
    }
}
