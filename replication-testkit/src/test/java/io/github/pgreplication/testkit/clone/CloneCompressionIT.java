package io.github.pgreplication.testkit.clone;

/** Every compression of pg_basebackup on PostgreSQL 17. */
class CloneCompressionIT extends AbstractCloneCompressionIT {
    @Override
    int major() {
        return 17;
    }
}
