package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standby side: opens a replication connection to the primary as the replication role ({@code IDENTIFY_SYSTEM}),
 * learning its system identifier, so that a refusal (pg_hba, password, REPLICATION attribute, max_wal_senders) is
 * said before anything is cloned, with the primary's fix. When the data directory already holds a standby, a
 * primary that does not answer is not an error: the standby is kept and recovers from the archive until it does.
 */
final class ReplicationAccessStep extends Step {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationAccessStep.class);

    private final Standby standby;
    private final ReplicationConnection connection;

    ReplicationAccessStep(Standby standby, CloneContext context) {
        super(standby.name(), "replication connection to " + context.primary().endpoint() + " as "
                + context.role().name() + " (IDENTIFY_SYSTEM)", Kind.CHECK,
                List.of(new ReplicationConnection(context).command("IDENTIFY_SYSTEM").toCommandLine()
                        + "   # prints systemid|timeline|xlogpos|"));
        this.standby = standby;
        this.connection = new ReplicationConnection(context);
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        try {
            String id = connection.identifySystem();
            ctx.learnSystemIdentifier(id);
            return "system identifier " + id;
        } catch (ReplicationException e) {
            List<String> entries = standby.host().list(standby.dataDirectory());
            if (entries.contains("PG_VERSION") && entries.contains("standby.signal")) {
                LOG.warn("{}", e.getMessage()); // the message starts with [standby]
                return "the primary did not accept the connection; the standby already in "
                        + standby.dataDirectory() + " is kept and recovers from the archive until it does: "
                        + firstLine(e.getMessage());
            }
            throw e;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
