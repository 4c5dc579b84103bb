package io.github.pgreplication.testkit.durability;

/** The operations under a synchronous policy on PostgreSQL 15. */
class SyncOperations15IT extends AbstractSyncOperationsIT {
    @Override
    int major() {
        return 15;
    }
}
