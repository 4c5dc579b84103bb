package io.github.pgreplication.samples.bench;

import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.util.ArrayList;
import java.util.List;

/**
 * Clone throughput: {@link BaseBackup} through the library (its container Host, progress parsing) against the raw
 * {@code pg_basebackup} command with the same arguments run with {@code docker exec}, on the same database of about
 * 1 GB, into the same standby container, alternating, several repetitions. Prints medians and the ratio.
 *
 * <p>Run with {@code scripts/run-benchmarks.sh clone [repetitions] [rows]}.
 */
public final class CloneBenchmark {
    private CloneBenchmark() {
    }

    /** @param args optional repetition count (default 5) and row count (default 1,000,000: about 1.1 GB) */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "src", "dst")) {
            ClusterNode src = machines.initDatabase("src");
            ClusterNode dst = machines.machine("dst");
            src.host().writeFile(PostgresMachines.DATA_DIRECTORY + "/pg_hba.conf", String.join("\n",
                    "local all all trust", "host all all all scram-sha-256", "local replication all trust",
                    "host replication replicator samenet trust", ""), "0600");
            psql(src, "SELECT pg_reload_conf()");
            psql(src, "CREATE ROLE replicator WITH REPLICATION LOGIN");
            psql(src, "SELECT pg_create_physical_replication_slot('bench_slot', true)");
            long t = System.nanoTime();
            psql(src, "CREATE TABLE big AS SELECT g, repeat(md5(g::text), 30) AS pad FROM generate_series(1, "
                    + rows + ") g");
            psql(src, "CHECKPOINT");
            String size = psql(src, "SELECT pg_size_pretty(pg_database_size('postgres'))").strip();
            System.out.printf("database of %s made in %d s%n", size, (System.nanoTime() - t) / 1_000_000_000);

            String dir = "/var/lib/postgresql/clone";
            Standby standby = Standby.named("dst").withHost(dst.host()).withDataDirectory(dir);
            CloneContext context = new CloneContext(standby, Primary.at(src.internalEndpoint()),
                    ReplicationRole.named("replicator"), "bench_slot");
            BaseBackup library = BaseBackup.defaults();
            List<String> raw = new ArrayList<>(List.of("docker", "exec", "-u", "postgres",
                    dst.container().getContainerId()));
            raw.addAll(library.command(context).argv());
            System.out.println("raw command: " + String.join(" ", raw));

            Stats viaLibrary = new Stats();
            Stats direct = new Stats();
            for (int i = 0; i < reps; i++) {
                dst.host().run(Command.of("rm", "-rf", dir));
                long t0 = System.nanoTime();
                library.cloneInto(context);
                viaLibrary.add((System.nanoTime() - t0) / 1_000_000);
                dst.host().run(Command.of("rm", "-rf", dir));
                long t1 = System.nanoTime();
                LocalHost.current().run(Command.of(raw).withTimeout(java.time.Duration.ofHours(1)));
                direct.add((System.nanoTime() - t1) / 1_000_000);
            }
            System.out.println();
            System.out.println("Clone of a " + size + " database, " + reps + " runs each, alternating");
            System.out.println("  BaseBackup via library : " + viaLibrary);
            System.out.println("  raw pg_basebackup      : " + direct);
            System.out.printf("  library / raw          : %.3f (target <= 1.03)%n",
                    (double) viaLibrary.median() / direct.median());
        }
    }

    private static String psql(ClusterNode node, String sql) {
        return node.host().run(Command.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres",
                "-c", sql).withTimeout(java.time.Duration.ofMinutes(20))).stdout();
    }
}
