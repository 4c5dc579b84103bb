package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.Lsn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where a node promoted on its own parts from the primary's history: the latest shared timeline and the divergence
 * point, computed from the two history files as pg_rewind does, and what the rejoin says about it.
 */
class TimelineDivergenceTest {
    private static final String RESTORE = "\tno recovery target specified\n";

    private static TimelineHistory history(long timeline, String... lines) {
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            text.append(l).append(RESTORE);
        }
        return TimelineHistory.parse(timeline, text.toString());
    }

    @Test
    void aNodePromotedOffThePrimarysTimelineDivergesWhereItBranchedOff() {
        TimelineHistory primary = history(2, "1\t0/3000148");
        TimelineHistory node = history(3, "1\t0/3000148", "2\t0/5000060");
        assertThat(primary.contains(3)).as("the case decide() did not rewind before: no ancestor").isFalse();

        TimelineHistory.Divergence d = node.divergence(primary).orElseThrow();
        assertThat(d.timeline()).as("the latest shared timeline").isEqualTo(2);
        assertThat(d.left()).as("where the node left it").contains(Lsn.parse("0/5000060"));
        assertThat(d.otherLeft()).as("the primary is still on it").isEmpty();
        assertThat(d.at()).as("only the node's switch point counts").contains(Lsn.parse("0/5000060"));
        assertThat(RejoinSteps.promotedOnItsOwn(node, primary, d)).isEqualTo("promoted on its own: timeline 3"
                + " branched off timeline 2 at 0/5000060, the primary's timeline 2 continues");
    }

    @Test
    void aNodePromotedWhileThePrimaryIsStillOnTimelineOne() {
        TimelineHistory primary = TimelineHistory.none(1);
        TimelineHistory node = history(2, "1\t0/3000060");
        TimelineHistory.Divergence d = node.divergence(primary).orElseThrow();
        assertThat(d.timeline()).isEqualTo(1);
        assertThat(d.at()).contains(Lsn.parse("0/3000060"));
        assertThat(RejoinSteps.promotedOnItsOwn(node, primary, d)).isEqualTo("promoted on its own: timeline 2"
                + " branched off timeline 1 at 0/3000060, the primary's timeline 1 continues");
    }

    @Test
    void whenThePrimaryAlsoLeftTheSharedTimelineTheEarlierSwitchPointCounts() {
        // The primary was promoted at 0/4000000, before the node branched off at 0/5000060: the node's WAL on timeline
        // 2 past 0/4000000 is not the primary's any more.
        TimelineHistory node = history(3, "1\t0/3000148", "2\t0/5000060");
        TimelineHistory primary = history(4, "1\t0/3000148", "2\t0/4000000");
        TimelineHistory.Divergence d = node.divergence(primary).orElseThrow();
        assertThat(d.timeline()).isEqualTo(2);
        assertThat(d.left()).contains(Lsn.parse("0/5000060"));
        assertThat(d.otherLeft()).contains(Lsn.parse("0/4000000"));
        assertThat(d.at()).as("the earlier of the two").contains(Lsn.parse("0/4000000"));
        assertThat(RejoinSteps.promotedOnItsOwn(node, primary, d)).isEqualTo("promoted on its own: timeline 3"
                + " branched off timeline 2 at 0/5000060, the primary left timeline 2 at 0/4000000 for timeline 4:"
                + " they diverged at 0/4000000");
        assertThat(primary.divergence(node).orElseThrow().at()).as("the same point seen from the other side")
                .contains(Lsn.parse("0/4000000"));

        TimelineHistory later = history(5, "1\t0/3000148", "2\t0/3800000", "3\t0/7000000");
        TimelineHistory.Divergence first = later.divergence(primary).orElseThrow();
        assertThat(first.at()).as("the node left first").contains(Lsn.parse("0/3800000"));
        assertThat(RejoinSteps.promotedOnItsOwn(later, primary, first)).startsWith("promoted on its own: timeline 3"
                + " branched off timeline 2 at 0/3800000 (it is on timeline 5 now), the primary left timeline 2");
    }

    @Test
    void timelinesOfOneNumberBegunAtDifferentPointsAreNotShared() {
        // Both promoted apart onto a timeline 3: the same number, begun at different positions.
        TimelineHistory node = history(4, "1\t0/3000148", "2\t0/5000060", "3\t0/6000000");
        TimelineHistory primary = history(5, "1\t0/3000148", "2\t0/4000000", "3\t0/8000000");
        TimelineHistory.Divergence d = node.divergence(primary).orElseThrow();
        assertThat(d.timeline()).as("timeline 3 began at 0/5000060 on one, 0/4000000 on the other").isEqualTo(2);
        assertThat(d.at()).contains(Lsn.parse("0/4000000"));

        // A standby promoted by mistake onto timeline 2, then a failover that promoted another onto timeline 2 too.
        TimelineHistory mistake = history(2, "1\t0/3000060");
        TimelineHistory failover = history(2, "1\t0/3400000");
        assertThat(mistake.divergence(failover).flatMap(TimelineHistory.Divergence::at)).as("only timeline 1 shared")
                .contains(Lsn.parse("0/3000060"));
        assertThat(RejoinSteps.sameNumber("standby2", "/d", mistake, failover)).isEqualTo("standby2 is on timeline 2"
                + " like the primary, but not on the same one: its own history (/d/pg_wal/00000002.history: 1 to"
                + " 0/3000060, 2) and the primary's (1 to 0/3400000, 2) part at 0/3000060: both were promoted apart"
                + " (split brain). pg_rewind compares timeline numbers only and would find nothing to do.");
        assertThat(mistake.divergence(history(2, "1\t0/3000060")).flatMap(TimelineHistory.Divergence::at))
                .as("the same timeline 2: a standby that followed the primary").isEmpty();
    }

    @Test
    void aTimelineOfANumberThePrimaryHasButBegunElsewhereIsRewoundFromWhereTheHistoriesPart() {
        // standby2 promoted by mistake at 0/3000060 onto timeline 2; later a failover promoted standby1 onto a
        // timeline 2 of its own at 0/3400000, and a switchover took the primary to timeline 3.
        TimelineHistory primary = history(3, "1\t0/3400000", "2\t0/5000000");
        TimelineHistory mistake = history(2, "1\t0/3000060");
        assertThat(primary.switchpoint(2)).as("by number, timeline 2 is the primary's and ends at 0/5000000")
                .contains(Lsn.parse("0/5000000"));
        assertThat(primary.began(2)).contains(Lsn.parse("0/3400000"));
        assertThat(mistake.began(2)).contains(Lsn.parse("0/3000060"));
        assertThat(primary.began(1)).contains(new Lsn(0));
        assertThat(primary.began(4)).isEmpty();

        RejoinSteps.Fork f = RejoinSteps.fork("standby2", "/d", 2, primary, Optional.of(mistake), null);
        assertThat(f.refusal()).isNull();
        assertThat(f.at()).as("where the histories part, not the primary's switch point out of timeline 2")
                .isEqualTo(Lsn.parse("0/3000060"));
        assertThat(f.timeline()).as("the last timeline both share").isEqualTo(1);
        assertThat(f.note()).isEmpty();
        assertThat(f.promoted()).isEqualTo("promoted on its own: timeline 2 branched off timeline 1 at 0/3000060,"
                + " the primary left timeline 1 at 0/3400000 for timeline 2: they diverged at 0/3000060 (its timeline"
                + " 2 began at 0/3000060, the primary's timeline 2 at 0/3400000: the same number, two timelines)");

        // Further along on both sides: its timeline 4 is not the primary's timeline 4 either.
        TimelineHistory later = history(4, "1\t0/3000148", "2\t0/5000060", "3\t0/6000000");
        TimelineHistory five = history(5, "1\t0/3000148", "2\t0/4000000", "4\t0/8000000");
        RejoinSteps.Fork g = RejoinSteps.fork("standby2", "/d", 4, five, Optional.of(later), null);
        assertThat(g.at()).isEqualTo(Lsn.parse("0/4000000"));
        assertThat(g.timeline()).isEqualTo(2);
        assertThat(g.promoted()).isEqualTo("promoted on its own: timeline 3 branched off timeline 2 at 0/5000060 (it"
                + " is on timeline 4 now), the primary left timeline 2 at 0/4000000 for timeline 4: they diverged at"
                + " 0/4000000 (its timeline 4 began at 0/6000000, the primary's timeline 4 at 0/4000000: the same"
                + " number, two timelines)");
    }

    @Test
    void aTimelineThePrimaryHasWithTheSameStartIsDecidedAsBefore() {
        TimelineHistory primary = history(3, "1\t0/3400000", "2\t0/5000000");
        RejoinSteps.Fork f = RejoinSteps.fork("primary", "/d", 2, primary, Optional.of(history(2, "1\t0/3400000")),
                null);
        assertThat(f.at()).as("the primary's switch point out of its timeline 2").isEqualTo(Lsn.parse("0/5000000"));
        assertThat(f.timeline()).isEqualTo(2);
        assertThat(f.promoted()).as("not promoted on its own").isNull();
        assertThat(f.note()).isEmpty();
        assertThat(f.refusal()).isNull();

        RejoinSteps.Fork one = RejoinSteps.fork("primary", "/d", 1, primary, Optional.of(TimelineHistory.none(1)),
                null);
        assertThat(one.at()).as("timeline 1, the old primary after one failover").isEqualTo(Lsn.parse("0/3400000"));
        assertThat(one.promoted()).isNull();
        assertThat(one.note()).isEmpty();
    }

    @Test
    void withoutItsHistoryFileTheNumberDecidesAndTheOutcomeSaysSo() {
        TimelineHistory primary = history(3, "1\t0/3400000", "2\t0/5000000");
        RejoinSteps.Fork missing = RejoinSteps.fork("primary", "/d", 2, primary, Optional.empty(), null);
        assertThat(missing.refusal()).as("not refused: a plain old primary may have lost the file").isNull();
        assertThat(missing.at()).isEqualTo(Lsn.parse("0/5000000"));
        assertThat(missing.promoted()).isNull();
        assertThat(missing.note()).isEqualTo(" (its own history file /d/pg_wal/00000002.history is missing; that it"
                + " is the primary's timeline 2 rests on the number alone)");

        RejoinSteps.Fork damaged = RejoinSteps.fork("primary", "/d", 2, primary, Optional.empty(), "the line 'x'"
                + " does not start with a timeline number");
        assertThat(damaged.at()).isEqualTo(Lsn.parse("0/5000000"));
        assertThat(damaged.note()).isEqualTo(" (its own history file /d/pg_wal/00000002.history is damaged: the line"
                + " 'x' does not start with a timeline number; that it is the primary's timeline 2 rests on the number"
                + " alone)");

        // A number the primary never had: without the file nothing tells where it branched off, refused as before.
        TimelineHistory two = history(2, "1\t0/3000148");
        assertThat(RejoinSteps.fork("standby2", "/d", 3, two, Optional.empty(), null).refusal())
                .isEqualTo(RejoinSteps.unrelated("standby2", "/d", 3, two, Optional.empty()));
        assertThat(RejoinSteps.fork("standby2", "/d", 3, two, Optional.empty(), "bad").refusal())
                .isEqualTo(RejoinSteps.unreadable("standby2", "/d", 3, two, "bad")).contains("is damaged: bad");
    }

    @Test
    void aTimelineOfThePrimarysNumberInAHistoryThatSharesNothingIsRefused() {
        TimelineHistory primary = history(3, "1\t0/3400000", "2\t0/5000000");
        RejoinSteps.Fork f = RejoinSteps.fork("standby2", "/d", 2, primary, Optional.of(history(2, "7\t0/3000060")),
                null);
        assertThat(f.at()).isNull();
        assertThat(f.refusal()).isEqualTo("standby2 is on timeline 2, a number the primary's history has too (the"
                + " primary's history: 1 to 0/3400000, 2 to 0/5000000, 3), and its own history"
                + " (/d/pg_wal/00000002.history: 7 to 0/3000060, 2) shares no timeline with it begun at the same"
                + " position: they are not branches of one history, and pg_rewind cannot find where they diverged.");
    }

    @Test
    void historiesThatShareNoTimelineAreRefusedWithBoth() {
        TimelineHistory primary = history(2, "1\t0/3000148");
        TimelineHistory foreign = history(3, "2\t0/5000060");
        assertThat(foreign.divergence(primary)).as("timeline 2 first on one, timeline 1 on the other").isEmpty();
        assertThat(RejoinSteps.unrelated("standby2", "/d", 3, primary, Optional.of(foreign)))
                .isEqualTo("standby2 is on timeline 3, which is not an ancestor of the primary's timeline 2 (the"
                        + " primary's history: 1 to 0/3000148, 2), and its own history (/d/pg_wal/00000003.history:"
                        + " 2 to 0/5000060, 3) shares no timeline with it begun at the same position: they are not"
                        + " branches of one history, and pg_rewind cannot find where they diverged.");
    }

    @Test
    void aMissingHistoryFileIsNamedWithTheWayToPutItBack() {
        TimelineHistory primary = history(2, "1\t0/3000148");
        assertThat(RejoinSteps.unrelated("standby2", "/var/lib/postgresql/data", 26, primary, Optional.empty()))
                .contains("standby2 is on timeline 26, which is not an ancestor of the primary's timeline 2",
                        "(the primary's history: 1 to 0/3000148, 2)",
                        "its own history file /var/lib/postgresql/data/pg_wal/0000001A.history is missing",
                        "Put that file back from its WAL archive");
    }

    @Test
    void aDamagedHistoryFileIsNamedWithWhatIsWrong() {
        assertThatThrownBy(() -> TimelineHistory.parse(3, "1\t0/3000148\tok\nx 0/5000060 bad\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the line 'x 0/5000060 bad' does not start with a timeline number");
        assertThatThrownBy(() -> TimelineHistory.parse(3, "2\tnot-an-lsn\n"))
                .hasMessageContaining("'not-an-lsn' is not an LSN");
        assertThat(RejoinSteps.unreadable("standby2", "/d", 3, history(2, "1\t0/3000148"), "the line 'x' does not"
                + " start with a timeline number")).isEqualTo("standby2 is on timeline 3, which is not an ancestor of"
                + " the primary's timeline 2 (the primary's history: 1 to 0/3000148, 2), and its own history file"
                + " /d/pg_wal/00000003.history is damaged: the line 'x' does not start with a timeline number. Put it"
                + " back from its WAL archive, if it has one, and run again.");
    }

    @Test
    void theSameTimelineIsNoDivergence() {
        TimelineHistory a = history(2, "1\t0/3000148");
        assertThat(a.divergence(history(2, "1\t0/3000148")).orElseThrow().at()).as("both still on timeline 2")
                .isEmpty();
        assertThat(a.after(1)).contains(2L);
        assertThat(a.after(2)).as("its own timeline has none after it").isEmpty();
        assertThat(TimelineHistory.fileName(3)).isEqualTo("pg_wal/00000003.history");
    }
}
