package io.github.pgreplication.testkit.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.BaseBackup.Compression;
import io.github.pgreplication.clone.BaseBackup.Compression.Algorithm;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.PostgresImage;
import io.github.pgreplication.testkit.PostgresMachines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every compression of pg_basebackup clones a standby that then streams: one primary, and one machine holding four
 * standbys (on ports of their own) cloned in one {@code apply()}, without compression and rate-limited, and with
 * server-side gzip, lz4 and zstd. The primary's own log ({@code log_replication_commands}) proves what it was asked
 * for. Run on each major from 15 on by a subclass (13 and 14 refuse server compression: a unit test).
 */
abstract class AbstractCloneCompressionIT {
    abstract int major();

    private static BaseBackup mode(String name) {
        return switch (name) {
            case "plain" -> BaseBackup.defaults().withMaxRate(DataSize.ofMegabytes(64));
            case "gzip" -> BaseBackup.defaults().withCompression(Compression.server(Algorithm.GZIP, 1));
            case "lz4" -> BaseBackup.defaults().withCompression(Compression.server(Algorithm.LZ4));
            default -> BaseBackup.defaults().withCompression(Compression.server(Algorithm.ZSTD, 3));
        };
    }

    @Test
    void eachCompressionClonesAStandbyThatStreams() {
        List<String> names = List.of("plain", "gzip", "lz4", "zstd");
        try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(major()), "main", "standbys")) {
            ClusterNode main = machines.initDatabase("main", Map.of("log_replication_commands", "on"));
            main.query("CREATE TABLE rows_before AS SELECT g, md5(g::text) AS v FROM generate_series(1, 100000) g");
            Host host = machines.machine("standbys").host();
            Map<String, List<CloneProgress>> progress = new ConcurrentHashMap<>();
            Replication.Builder description = Replication.primary(Primary.at(main.internalEndpoint())
                            .withName("main").withAdminEndpoint(main.endpoint()).withAdmin("postgres", main.password())
                            .withHost(main.host()).withService(ServiceControl.pgCtl()))
                    .replicationRole(ReplicationRole.named("replicator"))
                    .allow(HbaRule.parse("host replication replicator samenet trust"));
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String name : names) {
                ports.put(name, 5433 + ports.size());
                progress.put(name, new CopyOnWriteArrayList<>());
                description.addStandby(Standby.named(name).withHost(host).withDataDirectory(directory(name))
                        .withPort(ports.get(name))
                        .withCloneMethods(mode(name).withSync(false).withProgressListener(progress.get(name)::add)));
            }
            try (Replication replication = description.load()) {
                String runbook = replication.plan().toRunbook();
                assertThat(runbook).as("every choice is in the runbook").contains("--max-rate=64M",
                        "--compress=server-gzip:level=1", "--compress=server-zstd:level=3")
                        .containsPattern("--compress=server-lz4(\\s|$)");

                ApplyResult result = replication.apply(); // verifies that every standby streams

                for (String name : names) {
                    assertThat(result.cloneMethodUsed(name)).as(result.summary()).contains("cloned with pg_basebackup");
                }
                main.query("CREATE TABLE rows_after AS SELECT g FROM generate_series(1, 1000) g");
                Lsn lsn = replication.currentLsn();
                replication.awaitReplay(lsn, Duration.ofSeconds(30));
                for (String name : names) {
                    assertThat(psql(host, ports.get(name), "SELECT pg_is_in_recovery(), (SELECT status FROM"
                            + " pg_stat_wal_receiver), (SELECT count(*) FROM rows_before), (SELECT count(*) FROM"
                            + " rows_after)")).as("%s streams and has every row", name)
                            .isEqualTo("t|streaming|100000|1000");
                    List<CloneProgress> seen = progress.get(name);
                    assertThat(seen).as("%s's progress", name).isNotEmpty();
                    CloneProgress last = seen.get(seen.size() - 1);
                    assertThat(last.percent()).isEqualTo(100);
                    assertThat(last.doneBytes()).isEqualTo(last.totalBytes()).isGreaterThan(10L << 20);
                    assertThat(last.elapsed()).isPositive();
                    assertThat(last.remainingBytes()).as("nothing left").isZero();
                }
            } finally {
                for (String name : names) {
                    host.execute(Command.of("pg_ctl", "-D", directory(name), "-w", "stop", "-m", "immediate"));
                }
            }
            Map<String, String> asked = baseBackupCommands(main, names);
            assertThat(asked.get("plain")).as("the primary's log: what pg_basebackup asked for")
                    .contains("MAX_RATE 65536").doesNotContain("COMPRESSION");
            assertThat(asked.get("gzip")).contains("COMPRESSION 'gzip'", "COMPRESSION_DETAIL 'level=1'")
                    .doesNotContain("MAX_RATE");
            assertThat(asked.get("lz4")).contains("COMPRESSION 'lz4'").doesNotContain("COMPRESSION_DETAIL");
            assertThat(asked.get("zstd")).contains("COMPRESSION 'zstd'", "COMPRESSION_DETAIL 'level=3'");
        }
    }

    private static String directory(String name) {
        return "/var/lib/postgresql/" + name;
    }

    /** @return per standby, the BASE_BACKUP command the primary received for it (by its label) */
    private static Map<String, String> baseBackupCommands(ClusterNode main, List<String> names) {
        String log = main.host().readFile(main.serverLogPath()).orElseThrow();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            List<String> lines = new ArrayList<>(log.lines().filter(l -> l.contains("received replication command:"
                    + " BASE_BACKUP") && l.contains("LABEL 'pgreplication " + name + "'")).toList());
            assertThat(lines).as("the primary logged %s's BASE_BACKUP", name).singleElement();
            out.put(name, lines.get(0));
        }
        return out;
    }

    private static String psql(Host host, int port, String sql) {
        return host.run(Command.of("psql", "-X", "-A", "-t", "-p", Integer.toString(port), "-d", "postgres", "-c",
                sql).withTimeout(Duration.ofSeconds(30))).stdout().strip();
    }
}
