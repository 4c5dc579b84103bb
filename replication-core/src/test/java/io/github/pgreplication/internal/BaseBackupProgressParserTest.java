package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BaseBackupProgressParserTest {
    private final List<CloneProgress> reports = new ArrayList<>();
    private final BaseBackupProgressParser parser = new BaseBackupProgressParser("eshub", reports::add, () -> 0L);

    @Test
    void finishedReportIsParsedInBytes() {
        parser.accept("30817/30817 kB (100%), 1/1 tablespace");

        assertThat(reports).containsExactly(new CloneProgress("eshub", 30817L * 1024, 30817L * 1024, 100,
                Duration.ZERO, 0));
    }

    @Test
    void leadingSpacesAndTrailingFileNameAreAccepted() {
        parser.accept("    0/30817 kB (0%), 0/1 tablespace (...data/base/1/1234)");

        assertThat(reports).containsExactly(new CloneProgress("eshub", 0, 30817L * 1024, 0, Duration.ZERO, 0));
    }

    @Test
    void partialReportKeepsItsPercentage() {
        parser.accept(" 15360/30817 kB (49%), 0/1 tablespace                                         ");

        assertThat(reports).singleElement().satisfies(p -> {
            assertThat(p.doneBytes()).isEqualTo(15360L * 1024);
            assertThat(p.percent()).isEqualTo(49);
            assertThat(p.standby()).isEqualTo("eshub");
        });
    }

    @Test
    void largeSizesDoNotOverflow() {
        parser.accept("3221225472/3221225472 kB (100%), 1/1 tablespace");

        assertThat(reports).singleElement().extracting(CloneProgress::totalBytes).isEqualTo(3221225472L * 1024);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "pg_basebackup: initiating base backup, waiting for checkpoint to complete",
            "pg_basebackup: checkpoint completed", "WARNING:  skipping special file \"./pg_wal/x\"",
            "pg_basebackup: write-ahead log start point: 0/2000028 on timeline 1",
            "pg_basebackup: error: connection to server failed: 30/40 kB"})
    void otherLinesAreIgnored(String line) {
        parser.accept(line);

        assertThat(reports).as("not a progress report").isEmpty();
    }

    @Test
    void everyReportReachesTheListenerInOrder() {
        parser.accept("0/100 kB (0%), 0/1 tablespace");
        parser.accept("pg_basebackup: checkpoint completed");
        parser.accept("50/100 kB (50%), 0/1 tablespace");
        parser.accept("100/100 kB (100%), 1/1 tablespace");

        assertThat(reports).extracting(CloneProgress::percent).containsExactly(0, 50, 100);
    }
}
