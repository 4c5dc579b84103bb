package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import java.util.List;

/**
 * Standby side: the standby's physical slot, created by the replication role itself over a replication connection
 * ({@code CREATE_REPLICATION_SLOT ... PHYSICAL RESERVE_WAL}) before the clone, so pg_basebackup ({@code -S}) and a
 * pgBackRest restore ({@code primary_slot_name}) both use it. A slot that exists already is used as it is, never
 * recreated: PostgreSQL 15+ answers {@code READ_REPLICATION_SLOT}; on older primaries the creation's "already
 * exists" decides.
 */
final class JoinSlotStep extends Step {
    private final String slot;
    private final ReplicationConnection connection;

    JoinSlotStep(Standby standby, CloneContext context) {
        super(standby.name(), "physical slot " + context.slot() + " on the primary, created over the replication"
                + " connection unless it exists", Kind.CHANGE,
                List.of(new ReplicationConnection(context).command("CREATE_REPLICATION_SLOT \"" + context.slot()
                        + "\" PHYSICAL RESERVE_WAL").toCommandLine() + "   # \"already exists\" is fine"));
        this.slot = context.slot();
        this.connection = new ReplicationConnection(context);
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        if (ctx.knownSystemIdentifier().isEmpty()) {
            return true; // the primary did not answer and the standby already exists: nothing to do now
        }
        io.github.pgreplication.host.CommandResult r = connection.execute("READ_REPLICATION_SLOT \""
                + slot.replace("\"", "\"\"") + "\"");
        return r.succeeded() && r.stdout().strip().startsWith("physical|");
    }

    @Override
    public String run(ApplyContext ctx) {
        return connection.createSlot(slot) ? "created" : "exists already: used as it is";
    }
}
