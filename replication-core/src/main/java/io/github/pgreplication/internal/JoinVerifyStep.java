package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.StandbyNotStreamingException;
import io.github.pgreplication.Standby;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Standby side: waits until the standby is in recovery with a streaming WAL receiver, then until its replay reaches
 * what it had received at that moment (replay advances). Asks only the standby.
 */
final class JoinVerifyStep extends Step {
    /** Received and replayed positions, on one line. */
    static final String POSITIONS = "SELECT coalesce(pg_last_wal_receive_lsn()::text, ''),"
            + " coalesce(pg_last_wal_replay_lsn()::text, '')";

    private final Standby standby;

    JoinVerifyStep(Standby standby) {
        super(standby.name(), "standby is in recovery, its WAL receiver streams, its replay advances", Kind.CHECK,
                List.of("psql -p " + standby.port() + " -c \"SELECT pg_is_in_recovery(), status FROM"
                        + " pg_stat_wal_receiver\"   # t, streaming",
                        "psql -p " + standby.port() + " -c \"" + POSITIONS + "\"   # replayed reaches received"));
        this.standby = standby;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        AtomicReference<StandbyProbe.State> last = new AtomicReference<>();
        AtomicReference<Lsn> target = new AtomicReference<>();
        AtomicReference<Lsn> replayed = new AtomicReference<>();
        boolean ok = ApplyContext.waitFor(ctx.config().streamingTimeout(), () -> {
            if (target.get() == null) {
                StandbyProbe.State s = ctx.probe(standby).probe();
                last.set(s);
                if (!s.streaming()) {
                    return false;
                }
            }
            List<String> row = ctx.probe(standby).row(POSITIONS).orElse(List.of());
            if (row.size() < 2 || row.get(0).isEmpty() || row.get(1).isEmpty()) {
                return false;
            }
            if (target.get() == null) {
                target.set(Lsn.parse(row.get(0)));
            }
            replayed.set(Lsn.parse(row.get(1)));
            return replayed.get().compareTo(target.get()) >= 0;
        });
        if (!ok) {
            throw new StandbyNotStreamingException(standby.name(), "Standby '" + standby.name() + "' is not streaming"
                    + " after " + ctx.config().streamingTimeout().toSeconds() + " s. It reports: " + last.get()
                    + (target.get() == null ? "" : "; replayed " + replayed.get() + " of " + target.get() + " received")
                    + ". Check the standby's server log: a refused replication connection there names the pg_hba"
                    + " rule, password or slot the primary's side must fix.");
        }
        return "streaming, replayed up to " + replayed.get();
    }
}
