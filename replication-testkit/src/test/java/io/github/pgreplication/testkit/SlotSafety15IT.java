package io.github.pgreplication.testkit;

/** Slot safety on PostgreSQL 15. */
class SlotSafety15IT extends AbstractSlotSafetyIT {
    @Override
    int major() {
        return 15;
    }
}
