package io.github.pgreplication.testkit;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.internal.PresentedCertificate;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** The certificate a PostgreSQL server presents, as a client sees it: the core's {@link PresentedCertificate}. */
final class ServerCertificate {
    private ServerCertificate() {
    }

    static X509Certificate of(Endpoint endpoint) throws IOException {
        return PresentedCertificate.at(endpoint, Duration.ofSeconds(10))
                .orElseThrow(() -> new IOException("no certificate read at " + endpoint + ": no TLS, or unreachable"));
    }
}
