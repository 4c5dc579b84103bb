package io.github.pgreplication.testkit.clone;

/** Every compression of pg_basebackup on PostgreSQL 15, the first with server-side compression. */
class CloneCompression15IT extends AbstractCloneCompressionIT {
    @Override
    int major() {
        return 15;
    }
}
