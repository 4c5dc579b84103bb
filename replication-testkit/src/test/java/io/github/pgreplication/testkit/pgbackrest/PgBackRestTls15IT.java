package io.github.pgreplication.testkit.pgbackrest;

/** {@link AbstractPgBackRestTlsIT} on PostgreSQL 15 with pgBackRest 2.45. */
class PgBackRestTls15IT extends AbstractPgBackRestTlsIT {
    @Override
    int major() {
        return 15;
    }
}
