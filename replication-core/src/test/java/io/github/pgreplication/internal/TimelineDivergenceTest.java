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
