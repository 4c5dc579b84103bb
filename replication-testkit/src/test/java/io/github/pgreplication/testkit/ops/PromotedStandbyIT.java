package io.github.pgreplication.testkit.ops;

/** A standby promoted by mistake comes back by pg_rewind, on PostgreSQL 17. */
class PromotedStandbyIT extends AbstractPromotedStandbyIT {
    @Override
    int major() {
        return 17;
    }
}
