package io.github.pgreplication.testkit.ops;

/** Switchover, failover and rejoin on PostgreSQL 17. */
class OperationsIT extends AbstractOperationsIT {
    @Override
    int major() {
        return 17;
    }
}
