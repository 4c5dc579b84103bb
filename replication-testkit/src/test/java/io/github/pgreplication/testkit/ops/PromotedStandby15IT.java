package io.github.pgreplication.testkit.ops;

/** A standby promoted by mistake comes back by pg_rewind, on PostgreSQL 15. */
class PromotedStandby15IT extends AbstractPromotedStandbyIT {
    @Override
    int major() {
        return 15;
    }
}
