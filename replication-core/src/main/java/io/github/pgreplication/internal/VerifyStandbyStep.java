package io.github.pgreplication.internal;

import io.github.pgreplication.StandbyNotStreamingException;
import io.github.pgreplication.Standby;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits until the standby reports pg_is_in_recovery() and a streaming WAL receiver, and the primary lists it
 * (application_name = standby name) as streaming in pg_stat_replication through its own slot (the slot's active_pid is
 * that WAL sender's). A standby that streams without its slot is refused at once: nothing protects the WAL it still
 * needs, and waiting would not change it.
 */
final class VerifyStandbyStep extends Step {
    private final Standby standby;

    VerifyStandbyStep(Standby standby) {
        this(standby, null);
    }

    /** @param upstream the standby it streams from (a cascading standby), or null for the primary */
    VerifyStandbyStep(Standby standby, String upstream) {
        super(standby.name(), "standby is in recovery, its WAL receiver streams, " + (upstream == null ? "the primary"
                : "its upstream " + upstream) + " lists it streaming through slot " + standby.effectiveSlotName(),
                Kind.CHECK, List.of("psql -p " + standby.port() + " -c \"SELECT pg_is_in_recovery(), status FROM"
                        + " pg_stat_wal_receiver\"   # on the standby: t, streaming",
                        SqlText.psql("SELECT r.application_name, r.state, s.slot_name FROM pg_stat_replication r"
                                + " LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid")
                                + "   # on " + (upstream == null ? "the primary" : upstream) + ": " + standby.name()
                                + ", streaming, "
                                + standby.effectiveSlotName()));
        this.standby = standby;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        String slot = standby.effectiveSlotName();
        String source = ctx.config().sourceOf(standby).name();
        String sourceText = source.equals(ctx.config().primary().name()) ? "the primary" : "its upstream " + source;
        SqlSession upstream = ctx.session(source);
        AtomicReference<StandbyProbe.State> last = new AtomicReference<>();
        AtomicReference<Boolean> primarySees = new AtomicReference<>(false);
        AtomicReference<String> slotSeen = new AtomicReference<>();
        AtomicInteger looks = new AtomicInteger();
        boolean ok = ApplyContext.waitFor(ctx.config().streamingTimeout(), () -> {
            StandbyProbe.State s = ctx.probe(standby).probe();
            last.set(s);
            if (!s.streaming()) {
                if (looks.incrementAndGet() % 8 == 0) { // about once a second, never on the first look
                    refuseIfSlotLost(upstream, sourceText, slot);
                }
                return false;
            }
            Optional<String> seen = upstream.queryValue(Sql.STANDBY_STREAMING_SLOT, standby.name(), slot);
            primarySees.set(seen.isPresent());
            seen.ifPresent(slotSeen::set);
            return seen.isPresent();
        });
        if (ok && !slot.equals(slotSeen.get())) {
            throw new StandbyNotStreamingException(standby.name(), "Standby '" + standby.name() + "' streams, but"
                    + " not through its slot '" + slot + "': " + (sourceText.equals("the primary") ? "the primary's WAL"
                    + " sender for it" : "the WAL sender for it on " + sourceText) + " holds "
                    + (slotSeen.get().isEmpty() ? "no slot" : "slot '" + slotSeen.get() + "'")
                    + ", so " + sourceText + " may remove WAL this standby still needs. Set primary_slot_name = '"
                    + slot + "' in the standby's postgresql.auto.conf (ALTER SYSTEM on the standby, then a reload) and check"
                    + " that the slot exists on " + sourceText + " (SELECT slot_name, active FROM"
                    + " pg_replication_slots).");
        }
        if (!ok) {
            String log = standby.host().readFile(standby.dataDirectory() + ".log")
                    .map(t -> "\nLast lines of " + standby.dataDirectory() + ".log:\n"
                            + String.join("\n", t.lines().skip(Math.max(0, t.lines().count() - 15)).toList()))
                    .orElse("");
            throw new StandbyNotStreamingException(standby.name(), "Standby '" + standby.name() + "' is not streaming"
                    + " after " + ctx.config().streamingTimeout().toSeconds() + " s. It reports: " + last.get()
                    + "; " + sourceText + " " + (primarySees.get() ? "lists" : "does not list") + " it in"
                    + " pg_stat_replication. Check that pg_hba.conf on " + sourceText + " admits the replication role"
                    + " from the standby's address, that the slot exists, and the standby's server log."
                    + SyncReplication.note(ctx.primaryDb(), standby.name()) + log);
        }
        return "streaming";
    }

    /**
     * A standby whose slot lost the WAL it needs cannot stream from it again, however long one waits: said at once,
     * with the operation that brings it back.
     */
    private void refuseIfSlotLost(SqlSession upstream, String sourceText, String slot) {
        if (upstream.queryValue(Sql.SLOT_WAL_STATUS, slot).filter("lost"::equals).isPresent()) {
            throw new StandbyNotStreamingException(standby.name(), "Standby '" + standby.name() + "' cannot stream:"
                    + " its slot '" + slot + "' on " + sourceText + " lost the WAL it needs (wal_status lost: "
                    + (sourceText.equals("the primary") ? "the primary" : "it") + " removed WAL beyond max_slot_wal_keep_size while the standby was away). Re-sync it:"
                    + " replication.resync(Resync.node(\"" + standby.name() + "\")), which drops and creates the"
                    + " slot again and needs Standby.named(\"" + standby.name() + "\")"
                    + "....withEmptyDataDirectoryAllowed(true) to overwrite its data directory.");
        }
    }
}
