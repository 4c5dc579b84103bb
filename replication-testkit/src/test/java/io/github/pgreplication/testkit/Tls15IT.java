package io.github.pgreplication.testkit;

/** TLS and certificate authentication on PostgreSQL 15. */
class Tls15IT extends AbstractTlsIT {
    @Override
    int major() {
        return 15;
    }
}
