package io.github.pgreplication.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests: it issues server certificates (for PostgreSQL's {@code ssl_cert_file}, or a
 * pgBackRest TLS server) and client certificates (for the {@code cert} authentication method, whose common name is
 * the PostgreSQL user), all in memory, in PEM.
 *
 * <p>The certificates are made in the JVM with Bouncy Castle ({@code bcpkix}), before any container starts: no
 * {@code openssl} in an image, no Docker round trip, and the same code serves an application's own tests, which
 * may need a certificate for a server of their own. Keys are EC P-256 (fast to make), written as unencrypted
 * PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), which PostgreSQL, libpq and pgBackRest read. The JVM's own
 * providers make the keys and the signatures; Bouncy Castle only encodes the certificates, and is not registered as
 * a security provider.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create("test CA");
 * TestCa.Issued server = ca.issueServer("db1", List.of("db1.example"));
 * TestCa.Issued client = ca.issueClient("replicator");
 * TestCa.Issued expired = ca.validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)))
 *         .issueServer("db1", List.of("db1.example"));
 * }</pre>
 *
 * <p>For a test of an untrusted certificate, {@link #create(String) create} a second, unrelated CA. Instances are
 * immutable and safe to share between threads.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";
    /** Clock skew between the test JVM and a server: a certificate is valid from a little before it was made. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final X500Name name;
    private final Instant notBefore;
    private final Instant notAfter;

    private TestCa(KeyPair keys, X509Certificate certificate, X500Name name, Instant notBefore, Instant notAfter) {
        this.keys = keys;
        this.certificate = certificate;
        this.name = name;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    /**
     * A certificate, its private key and its subject, as a server or a client installs them.
     *
     * @param certificatePem the certificate, PEM ({@code -----BEGIN CERTIFICATE-----})
     * @param privateKeyPem  its private key, unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}): a secret,
     *                       written to a file readable by its owner only
     * @param subject        the certificate's subject, e.g. {@code CN=replicator}
     */
    public record Issued(String certificatePem, String privateKeyPem, String subject) {
        /**
         * Checks that every part is present.
         *
         * @param certificatePem the certificate, PEM
         * @param privateKeyPem  its private key, PKCS#8 PEM
         * @param subject        the certificate's subject
         */
        public Issued {
            Objects.requireNonNull(certificatePem, "certificatePem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            Objects.requireNonNull(subject, "subject");
        }

        /**
         * The key is a secret: it is left out.
         *
         * @return the subject, and the key as {@code ****}
         */
        @Override
        public String toString() {
            return "Issued[subject=" + subject + ", privateKeyPem=****]";
        }
    }

    /**
     * A new self-signed CA with a fresh key, valid from an hour ago for a year; the certificates it issues have the
     * same validity unless {@link #validity(Instant, Instant)} says otherwise.
     *
     * @param commonName the CA's common name, e.g. {@code "pgreplication test CA"}
     * @return the CA
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public static TestCa create(String commonName) {
        X500Name name = distinguishedName(commonName, "CA common name");
        KeyPair keys = newKeys();
        Instant from = Instant.now().minus(BACKDATE);
        Instant to = from.plus(LIFETIME);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(from),
                    Date.from(to), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestCa(keys, sign(builder, keys.getPrivate()), name, from, to);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot make the test CA '" + commonName + "': " + e.getMessage(), e);
        }
    }

    /**
     * This CA (same key, same certificate) issuing certificates valid only between two instants: for a test of an
     * expired certificate, or one not yet valid. The CA's own certificate keeps its validity.
     *
     * @param from  the first instant a certificate issued by the result is valid
     * @param until the last instant it is valid; after {@code from}
     * @return a CA issuing with that validity
     * @throws IllegalArgumentException if {@code until} is not after {@code from}
     */
    public TestCa validity(Instant from, Instant until) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(from)) {
            throw Values.refused("certificate validity from " + from + " until " + until,
                    "the end must come after the start", "pass an end later than the start");
        }
        return new TestCa(keys, certificate, name, from, until);
    }

    /**
     * The CA's certificate: what a client names in {@code sslrootcert} and a server in {@code ssl_ca_file}.
     *
     * @return the CA's certificate, PEM
     */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * The CA's certificate, parsed.
     *
     * @return the CA's certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The CA's subject.
     *
     * @return the subject, e.g. {@code CN=pgreplication test CA}
     */
    public String subject() {
        return name.toString();
    }

    /**
     * A server certificate: extended key usage serverAuth, subject alternative names for each of the given DNS
     * names, {@code localhost} and the IP address 127.0.0.1 (a client with {@code sslmode=verify-full} checks the
     * name it connected to against these).
     *
     * @param commonName the certificate's common name, e.g. the node's name
     * @param dnsNames   the host names clients connect to (network aliases, a host's name); may be empty
     * @return the certificate and its key
     * @throws IllegalArgumentException if a name is blank or holds a control character, a space or a comma
     */
    public Issued issueServer(String commonName, List<String> dnsNames) {
        Objects.requireNonNull(dnsNames, "dnsNames");
        Set<String> dns = new LinkedHashSet<>();
        for (String dnsName : dnsNames) {
            dns.add(dnsName(dnsName));
        }
        dns.add("localhost");
        List<GeneralName> names = new ArrayList<>();
        for (String dnsName : dns) {
            names.add(new GeneralName(GeneralName.dNSName, dnsName));
        }
        names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()));
        return issue(commonName, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /**
     * A client certificate: extended key usage clientAuth. For PostgreSQL's {@code cert} method (and
     * {@code clientcert=verify-full}), the common name is the user the client logs in as.
     *
     * @param commonName the certificate's common name: the PostgreSQL user, e.g. {@code "replicator"}
     * @return the certificate and its key
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public Issued issueClient(String commonName) {
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
    }

    @Override
    public String toString() {
        return "TestCa[" + subject() + "]";
    }

    private Issued issue(String commonName, KeyPurposeId purpose, GeneralNames alternativeNames) {
        X500Name subject = distinguishedName(commonName, "certificate common name");
        KeyPair leaf = newKeys();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), subject, leaf.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(leaf.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(certificate));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            X509Certificate issued = sign(builder, keys.getPrivate());
            return new Issued(pem(issued), privateKeyPem(leaf.getPrivate()), subject.toString());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for '" + commonName + "': " + e.getMessage(),
                    e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).setBit(63); // positive, 8 bytes, unique enough for a test CA
    }

    private static X500Name distinguishedName(String commonName, String what) {
        Objects.requireNonNull(commonName, what);
        if (commonName.isBlank() || commonName.chars().anyMatch(Character::isISOControl)) {
            throw Values.refused(what + " '" + commonName + "'", "it must be non-blank, without control characters",
                    "pass a plain name such as 'replicator' or 'db1'");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static String dnsName(String dnsName) {
        Objects.requireNonNull(dnsName, "DNS name");
        if (!dnsName.matches("[A-Za-z0-9*]([A-Za-z0-9._-]*[A-Za-z0-9])?")) {
            throw Values.refused("DNS name '" + dnsName + "'",
                    "it must be a host name: letters, digits, dots, hyphens, underscores",
                    "pass a host name such as 'db1' or 'db1.example.com'");
        }
        return dnsName;
    }

    private static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String privateKeyPem(PrivateKey key) {
        // The JDK encodes a private key as PKCS#8 (PrivateKey.getFormat() is "PKCS#8"): the PEM is its base64.
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
