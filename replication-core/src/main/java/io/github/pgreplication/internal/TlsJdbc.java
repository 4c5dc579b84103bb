package io.github.pgreplication.internal;

import io.github.pgreplication.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The library's own JDBC sessions with a node's admin TLS material: PgJDBC's {@code sslmode}, {@code sslrootcert},
 * {@code sslcert}, {@code sslkey}, {@code channelBinding}.
 *
 * <p>PgJDBC 42.7.14 reads {@code sslkey} as PKCS#8, either DER (a {@code .pk8} file) or PEM
 * ({@code -----BEGIN PRIVATE KEY-----}, its {@code Pk8OrPemKeyManager}); a PEM key's algorithm is its
 * {@code pemKeyAlgorithm} property, RSA by default, so an EC key (what the testkit's CA issues) needs
 * {@code pemKeyAlgorithm=EC}: it is read from the key itself here. A traditional {@code BEGIN EC PRIVATE KEY} or
 * {@code BEGIN RSA PRIVATE KEY} file is not read by PgJDBC: convert it with {@code openssl pkcs8 -topk8 -nocrypt}.
 */
final class TlsJdbc {
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private TlsJdbc() {
    }

    /**
     * @param ds  the driver's source
     * @param tls what the sessions present; null leaves the driver's defaults ({@code sslmode=prefer})
     */
    static void configure(PGSimpleDataSource ds, Tls.Client tls) {
        if (tls == null) {
            return;
        }
        ds.setSslMode(tls.mode().keyword());
        if (tls.rootCertificateFile() != null) {
            ds.setSslRootCert(tls.rootCertificateFile());
        }
        if (tls.certificateFile() != null) {
            ds.setSslCert(tls.certificateFile());
            ds.setSslKey(tls.keyFile());
            pemKeyAlgorithm(Path.of(tls.keyFile())).ifPresent(a -> ds.setProperty(PGProperty.PEM_KEY_ALGORITHM, a));
        } else {
            // Without this, PgJDBC offers ~/.postgresql/postgresql.crt when it exists: present nothing instead.
            ds.setSslCert("");
        }
        if (tls.channelBinding()) {
            ds.setProperty(PGProperty.CHANNEL_BINDING, "require");
        }
    }

    /**
     * @param key a key file on this machine
     * @return the algorithm of a PKCS#8 PEM key (EC, RSA, Ed25519...), when it is one and readable
     */
    static Optional<String> pemKeyAlgorithm(Path key) {
        try {
            String text = Files.readString(key, StandardCharsets.US_ASCII);
            int begin = text.indexOf(PEM_BEGIN);
            int end = text.indexOf(PEM_END);
            if (begin < 0 || end < begin) {
                return Optional.empty();
            }
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + PEM_BEGIN.length(), end));
            for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448", "DSA"}) {
                try {
                    KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    return Optional.of(algorithm);
                } catch (GeneralSecurityException e) {
                    // not this algorithm: try the next
                }
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // the driver reports the file itself when it opens it
        }
    }
}
