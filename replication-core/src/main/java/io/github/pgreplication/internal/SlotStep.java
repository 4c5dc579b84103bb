package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import java.util.List;

/** Creates a physical replication slot that reserves WAL immediately; done when it already exists. */
final class SlotStep extends Step {
    private final String slot;
    private final String standby;

    SlotStep(String node, String slot, String standby) {
        super(node, "physical replication slot " + slot + " for standby " + standby, Kind.CHANGE,
                List.of(SqlText.psql("SELECT * FROM pg_create_physical_replication_slot("
                        + SqlText.displayLiteral(slot) + ", true)")));
        this.slot = slot;
        this.standby = standby;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        boolean onPrimary = node().equals(ctx.config().primary().name());
        return ctx.session(node()).queryValue(Sql.SLOT_TYPE, slot).map(type -> {
            if (!"physical".equals(type)) {
                throw new ReplicationException("Slot '" + slot + "' for standby '" + standby + "' exists on "
                        + (onPrimary ? "the primary" : "its upstream '" + node() + "'") + " as a " + type + " slot. Drop it (SELECT pg_drop_replication_slot('" + slot
                        + "')) if unused, or give the standby another slot with .withSlot(...).");
            }
            return true;
        }).orElse(false);
    }

    @Override
    public String run(ApplyContext ctx) {
        ctx.session(node()).queryValue(Sql.CREATE_SLOT, slot);
        return "created, WAL reserved";
    }
}
