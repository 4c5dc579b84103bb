package io.github.pgreplication.testkit;

/** A cascade of standbys on PostgreSQL 17. */
class CascadingStandbyIT extends AbstractCascadingStandbyIT {
    @Override
    int major() {
        return 17;
    }
}
