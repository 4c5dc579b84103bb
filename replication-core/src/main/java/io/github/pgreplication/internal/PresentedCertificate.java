package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a PostgreSQL server presents to TLS clients, read to explain a verification that failed elsewhere
 * (libpq says "certificate verify failed" for an untrusted and for an expired certificate alike): PostgreSQL's
 * SSLRequest, then a TLS handshake that accepts whatever certificate comes, because it only looks at it. Nothing is
 * sent after the handshake, no credential at all, and the connection is closed at once.
 */
public final class PresentedCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(PresentedCertificate.class);
    /** PostgreSQL's SSLRequest code (protocol 1234.5679). */
    private static final int SSL_REQUEST = 80877103;

    private PresentedCertificate() {
    }

    /**
     * @param endpoint where the server listens
     * @param timeout  for the connection and each read
     * @return the server's own certificate (the first of its chain); empty when it cannot be read (no TLS, not
     *         reachable, the handshake refused), which only leaves the failure being explained as it was
     */
    public static Optional<X509Certificate> at(Endpoint endpoint, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
            plain.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST);
            out.flush();
            if (new DataInputStream(plain.getInputStream()).read() != 'S') {
                return Optional.empty();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new LookOnly()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, endpoint.host(),
                    endpoint.port(), true)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.debug("cannot read the certificate presented at {}: {}", endpoint, e.toString());
            return Optional.empty();
        }
    }

    /** Accepts any server certificate: the handshake is there to see it, and nothing else is sent. */
    private static final class LookOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // looked at by the caller, trusted for nothing
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
