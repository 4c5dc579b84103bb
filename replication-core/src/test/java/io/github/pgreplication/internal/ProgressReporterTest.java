package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every clone's progress: rate and time left from the reports, logged at most every 5 s, and at 100 %. */
class ProgressReporterTest {
    private static final long MB = 1 << 20;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<CloneProgress> seen = new ArrayList<>();
    private final ProgressReporter reporter = new ProgressReporter("eshub", "pg_basebackup", seen::add, clock::get);

    private CloneProgress at(double seconds, long done, long total, int percent) {
        clock.set(1_000_000_000L + (long) (seconds * 1e9));
        return reporter.report(done, total, percent);
    }

    @Test
    void theRateIsMeasuredFromTheFirstReportAndGivesTheTimeLeft() {
        CloneProgress first = at(2, 0, 1000 * MB, 0); // after a 2 s checkpoint
        assertThat(first.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(first.bytesPerSecond()).as("unknown from one report").isZero();
        assertThat(first.eta()).isEmpty();

        CloneProgress half = at(12, 500 * MB, 1000 * MB, 50);
        assertThat(half.bytesPerSecond()).as("500 MB in the 10 s since the first report").isEqualTo(50 * MB);
        assertThat(half.eta()).contains(Duration.ofSeconds(10));
        assertThat(half.remainingBytes()).isEqualTo(500 * MB);
        assertThat(half.elapsed()).isEqualTo(Duration.ofSeconds(12));
        assertThat(seen).as("every report reaches the listener").containsExactly(first, half);
    }

    @Test
    void oneLineIsLoggedAtMostEveryFiveSecondsBesidesTheFirstAndTheLast() {
        at(0, 0, 100 * MB, 0);
        at(1, 10 * MB, 100 * MB, 10);
        at(4.9, 40 * MB, 100 * MB, 40);
        at(5, 50 * MB, 100 * MB, 50);
        at(6, 60 * MB, 100 * MB, 60);
        at(7, 100 * MB, 100 * MB, 100);
        at(7.5, 100 * MB, 100 * MB, 100);

        assertThat(reporter.logged()).containsExactly(
                "[eshub] pg_basebackup 0% (0 B of about 100.0 MB)",
                "[eshub] pg_basebackup 50% (50.0 MB of about 100.0 MB, 10.0 MB/s, about 5 s left)",
                "[eshub] pg_basebackup 100% (100.0 MB of 100.0 MB, 14.3 MB/s, in 7 s)");
        assertThat(seen).hasSize(7);
    }

    @Test
    void longClonesSayMinutesAndHours() {
        assertThat(ProgressReporter.duration(Duration.ofSeconds(48))).isEqualTo("48 s");
        assertThat(ProgressReporter.duration(Duration.ofSeconds(725))).isEqualTo("12 min 5 s");
        assertThat(ProgressReporter.duration(Duration.ofMinutes(123))).isEqualTo("2 h 3 min");
        assertThat(ProgressReporter.duration(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(ProgressReporter.human(30_365_467)).isEqualTo("29.0 MB");
        assertThat(ProgressReporter.human(512)).isEqualTo("512 B");
    }

    @Test
    void aProgressRecordRefusesImpossibleValues() {
        assertThatThrownBy(() -> new CloneProgress("eshub", -1, 10, 0, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress -1/10 bytes, 0%, 0 bytes/s: sizes and rate are not negative, the percentage is"
                        + " 0 to 100");
        assertThatThrownBy(() -> new CloneProgress("eshub", 1, 10, 101, Duration.ZERO, 0))
                .hasMessageContaining("the percentage is 0 to 100");
    }
}
