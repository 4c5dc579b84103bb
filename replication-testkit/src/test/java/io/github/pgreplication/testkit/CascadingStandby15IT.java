package io.github.pgreplication.testkit;

/** A cascade of standbys on PostgreSQL 15. */
class CascadingStandby15IT extends AbstractCascadingStandbyIT {
    @Override
    int major() {
        return 15;
    }
}
