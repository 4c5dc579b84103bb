package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import io.github.pgreplication.ConnectionFailedException.Reason;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Plan.PlanStep;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Tls;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import java.security.cert.CertificateExpiredException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Issue 22: what a node's TLS becomes (settings, keywords, steps, lines), and the TLS failures read as kinds. */
class TlsPartsTest {
    private static final Endpoint PRIMARY = Endpoint.of("eshua", 5432);
    private static final ReplicationRole ROLE = ReplicationRole.named("replicator");
    private static final Secret KEY = Secret.of("-----BEGIN PRIVATE KEY-----\nsecret-key-bytes\n"
            + "-----END PRIVATE KEY-----");
    private static final Tls NODE = Tls.off()
            .withServer(Tls.Server.install("/etc/pg/tls", "-----BEGIN CERTIFICATE-----\nx\n", KEY, "ca"))
            .withReplication(Tls.Client.verifyFull("/etc/pg/tls/root.crt")
                    .withCertificate("/etc/pg/tls/repl.crt", "/etc/pg/tls/repl.key"));

    private static ReplicationConfig config() {
        Standby s = Standby.named("eshub").withDataDirectory("/srv/eshub").withTls(NODE);
        return new ReplicationConfig(Primary.at(PRIMARY).withName("eshua").withTls(NODE), ROLE,
                PrimarySettings.empty(), List.of(HbaRule.replication("replicator", "10.0.0.0/24", "cert"),
                        HbaRule.replication("other", "10.0.0.0/24", "md5")), List.of(s), Duration.ofSeconds(1), true);
    }

    @Test
    void addressesAreComparedAsAddressesAndNamesAsNames() {
        List<String> jdk = List.of("eshua.example", "fd00:0:0:0:0:0:0:10", "10.0.0.5", "*.mail.example");
        assertThat(TlsRules.nameMatches("fd00::10", jdk)).as("the JDK writes IPv6 SANs in full").isTrue();
        assertThat(TlsRules.nameMatches("[fd00::10]", jdk)).isTrue();
        assertThat(TlsRules.nameMatches("fd00::11", jdk)).isFalse();
        assertThat(TlsRules.nameMatches("10.0.0.5", jdk)).isTrue();
        assertThat(TlsRules.nameMatches("10.0.0.6", jdk)).isFalse();
        assertThat(TlsRules.nameMatches("ESHUA.example", jdk)).isTrue();
        assertThat(TlsRules.nameMatches("eshub.mail.example", jdk)).isTrue();
        assertThat(TlsRules.nameMatches("a.b.mail.example", jdk)).as("one label only").isFalse();
        assertThat(TlsRules.nameMatches("dead:beef::1", List.of("deadbeef.example"))).isFalse();
    }

    @Test
    void theStandbysConnectionsCarryItsTlsKeywordsAndNoKey() {
        ReplicationConfig config = config();
        CloneContext context = new CloneContext(config.standbys().get(0), config.primary(), ROLE, "eshub_slot");
        assertThat(context.primaryConninfo()).isEqualTo("host=eshua port=5432 user=replicator application_name=eshub"
                + " sslmode=verify-full sslrootcert=/etc/pg/tls/root.crt sslcert=/etc/pg/tls/repl.crt"
                + " sslkey=/etc/pg/tls/repl.key");
        assertThat(BaseBackup.defaults().command(context).toCommandLine()).contains("sslmode=verify-full",
                "sslcert=/etc/pg/tls/repl.crt").doesNotContain("secret-key-bytes");
        assertThat(new ReplicationConnection(context).conninfo()).contains("replication=true", "sslmode=verify-full");
        assertThat(TlsRules.keywords(Tls.Client.verifyFull("/r.crt").withChannelBinding(true), true))
                .containsEntry("channel_binding", "require");
        assertThat(TlsRules.keywords(NODE.replication(), false)).as("pg_rewind logs in as the admin")
                .doesNotContainKeys("sslcert", "sslkey").containsKey("sslrootcert");
    }

