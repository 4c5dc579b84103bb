package io.github.pgreplication.testkit;

/** Slot safety on PostgreSQL 17. */
class SlotSafetyIT extends AbstractSlotSafetyIT {
    @Override
    int major() {
        return 17;
    }
}
