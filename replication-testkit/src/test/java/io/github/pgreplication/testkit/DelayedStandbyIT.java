package io.github.pgreplication.testkit;

/** A delayed standby on PostgreSQL 17. */
class DelayedStandbyIT extends AbstractDelayedStandbyIT {
    @Override
    int major() {
        return 17;
    }
}
