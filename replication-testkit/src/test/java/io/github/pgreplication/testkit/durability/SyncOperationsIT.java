package io.github.pgreplication.testkit.durability;

/** The operations under a synchronous policy on PostgreSQL 17. */
class SyncOperationsIT extends AbstractSyncOperationsIT {
    @Override
    int major() {
        return 17;
    }
}
