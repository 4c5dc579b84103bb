package io.github.pgreplication.testkit.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A clone over a shaped link: the source's egress limited to 100 Mbit/s ({@link ClusterNode#limitBandwidth}, the
 * kernel's tbf), a clone with {@code BaseBackup.withMaxRate(4 MB)} runs at that rate within 20%, and one without
 * runs at most at the link's rate. The rate is what pg_basebackup's own progress says it moved between its first
 * and last report, over the time between them.
 */
class ShapedLinkIT {
    private static final long LINK = 12_500_000; // 100 Mbit/s
    private static final String DIR = "/var/lib/postgresql/clone";

    @Test
    void maxRateIsHonouredWithinTwentyPercentAndTheLinkCapsTheRest() {
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "src", "dst")) {
            ClusterNode src = machines.initDatabase("src");
            ClusterNode dst = machines.machine("dst");
            src.host().writeFile(PostgresMachines.DATA_DIRECTORY + "/pg_hba.conf", String.join("\n",
                    "local all all trust", "host all all all scram-sha-256", "local replication all trust",
                    "host replication replicator samenet trust", ""), "0600");
            src.query("SELECT pg_reload_conf()");
            src.query("CREATE ROLE replicator WITH REPLICATION LOGIN");
            src.query("CREATE TABLE filler AS SELECT g, md5(g::text) AS v FROM generate_series(1, 400000) g");
            src.query("CHECKPOINT");
            long size = Long.parseLong(src.query("SELECT sum(pg_database_size(oid)) FROM pg_database"));
            assertThat(size).as("a database of known size, tens of MB").isBetween(30L << 20, 120L << 20);
            src.limitBandwidth(new DataSize(LINK));

            DataSize maxRate = DataSize.ofMegabytes(4);
            double limited = rate(clone(src, dst, BaseBackup.defaults().withMaxRate(maxRate)));
            assertThat(limited / maxRate.bytes()).as("--max-rate=4M: %.0f bytes/s moved, against %d", limited,
                    maxRate.bytes()).isBetween(0.8, 1.2);

            double free = rate(clone(src, dst, BaseBackup.defaults()));
            System.out.printf("database %d bytes; --max-rate=4M moved %.0f bytes/s, no limit %.0f bytes/s over a link"
                    + " of %d%n", size, limited, free, LINK);
            assertThat(free / LINK).as("no --max-rate, over a 100 Mbit/s link: %.0f bytes/s", free)
                    .isBetween(0.4, 1.2);
        }
    }

    /** @return every progress report of a clone of src into dst, emptied first */
    private static List<CloneProgress> clone(ClusterNode src, ClusterNode dst, BaseBackup method) {
        dst.host().run(Command.of("rm", "-rf", DIR));
        List<CloneProgress> progress = new CopyOnWriteArrayList<>();
        Standby standby = Standby.named("dst").withHost(dst.host()).withDataDirectory(DIR);
        CloneContext context = new CloneContext(standby, Primary.at(src.internalEndpoint()),
                ReplicationRole.named("replicator"), "");
        method.withSync(false).withProgressListener(progress::add).cloneInto(context);
        return progress;
    }

    /** @return bytes moved between the first report with bytes and the last, per second between them */
    private static double rate(List<CloneProgress> progress) {
        CloneProgress first = progress.stream().filter(p -> p.doneBytes() > 0).findFirst().orElseThrow();
        CloneProgress last = progress.get(progress.size() - 1);
        double seconds = (last.elapsed().toNanos() - first.elapsed().toNanos()) / 1e9;
        assertThat(seconds).as("reports over some seconds: %s", progress).isGreaterThan(1.5);
        return (last.doneBytes() - first.doneBytes()) / seconds;
    }
}
