package io.github.pgreplication.testkit.pgbackrest;

/** {@link AbstractPgBackRestTlsIT} on PostgreSQL 17 with pgBackRest 2.55.1. */
class PgBackRestTlsIT extends AbstractPgBackRestTlsIT {
    @Override
    int major() {
        return 17;
    }
}
