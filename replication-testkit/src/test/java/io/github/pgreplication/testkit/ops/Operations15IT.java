package io.github.pgreplication.testkit.ops;

/** Switchover, failover and rejoin on PostgreSQL 15. */
class Operations15IT extends AbstractOperationsIT {
    @Override
    int major() {
        return 15;
    }
}
