package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TestCa's certificates, parsed back and checked with the JDK's own X.509 code (not Bouncy Castle's). */
class TestCaTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS = 2;
    private static final int IP = 7;

    private final TestCa ca = TestCa.create("pgreplication test CA");

    @Test
    void theCaIsSelfSignedAndMarkedAsACa() throws Exception {
        X509Certificate root = parse(ca.certificatePem());
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=pgreplication test CA");
        assertThat(ca.subject()).isEqualTo("CN=pgreplication test CA");
        assertThat(root.getBasicConstraints()).as("a CA: basic constraints with a path length")
                .isGreaterThanOrEqualTo(0);
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        root.verify(root.getPublicKey()); // self-signed: throws otherwise
        root.checkValidity();
        assertThat(ca.certificate()).isEqualTo(root);
    }

    @Test
    void aServerCertificateNamesItsHostsLocalhostAndTheLoopbackAddressForServerAuth() throws Exception {
        TestCa.Issued server = ca.issueServer("db1", List.of("db1", "db1.cluster.internal"));
        X509Certificate cert = parse(server.certificatePem());

        assertThat(server.subject()).isEqualTo("CN=db1");
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=db1");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(parse(ca.certificatePem()).getSubjectX500Principal());
        assertThat(cert.getSubjectAlternativeNames()).as("SAN entries, (type, value)")
                .containsExactlyInAnyOrder(List.of(DNS, "db1"), List.of(DNS, "db1.cluster.internal"),
                        List.of(DNS, "localhost"), List.of(IP, "127.0.0.1"));
        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        validate(cert, ca);
        cert.checkValidity();
        assertThat(cert.getNotAfter()).as("a year, for a test")
                .isAfter(Date.from(Instant.now().plus(Duration.ofDays(300))));
    }

    @Test
    void aClientCertificateCarriesTheUserAsCommonNameForClientAuth() throws Exception {
        TestCa.Issued client = ca.issueClient("replicator");
        X509Certificate cert = parse(client.certificatePem());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=replicator");
        assertThat(client.subject()).isEqualTo("CN=replicator");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(cert.getSubjectAlternativeNames()).as("no host names on a client certificate").isNull();
        validate(cert, ca);
    }

    @Test
    void thePrivateKeyIsPkcs8PemAndMatchesItsCertificate() throws Exception {
        TestCa.Issued client = ca.issueClient("replicator");
        assertThat(client.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(client.privateKeyPem().lines()).as("PEM lines of at most 64 characters")
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        PrivateKey key = parseKey(client.privateKeyPem());
        byte[] data = "proof of possession".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(parse(client.certificatePem()).getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();
        assertThat(client.toString()).as("the key is a secret").doesNotContain("PRIVATE KEY").contains("****")
                .contains("CN=replicator");
    }

    @Test
    void everyCertificateHasItsOwnKeyAndSerial() throws Exception {
        TestCa.Issued one = ca.issueClient("replicator");
        TestCa.Issued two = ca.issueClient("replicator");
        assertThat(one.privateKeyPem()).isNotEqualTo(two.privateKeyPem());
        assertThat(parse(one.certificatePem()).getSerialNumber())
                .isNotEqualTo(parse(two.certificatePem()).getSerialNumber());
    }

    @Test
    void aCertificateOfAnotherCaDoesNotChainToThisOne() throws Exception {
        TestCa other = TestCa.create("another CA");
        X509Certificate foreign = parse(other.issueServer("db1", List.of("db1")).certificatePem());
        validate(foreign, other);
        assertThatThrownBy(() -> validate(foreign, ca)).as("no path from the other CA's certificate to this CA")
                .isInstanceOf(CertPathValidatorException.class);
        assertThatThrownBy(() -> foreign.verify(ca.certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void anExpiredCertificateForTestsOfFailure() throws Exception {
        Instant now = Instant.now();
        TestCa past = ca.validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        X509Certificate expired = parse(past.issueServer("db1", List.of("db1")).certificatePem());
        assertThatThrownBy(expired::checkValidity).isInstanceOf(CertificateExpiredException.class);
        expired.verify(ca.certificate().getPublicKey()); // still signed by the same CA
        assertThat(past.certificatePem()).as("the CA itself is unchanged").isEqualTo(ca.certificatePem());
        parse(ca.issueServer("db1", List.of("db1")).certificatePem()).checkValidity(); // the original is unchanged
    }

    @Test
    void badNamesAreRefusedWithTheRuleAndTheFix() {
        assertThatThrownBy(() -> TestCa.create(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CA common name").hasMessageContaining("non-blank");
        assertThatThrownBy(() -> ca.issueClient("repl\nicator")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certificate common name 'repl\\nicator'")
                .hasMessageContaining("without control characters");
        assertThatThrownBy(() -> ca.issueServer("db1", List.of("db1,evil")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DNS name 'db1,evil'").hasMessageContaining("pass a host name");
        Instant now = Instant.now();
        assertThatThrownBy(() -> ca.validity(now, now)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the end must come after the start");
    }

    static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey parseKey(String pem) throws Exception {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void validate(X509Certificate cert, TestCa trusted) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(cert)), parameters);
    }
}
