package io.github.pgreplication.pgbackrest.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads what messages name from a PEM certificate, with the JDK's own X.509 parser. */
public final class Certificates {
    private Certificates() {
    }

    /**
     * @param pem a certificate in PEM (the first one of a chain)
     * @return its subject's CN, when it has one
     * @throws IllegalArgumentException when the text is not a certificate
     */
    public static Optional<String> subjectCn(String pem) {
        X509Certificate c;
        try {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("the certificate's subject cannot be read: " + e.getMessage(), e);
        }
        return Optional.empty();
    }
}
