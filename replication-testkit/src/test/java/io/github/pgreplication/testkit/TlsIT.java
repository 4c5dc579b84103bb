package io.github.pgreplication.testkit;

/** TLS and certificate authentication on PostgreSQL 17. */
class TlsIT extends AbstractTlsIT {
    @Override
    int major() {
        return 17;
    }
}
