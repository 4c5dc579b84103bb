package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.util.List;

/** Starts the standby through its ServiceControl; done when it already answers. */
final class StartStandbyStep extends Step {
    private final Standby standby;

    StartStandbyStep(Standby standby) {
        super(standby.name(), "start the standby (read-only, hot standby)", Kind.CHANGE,
                List.of(standby.service().command(ServiceAction.START, standby.dataDirectory()).toCommandLine()));
        this.standby = standby;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        // Just cloned (clones never carry postmaster.pid) or no postmaster.pid: certainly not running, no need to
        // wait for a connection attempt to fail.
        if (ctx.inPlace(standby)) {
            return true; // it answered, in recovery, from this data directory
        }
        return !ctx.clonedNow(standby.name())
                && standby.host().exists(standby.dataDirectory() + "/postmaster.pid")
                && ctx.probe(standby).probe().reachable();
    }

    @Override
    public String run(ApplyContext ctx) {
        standby.service().perform(ServiceAction.START, standby.host(), standby.dataDirectory());
        return "started";
    }
}
