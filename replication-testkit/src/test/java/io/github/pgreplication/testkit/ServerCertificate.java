package io.github.pgreplication.testkit;

import io.github.pgreplication.Endpoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a PostgreSQL server presents, as a client sees it: PostgreSQL's SSLRequest, then a TLS handshake
 * that trusts anything (to look, not to authenticate) and reads the peer's certificate.
 */
final class ServerCertificate {
    private static final int SSL_REQUEST = 80877103;

    private ServerCertificate() {
    }

    static X509Certificate of(Endpoint endpoint) throws IOException, GeneralSecurityException {
        try (Socket plain = new Socket(endpoint.host(), endpoint.port())) {
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST);
            out.flush();
            int answer = new DataInputStream(plain.getInputStream()).read();
            if (answer != 'S') {
                throw new IOException("the server at " + endpoint + " answered '" + (char) answer + "' to SSLRequest:"
                        + " no TLS");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, endpoint.host(),
                    endpoint.port(), false)) {
                tls.startHandshake();
                return (X509Certificate) tls.getSession().getPeerCertificates()[0];
            }
        }
    }
}
