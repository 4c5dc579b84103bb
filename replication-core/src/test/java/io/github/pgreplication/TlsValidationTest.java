package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static io.github.pgreplication.Descriptions.standby;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 22: load() reports every problem of the TLS material, numbered, with the fix; no I/O. */
class TlsValidationTest {
    /** A server certificate for CN=eshua, SANs eshua.example, localhost, 127.0.0.1 (made with the testkit's TestCa). */
    static final String ESHUA_PEM = resource("/tls/eshua.crt");
    /** The same names, expired. */
    static final String EXPIRED_PEM = resource("/tls/expired.crt");
    static final Secret KEY = Secret.of("-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n");

    private static String resource(String name) {
        try (InputStream in = TlsValidationTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tls serving(String pem) {
        return Tls.off().withServer(Tls.Server.install("/etc/postgresql/tls", pem, KEY, pem));
    }

    private static Standby verifying(String name) {
        return standby(name).withTls(Tls.off().withReplication(Tls.Client.verifyFull("/etc/postgresql/tls/root.crt")
                .withCertificate("/etc/postgresql/tls/replicator.crt", "/etc/postgresql/tls/replicator.key")));
    }

    @Test
    void aFullTlsDescriptionLoads() {
        loads(Replication.primary(Primary.at(PRIMARY).withTls(serving(ESHUA_PEM))).addStandby(verifying("eshub"))
                .allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert")));
    }

    @Test
    void aHostsslRuleWhileThePrimarysTlsIsOffIsRefusedUnlessTlsIsLeftToTheServer() {
        // TLS described on a standby, not on the primary: the primary's TLS is off.
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY))
                .addStandby(standby("eshub").withTls(Tls.off().withAdmin(Tls.Client.verifyFull("/root.crt"))))
                .allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert")));
        assertThat(e.getMessage()).as("the rule, why, and how to give the primary TLS")
                .contains("pg_hba rule 'hostssl replication replicator 10.0.0.0/24 cert'",
                        "matches only TLS connections", "hostssl record cannot match because SSL is disabled",
                        ".withTls(Tls.off().withServer(Tls.Server.files(cert, key, ca)))");
        loads(Descriptions.valid().allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert")));
    }

    @Test
    void theCertMethodNeedsTheServersCa() {
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY).withTls(Tls.off()
                .withServer(Tls.Server.files("/etc/pg/server.crt", "/etc/pg/server.key", null))))
                .addStandby(standby("eshub")).allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert")));
        assertThat(e.getMessage()).contains("names no CA (ssl_ca_file)",
                "Tls.Server.files(cert, key, \"/path/root.crt\")");
        InvalidReplicationConfigException clientcert = rejected(Replication.primary(Primary.at(PRIMARY)
                .withTls(Tls.off().withServer(Tls.Server.files("/etc/pg/server.crt", "/etc/pg/server.key", null))))
                .addStandby(standby("eshub")).allow(HbaRule.parse("hostssl replication replicator 10.0.0.0/24"
                        + " scram-sha-256 clientcert=verify-full")));
        assertThat(clientcert.getMessage()).as("clientcert with a password method, as PostgreSQL refuses it too")
                .contains("clientcert checks the client's certificate", "names no CA (ssl_ca_file)");
        assertThat(HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert").method()).isEqualTo("cert");
    }

    @Test
    void verifyFullTowardsAnAddressTheCertificateCannotNameIsRefused() {
        Primary primary = Primary.at(Endpoint.of("10.1.2.3", 5432)).withTls(serving(ESHUA_PEM));
        InvalidReplicationConfigException e = rejected(Replication.primary(primary).addStandby(verifying("eshub")));
        assertThat(e.getMessage()).as("the certificate's subject, the names it has, the fix")
                .contains("standby 'eshub' connecting with sslmode=verify-full to primary", "at '10.1.2.3'",
                        "CN=eshua names only [eshua.example, localhost, 127.0.0.1]",
                        "issue the certificate with '10.1.2.3' among its subject alternative names");
        loads(Replication.primary(Primary.at(Endpoint.of("127.0.0.1", 5432)).withName("eshua")
                .withTls(serving(ESHUA_PEM))).addStandby(verifying("eshub")));
    }

    @Test
    void anAdminEndpointTheCertificateCannotNameIsRefused() {
        Primary primary = Primary.at(PRIMARY).withTls(serving(ESHUA_PEM).withAdmin(Tls.Client.verifyFull("/r.crt")))
                .withAdminEndpoint(Endpoint.of("db.other", 5432));
        assertThat(rejected(Replication.primary(primary).addStandby(standby("eshub"))).getMessage())
                .contains("node 'eshua_example' admin endpoint at 'db.other'", "sslmode=verify-full checks");
    }

    @Test
    void anExpiredOrUnreadableCertificateIsRefused() {
        assertThat(rejected(Replication.primary(Primary.at(PRIMARY).withTls(serving(EXPIRED_PEM)))
                .addStandby(standby("eshub"))).getMessage())
                .contains("server certificate CN=eshua", "expired on", "Issue a new certificate");
        assertThat(rejected(Replication.primary(Primary.at(PRIMARY).withTls(serving("not a certificate")))
                .addStandby(standby("eshub"))).getMessage())
                .contains("server certificate content", "not an X.509 certificate in PEM");
    }

    @Test
    void missingFilesAreRefusedEachWithItsFix() {
        Standby noRoot = standby("eshub").withTls(Tls.off().withReplication(
                new Tls.Client(Tls.Mode.VERIFY_FULL, null, "/c.crt", null, false)));
        InvalidReplicationConfigException e = rejected(Replication.primary(Primary.at(PRIMARY)
                .withTls(Tls.off().withServer(new Tls.Server("/s.crt", "/s.key", "/root.crt", ESHUA_PEM,
                        Secret.none(), null))))
                .addStandby(noRoot));
        assertThat(e.getMessage()).as("each a numbered problem")
                .contains("1. ", "2. ", "3. ", "4. ")
                .contains("the certificate and its key are installed together")
                .contains("the certificate and key are installed, the CA not")
                .contains("replication TLS sslmode=verify-full", "names none (sslrootcert)",
                        ".withReplication(Tls.Client.verifyFull(\"/path/root.crt\"))")
                .contains("a client certificate goes with its key", ".withCertificate(");
    }

    @Test
    void aRelativeOrQuotedPathIsRefused() {
        assertThat(rejected(Replication.primary(Primary.at(PRIMARY).withTls(Tls.off().withServer(
                Tls.Server.files("server.crt", "/etc/it's.key", null)))).addStandby(standby("eshub"))).getMessage())
                .contains("ssl_cert_file 'server.crt'", "ssl_key_file '/etc/it's.key'", "an absolute path on one line");
    }

    @Test
    void theKeyIsAbsentFromEveryDescriptionsText() {
        Tls tls = serving(ESHUA_PEM);
        assertThat(tls.toString()).as("a record's toString would show the key: Secret shows ****")
                .doesNotContain("not a real key").contains("installed by the library");
        assertThat(Primary.at(PRIMARY).withTls(tls).toString()).doesNotContain("not a real key");
    }
}
