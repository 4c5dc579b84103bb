package io.github.pgreplication.internal;

import io.github.pgreplication.StandbyNotStreamingException;
import io.github.pgreplication.Standby;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits until the standby reports pg_is_in_recovery() and a streaming WAL receiver, and the primary lists it
 * (application_name = standby name) as streaming in pg_stat_replication.
 */
final class VerifyStandbyStep extends Step {
    private final Standby standby;

    VerifyStandbyStep(Standby standby) {
        super(standby.name(), "standby is in recovery, its WAL receiver streams, the primary lists it streaming",
                Kind.CHECK, List.of("psql -p " + standby.port() + " -c \"SELECT pg_is_in_recovery(), status FROM"
                        + " pg_stat_wal_receiver\"   # on the standby: t, streaming",
                        SqlText.psql("SELECT application_name, state FROM pg_stat_replication")
                                + "   # on the primary: " + standby.name() + ", streaming"));
        this.standby = standby;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        AtomicReference<StandbyProbe.State> last = new AtomicReference<>();
        AtomicReference<Boolean> primarySees = new AtomicReference<>(false);
        boolean ok = ApplyContext.waitFor(ctx.config().streamingTimeout(), () -> {
            StandbyProbe.State s = ctx.probe(standby).probe();
            last.set(s);
            if (!s.streaming()) {
                return false;
            }
            primarySees.set(!"0".equals(ctx.primaryDb().queryValue(Sql.STANDBY_STREAMING, standby.name())
                    .orElse("0")));
            return primarySees.get();
        });
        if (!ok) {
            String log = standby.host().readFile(standby.dataDirectory() + ".log")
                    .map(t -> "\nLast lines of " + standby.dataDirectory() + ".log:\n"
                            + String.join("\n", t.lines().skip(Math.max(0, t.lines().count() - 15)).toList()))
                    .orElse("");
            throw new StandbyNotStreamingException(standby.name(), "Standby '" + standby.name() + "' is not streaming"
                    + " after " + ctx.config().streamingTimeout().toSeconds() + " s. It reports: " + last.get()
                    + "; the primary " + (primarySees.get() ? "lists" : "does not list") + " it in"
                    + " pg_stat_replication. Check that pg_hba.conf on the primary admits the replication role from"
                    + " the standby's address, that the slot exists, and the standby's server log."
                    + SyncReplication.note(ctx.primaryDb(), standby.name()) + log);
        }
        return "streaming";
    }
}
