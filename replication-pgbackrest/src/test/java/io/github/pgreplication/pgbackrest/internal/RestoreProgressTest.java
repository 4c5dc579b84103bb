package io.github.pgreplication.pgbackrest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreProgressTest {
    private static String fixture() throws IOException {
        return fixture("restore-detail.txt");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = RestoreProgressTest.class.getResourceAsStream("/pgbackrest-2.45/output/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void followsRealRestoreOutput() throws IOException {
        List<CloneProgress> seen = new ArrayList<>();
        RestoreProgress p = new RestoreProgress("eshub", seen::add);
        fixture().lines().forEach(p);

        assertThat(p.label()).isEqualTo("20261122-004606F_20261122-004614I");
        assertThat(seen).hasSize(28);
        assertThat(seen).extracting(CloneProgress::percent).isSorted().first().isEqualTo(6);
        assertThat(seen.get(0).doneBytes()).as("1.8MB").isEqualTo(Math.round(1.8 * 1024 * 1024));
        assertThat(seen.get(0).totalBytes()).as("estimated from 1.8MB at 6.04%").isBetween(30_000_000L,
                33_000_000L);
        assertThat(p.percent()).isEqualTo(100);
        assertThat(seen).allSatisfy(c -> assertThat(c.standby()).isEqualTo("eshub"));
    }

    @Test
    void atInfoLevelOnlyTheLabelIsKnown() throws IOException {
        List<CloneProgress> seen = new ArrayList<>();
        RestoreProgress p = new RestoreProgress("eshub", seen::add);
        fixture("restore-ssh-ok.txt").lines().forEach(p);
        assertThat(p.label()).isEqualTo("20261122-004606F_20261122-004614I");
        assertThat(seen).isEmpty();
    }

    @Test
    void parsesSizesAndDeltaLines() {
        assertThat(RestoreProgress.bytes("768", "KB")).isEqualTo(768 * 1024);
        assertThat(RestoreProgress.bytes("0", "B")).isZero();
        RestoreProgress p = new RestoreProgress("eshub", null);
        p.accept("P01 DETAIL: restore file /d/base/1/1249 - exists and matches backup (448KB, 22.01%) checksum x");
        assertThat(p.percent()).isEqualTo(22);
        p.accept("P00   INFO: restore size = 29.0MB, file total = 969");
        assertThat(p.percent()).isEqualTo(22);
    }

    @Test
    void aDeltaRestoreCountsTheFilesItKeptApartFromThoseItCopied() {
        RestoreProgress p = new RestoreProgress("eshub", null);
        p.accept("P01 DETAIL: restore file /d/base/5/16384 - exists and matches backup (3MB, 60.00%) checksum a");
        p.accept("P01 DETAIL: restore file /d/base/5/16390 - exists and is zero size (0B, 60.00%)");
        p.accept("P02 DETAIL: restore file /d/base/5/16400 (1MB, 80.00%) checksum b");
        p.accept("P02 DETAIL: restore file /d/global/pg_control.pgbackrest.tmp (bundle 1/0, 8KB, 80.16%) checksum c");
        p.accept("P01 DETAIL: restore file /d/base/5/2619 (bundle 20261122-004606F/1/4096, 992KB, 100.00%) checksum d");

        assertThat(p.matchedBytes()).as("kept: matched the backup").isEqualTo(3L << 20);
        assertThat(p.copiedBytes()).as("copied: 1MB + 8KB + 992KB").isEqualTo((1L << 20) + (8 << 10) + (992 << 10));
        assertThat(p.doneBytes()).isEqualTo(p.matchedBytes() + p.copiedBytes());
        assertThat(p.percent()).isEqualTo(100);
    }

    @Test
    void anEmptyDirectoryRestoreCopiesEverything() throws IOException {
        RestoreProgress p = new RestoreProgress("eshub", null);
        fixture().lines().forEach(p);
        assertThat(p.matchedBytes()).isZero();
        assertThat(p.copiedBytes()).isEqualTo(p.doneBytes()).isPositive();
    }
}
