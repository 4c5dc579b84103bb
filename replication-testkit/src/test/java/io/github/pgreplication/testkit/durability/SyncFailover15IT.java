package io.github.pgreplication.testkit.durability;

/** Sync and async failover cycles on PostgreSQL 15: with the 17 run, 50 cycles under a policy in all. */
class SyncFailover15IT extends AbstractSyncFailoverIT {
    @Override
    int major() {
        return 15;
    }

    @Override
    int[] syncCycles() {
        return new int[] {13, 12};
    }
}
