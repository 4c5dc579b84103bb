package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's proof on the wire: a row with a known marker, written on the primary over its local socket (so that
 * only replication carries it over TCP), does not appear in a packet capture of the replication traffic of a TLS
 * cluster, and does appear in one of a cluster without TLS (so the capture works). The capture is tcpdump on this
 * machine inside the primary container's network namespace ({@code nsenter -t PID -n}): the image has no tcpdump,
 * and scripts/prepare.sh installs it here. PostgreSQL 17 only: the wire is libpq's and OpenSSL's, not the server
 * version's.
 */
class TlsWireIT {
    @Test
    void aMarkerWrittenOnThePrimaryIsOnTheWireWithoutTlsAndNotWithIt() throws Exception {
        try (ReplicationCluster plain = ReplicationCluster.builder().standbys(1).start()) {
            assertThat(captured(plain)).as("without TLS the WAL carries the marker in clear: the capture works")
                    .isTrue();
        }
        try (ReplicationCluster tls = ReplicationCluster.builder().standbys(1).tls(true).start()) {
            assertThat(captured(tls)).as("with TLS the same row is not readable on the wire").isFalse();
        }
    }

    /** @return whether a marker row written on the primary shows in the capture of its port 5432 */
    private static boolean captured(ReplicationCluster cluster) throws IOException, InterruptedException {
        ClusterNode primary = cluster.primary();
        String marker = "wire-marker-" + UUID.randomUUID();
        primary.query("CREATE TABLE IF NOT EXISTS wire (v text)");
        cluster.awaitReplication();
        Number pid = primary.container().getContainerInfo().getState().getPid();
        Path pcap = Files.createTempFile("tls-wire", ".pcap");
        Path log = Files.createTempFile("tls-wire", ".log");
        Process tcpdump = new ProcessBuilder("nsenter", "-t", pid.toString(), "-n", "tcpdump", "-i", "any",
                "--immediate-mode", "-U", "-s", "0", "-w", pcap.toString(), "tcp port 5432").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Waits.until("tcpdump listens", Duration.ofSeconds(10), () -> {
                try {
                    return Files.readString(log).contains("listening on");
                } catch (IOException e) {
                    return false;
                }
            });
            primary.query("INSERT INTO wire VALUES ('" + marker + "')"); // the local socket: not on the wire
            cluster.awaitReplication();
            assertThat(cluster.standby("standby1").query("SELECT count(*) FROM wire WHERE v = '" + marker + "'"))
                    .as("replicated").isEqualTo("1");
            Thread.sleep(500); // --immediate-mode and -U: each packet is written as it is seen
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor(10, TimeUnit.SECONDS);
        }
        byte[] bytes = Files.readAllBytes(pcap);
        String log0 = Files.readString(log);
        Files.deleteIfExists(pcap);
        Files.deleteIfExists(log);
        assertThat(bytes.length).as("the capture saw the replication traffic: " + log0).isGreaterThan(200);
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(marker);
    }
}
