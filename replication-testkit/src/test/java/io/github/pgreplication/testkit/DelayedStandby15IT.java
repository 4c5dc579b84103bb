package io.github.pgreplication.testkit;

/** A delayed standby on PostgreSQL 15. */
class DelayedStandby15IT extends AbstractDelayedStandbyIT {
    @Override
    int major() {
        return 15;
    }
}
