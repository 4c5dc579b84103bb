package io.github.pgreplication.testkit.durability;

/** Sync and async failover cycles on PostgreSQL 17. */
class SyncFailoverIT extends AbstractSyncFailoverIT {
    @Override
    int major() {
        return 17;
    }

    @Override
    int[] syncCycles() {
        return new int[] {13, 12};
    }
}