    @Test
    void thePlanInstallsChecksAndRequiresTlsShowingPathsOnly() {
        PhasedPlan plan = Planner.plan(config());
        List<String> primary = plan.steps(Phase.PRIMARY).stream().map(PlanStep::title).toList();
        assertThat(primary).containsSubsequence("install TLS files [/etc/pg/tls/server.crt, /etc/pg/tls/server.key,"
                + " /etc/pg/tls/root.crt] on eshua", "settings [ssl, ssl_cert_file, ssl_key_file, ssl_ca_file] with"
                + " ALTER SYSTEM, reload, restart if pending", "TLS is on: ssl = on, and a new library session is"
                + " encrypted (pg_stat_ssl)", "pg_hba.conf block with 2 rule(s), reload, check pg_hba_file_rules");
        List<String> standby = plan.lanes(Phase.STANDBYS).get("eshub").stream().map(PlanStep::title).toList();
        assertThat(standby.get(0)).as("before the clone, which checks the primary with its root certificate")
                .startsWith("install TLS files");
        String runbook = plan.toPlan("h", true).toRunbook();
        assertThat(runbook).as("hostssl when the primary serves TLS; the safer line beside a weak one")
                .contains("hostssl replication replicator 10.0.0.0/24 cert",
                        "hostssl replication other 10.0.0.0/24 md5",
                        "# accepted, but weak (md5 over a network); safer: hostssl replication other 10.0.0.0/24"
                                + " scram-sha-256")
                .contains("/etc/pg/tls/server.key").doesNotContain("secret-key-bytes");
    }

    @Test
    void trustFromANetworkGetsTheCertificateLineWithTlsAndScramWithout() {
        HbaRule trust = HbaRule.replication("replicator", "0.0.0.0/0", "trust");
        assertThat(TlsRules.saferLine(trust, true)).contains("# accepted, but weak (trust over a network); safer:"
                + " hostssl replication replicator 0.0.0.0/0 cert");
        assertThat(TlsRules.saferLine(trust, false)).hasValueSatisfying(l -> assertThat(l).endsWith("scram-sha-256"));
        assertThat(TlsRules.saferLine(HbaRule.replication("replicator", "127.0.0.1/32", "trust"), true)).isEmpty();
        assertThat(TlsRules.saferLine(HbaRule.replication("replicator", "10.0.0.0/8", "scram-sha-256"), true))
                .isEmpty();
    }

    private static ConnectionFailedException libpq(String stderr, boolean primaryTls) {
        return ReplicationAccessFailures.parse("eshub", PRIMARY, ROLE, stderr, null, primaryTls).orElseThrow();
    }

    @Test
    void libpqsTlsFailuresAreReadAsReasons() {
        String at = "pg_basebackup: error: connection to server at \"eshua\" (10.0.0.1), port 5432 failed: ";
        assertThat(libpq(at + "SSL error: certificate verify failed", true).reason()).contains(Reason.TLS_UNTRUSTED);
        ConnectionFailedException name = libpq(at + "server certificate for \"primary\" (and 2 other names) does not"
                + " match host name \"eshua\"", true);
        assertThat(name.reason()).contains(Reason.TLS_NAME_MISMATCH);
        assertThat(name).hasMessageContaining("The primary's certificate names 'primary' (and other names), not"
                + " 'eshua'");
        assertThat(libpq(at + "server does not support SSL, but SSL was required", false).kind())
                .isEqualTo(Kind.TLS_UNAVAILABLE);
        String noEncryption = at + "FATAL:  no pg_hba.conf entry for replication connection from host"
                + " \"10.0.0.2\", user \"replicator\", no encryption";
        assertThat(libpq(noEncryption, true).reason()).contains(Reason.TLS_REQUIRED);
        assertThat(libpq(noEncryption, false).reason()).as("a primary without TLS: its rules lack the address")
                .contains(Reason.NO_HBA_ENTRY);
        assertThat(libpq(at + "FATAL:  connection requires a valid client certificate", true).kind())
                .isEqualTo(Kind.CLIENT_CERTIFICATE);
        assertThat(libpq(at + "FATAL:  certificate authentication failed for user \"replicator\"", true))
                .hasMessageContaining("whose CN is 'replicator'");
        assertThat(libpq(at + "SSL error: certificate verify failed: certificate has expired", true).kind())
                .isEqualTo(Kind.TLS_EXPIRED);
    }

