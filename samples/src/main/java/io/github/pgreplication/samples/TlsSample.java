package io.github.pgreplication.samples;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Tls;
import io.github.pgreplication.host.SshHost;
import io.github.pgreplication.testkit.ClusterNode;
import io.github.pgreplication.testkit.ReplicationCluster;
import io.github.pgreplication.testkit.TargetServerType;

/**
 * TLS and certificate authentication as docs/tls.md shows them: the first runbook's password-less replicator over
 * TLS on its own machines (compiled, not run: it needs those machines), and a TLS cluster of the testkit.
 */
public final class TlsSample {
    private TlsSample() {
    }

    /** @return the first runbook's description with TLS on every connection and a certificate for the replicator */
    static Replication.Builder firstRunbookOverTls() {
        // snippet:tls-hosts
        Tls eshuaTls = Tls.off()
                // served (ssl = on): files on the node's host; the CA checks client certificates (cert, clientcert)
                .withServer(Tls.Server.files("/etc/postgresql/tls/server.crt", "/etc/postgresql/tls/server.key",
                        "/etc/postgresql/tls/root.crt"))
                // as a standby: sslmode=verify-full, and the replication role's certificate (its CN is the role)
                .withReplication(Tls.Client.verifyFull("/etc/postgresql/tls/root.crt")
                        .withCertificate("/etc/postgresql/tls/replicator.crt", "/etc/postgresql/tls/replicator.key"))
                // the library's JDBC sessions: files on the machine the library runs on
                .withAdmin(Tls.Client.verifyFull("/home/ops/pg/root.crt"));
        Tls eshubTls = eshuaTls; // each node names its own files; the same paths on both hosts here

        Replication.Builder seed1 = Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432))
                        .withHost(SshHost.to("_postgresql", "eshua.ghelew.ch"))
                        .withTls(eshuaTls))
                .replicationRole(ReplicationRole.named("replicator"))          // no password
                .allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert"))
                .addStandby(Standby.named("eshub").withHost(SshHost.to("_postgresql", "eshub.ghelew.ch"))
                        .withDataDirectory("/var/postgresql/data")
                        .withTls(eshubTls));
        // end-snippet:tls-hosts
        return seed1;
    }

    /**
     * Starts a TLS cluster and prints its URL.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // snippet:tls-testkit
        try (ReplicationCluster cluster = ReplicationCluster.builder().standbys(2).tls(true).start()) {
            ClusterNode.TlsMaterial tls = cluster.primary().tls().orElseThrow();
            // jdbcUrl(...), primaryDataSource(), ClusterNode.jdbcUrl() carry sslmode=verify-full and the files
            String url = cluster.jdbcUrl(TargetServerType.PRIMARY, false);
            // tls.ca() issues more certificates, e.g. for a server of the application's own
            System.out.println(url + " trusts " + tls.ca().subject());
        }
        // end-snippet:tls-testkit
    }
}