    @Test
    void pgjdbcsTlsFailuresAreReadAsKinds() {
        assertThat(ConnectionFailures.of("n", "t", new PSQLException("The server does not support SSL.",
                PSQLState.CONNECTION_REJECTED)))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.TLS_UNAVAILABLE))
                .hasMessageContaining("The server does not support SSL. The server has ssl = off");
        SSLHandshakeException pkix = new SSLHandshakeException("PKIX path building failed:"
                + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification"
                + " path to requested target");
        assertThat(ConnectionFailures.of("n", "t", new PSQLException("SSL error: " + pkix.getMessage(),
                PSQLState.CONNECTION_FAILURE, pkix)).kind()).isEqualTo(Kind.TLS_UNTRUSTED);
        assertThat(ConnectionFailures.of("n", "t", new PSQLException("The hostname db.other could not be verified by"
                + " hostnameverifier PgjdbcHostnameVerifier.", PSQLState.CONNECTION_FAILURE)).kind())
                .isEqualTo(Kind.TLS_NAME_MISMATCH);
        SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertificateExpiredException("NotAfter: Sun Dec 06 01:00:00 UTC 2026"));
        assertThat(ConnectionFailures.of("n", "t", new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE,
                expired)).kind()).isEqualTo(Kind.TLS_EXPIRED);
        SQLException noEncryption = new SQLException("FATAL: no pg_hba.conf entry for host \"10.0.0.9\", user"
                + " \"postgres\", database \"postgres\", no encryption", "28000");
        assertThat(ConnectionFailures.of("n", "t", noEncryption, true).kind()).isEqualTo(Kind.TLS_REQUIRED);
        assertThat(ConnectionFailures.of("n", "t", noEncryption, false).kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(ConnectionFailures.of("n", "t", new SQLException("FATAL: connection requires a valid client"
                + " certificate", "28000")).kind()).isEqualTo(Kind.CLIENT_CERTIFICATE);
    }

    /** A self-signed certificate, CN=postgres, valid 2020-01-01 to 2020-01-02 only (keytool -startdate). */
    private static final String EXPIRED_PEM = String.join("\n", "-----BEGIN CERTIFICATE-----",
            "MIIBPTCB5KADAgECAgkA8GkaIQzAfagwCgYIKoZIzj0EAwIwEzERMA8GA1UEAxMI",
            "cG9zdGdyZXMwHhcNMjAwMTAxMDczMjU4WhcNMjAwMTAyMDczMjU4WjATMREwDwYD",
            "VQQDEwhwb3N0Z3JlczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEgR/p2JvvQi",
            "olGrw8c4RHJhYby+WU4YszucwOnF+tU8lhqgg34X6h49+ocRHXPcucAw9fTTnsHd",
            "f0d0CiM9IGujITAfMB0GA1UdDgQWBBQuLlCFAy6McflUlxq/3jRIYzMCqDAKBggq",
            "hkjOPQQDAgNIADBFAiBFBtniECGIHLQeFpCNdEXhi64+RgTZ9vP4SqiPMxgcXgIh",
            "ANVhSntYJLFHkpxK+VPyDVJHqygv13SHtP+Wic0nV+cC", "-----END CERTIFICATE-----", "");

    @Test
    void anExpiredClientCertificateIsTheExpiredKindFromTheAlertOrFromItsOwnFile(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ConnectionFailedException alert = ConnectionFailures.of("n", "t", new PSQLException("SSL error: Received"
                + " fatal alert: certificate_expired", PSQLState.CONNECTION_FAILURE,
                new javax.net.ssl.SSLException("Received fatal alert: certificate_expired")));
        assertThat(alert.kind()).as("was CLIENT_CERTIFICATE: any fatal alert").isEqualTo(Kind.TLS_EXPIRED);
        assertThat(alert).hasMessageContaining("This client's certificate (sslcert) is outside its validity");
        java.nio.file.Path expired = java.nio.file.Files.writeString(dir.resolve("admin.crt"), EXPIRED_PEM);
        // PgJDBC over TLS 1.3 finishes its side of the handshake before the server checks the certificate: it sees
        // the connection closed, no alert. The file the session presented tells.
        PSQLException closed = new PSQLException("The connection attempt failed.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new java.io.EOFException());
        ConnectionFailedException fromFile = ConnectionFailures.of("n", "t", closed, false, expired.toString());
        assertThat(fromFile.kind()).as("was OTHER").isEqualTo(Kind.TLS_EXPIRED);
        assertThat(fromFile).hasMessageContaining("The certificate: CN=postgres issued by CN=postgres, valid until"
                + " 2020-01-02T07:32:58Z (" + expired + ")")
                .hasMessageContaining("issue a new one from the CA in the server's ssl_ca_file");
        assertThat(ConnectionFailures.of("n", "t", closed, false, null).kind()).as("no file: nothing to tell")
                .isEqualTo(Kind.OTHER);
        assertThat(ConnectionFailures.of("n", "t", closed, false, dir.resolve("absent.crt").toString()).kind())
                .isEqualTo(Kind.OTHER);
        assertThat(ConnectionFailures.of("n", "t", new PSQLException("Connection refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new java.net.ConnectException("Connection refused")), false,
                expired.toString()).kind())
                .as("a server that is down is not an expired certificate").isEqualTo(Kind.REFUSED);
    }

    @Test
    void libpqsExpiredClientCertificateAndItsAmbiguousVerifyFailure() {
        String at = "psql: error: connection to server at \"eshua\" (10.0.0.1), port 5432 failed: ";
        ConnectionFailedException client = libpq(at + "SSL error: sslv3 alert certificate expired", true);
        assertThat(client.reason()).as("was CLIENT_CERTIFICATE").contains(Reason.CLIENT_CERTIFICATE_EXPIRED);
        assertThat(client.kind()).isEqualTo(Kind.TLS_EXPIRED);
        assertThat(client.reason().orElseThrow().fixedOnPrimary()).as("the standby's file to replace").isFalse();
        assertThat(client).hasMessageContaining("The standby's certificate (its sslcert) is outside its validity")
                .hasMessageContaining("for CN=replicator");
        assertThat(libpq(at + "SSL error: certificate verify failed", true))
                .hasMessageContaining("or it is outside its validity (libpq does not say which)");
    }

    @Test
    void libpqsCertificateVerifyFailedIsToldApartByTheCertificateThePrimaryPresents() throws Exception {
        String at = "pg_basebackup: error: connection to server at \"eshua\" (10.0.0.1), port 5432 failed: ";
        ConnectionFailedException untrusted = libpq(at + "SSL error: certificate verify failed", true);
        Endpoint admin = Endpoint.of("eshua.admin", 5433);
        java.time.Instant now = java.time.Instant.parse("2026-12-07T12:00:00Z");
        java.security.cert.X509Certificate expired = certificate("/tls/expired.crt");
        java.security.cert.X509Certificate valid = certificate("/tls/eshua.crt");

        ConnectionFailedException e = ReplicationAccessFailures.explained(untrusted, admin,
                java.util.Optional.of(expired), now);
        assertThat(e.reason()).as("its notAfter is 2026-12-05").contains(Reason.TLS_EXPIRED);
        assertThat(e.kind()).isEqualTo(Kind.TLS_EXPIRED);
        assertThat(e.node()).isEqualTo("eshub");
        assertThat(e.reason().orElseThrow().fixedOnPrimary()).isTrue();
        assertThat(e).hasMessageStartingWith(untrusted.getMessage().substring(0,
                        untrusted.getMessage().indexOf('\n') + 1))
                .hasMessageContaining("The primary's certificate is outside its validity: CN=eshua issued by"
                        + " CN=pgreplication unit-test CA, valid until 2026-12-05T01:48:02Z (as it presents it at"
                        + " eshua.admin:5433), valid from 2026-12-04T01:48:02Z; it is 2026-12-07T12:00:00Z")
                .hasMessageContaining("install it on the primary (its ssl_cert_file), and reload it there")
                .hasMessageNotContaining("libpq does not say which");
        assertThat(ReplicationAccessFailures.explained(untrusted, admin, java.util.Optional.of(expired),
                java.time.Instant.parse("2026-12-03T00:00:00Z")).reason()).as("not yet valid")
                .contains(Reason.TLS_EXPIRED);

        ConnectionFailedException other = ReplicationAccessFailures.explained(untrusted, admin,
                java.util.Optional.of(valid), now);
        assertThat(other.reason()).contains(Reason.TLS_UNTRUSTED);
        assertThat(other).hasMessageContaining("is within its dates, so the standby does not trust the CA that"
                        + " signed it: its sslrootcert lacks that CA, or holds a copy of it outside its own dates")
                .hasMessageContaining("the valid certificate of CN=pgreplication unit-test CA")
                .hasMessageNotContaining("libpq does not say which");

        assertThat(ReplicationAccessFailures.explained(untrusted, admin, java.util.Optional.empty(), now))
                .as("no certificate read: the failure as libpq told it").isSameAs(untrusted);
        ConnectionFailedException name = libpq(at + "server certificate for \"primary\" does not match host name"
                + " \"eshua\"", true);
        assertThat(ReplicationAccessFailures.explain(name, admin)).as("only 'certificate verify failed' is looked at,"
                + " without connecting").isSameAs(name);
        assertThat(ReplicationAccessFailures.explain(untrusted, null)).as("no admin endpoint").isSameAs(untrusted);
    }

    private static java.security.cert.X509Certificate certificate(String resource) throws Exception {
        try (java.io.InputStream in = TlsPartsTest.class.getResourceAsStream(resource)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }
}
