package io.github.pgreplication.internal;

import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.util.Optional;

/**
 * Whether a PostgreSQL server runs from a data directory, as PostgreSQL's own {@code pg_ctl status} tells it: the PID
 * in {@code postmaster.pid} names a live process. A server that does not accept connections (starting, in crash
 * recovery, {@code hot_standby = off}) still runs, so "it does not answer SQL" is no proof that its directory may be
 * emptied or overwritten; this is.
 */
public final class RunningServer {
    private RunningServer() {
    }

    /**
     * @param host the data directory's host
     * @param dir  the data directory
     * @return pg_ctl's line ({@code pg_ctl: server is running (PID: 4242)}) when a server runs from it, or why pg_ctl
     *         could not tell (it is then treated as running); empty when none runs (exit 3) or the directory holds
     *         no cluster (exit 4)
     */
    public static Optional<String> status(Host host, String dir) {
        CommandResult r = host.execute(Command.of("pg_ctl", "status", "-D", dir).withEnvironment("LC_ALL", "C"));
        if (r.exitCode() == 3 || r.exitCode() == 4) {
            return Optional.empty();
        }
        String out = (r.succeeded() ? r.stdout() : r.stderr()).strip();
        int nl = out.indexOf('\n');
        String line = nl < 0 ? out : out.substring(0, nl);
        return Optional.of(r.succeeded() ? line : "pg_ctl status could not tell, exit " + r.exitCode() + ": "
                + Text.printable(line));
    }

    /**
     * Refuses to touch a data directory a server runs from; nothing is changed.
     *
     * @param node the node, on its host
     * @param dir  its data directory
     * @param what what would have been done, e.g. "emptied for a clone"
     * @throws OperationRefusedException of kind {@link Kind#STILL_RUNNING} when one runs
     */
    public static void requireStopped(Node node, String dir, String what) {
        Host host = node.host();
        Optional<String> running = status(host, dir);
        if (running.isPresent()) {
            throw new OperationRefusedException(Kind.STILL_RUNNING, node.name(), "A PostgreSQL server runs from the"
                    + " data directory " + dir + " of '" + node.name() + "' on " + host.name() + ", as far as pg_ctl"
                    + " status tells (" + running.get() + "), though it may not accept connections; the directory"
                    + " would be " + what
                    + " under it. Nothing was changed. Stop it first: " + stopCommand(node, dir) + "; then run the"
                    + " same call again. If no PostgreSQL runs there (a postmaster.pid left by a crash whose PID"
                    + " another process has now), remove " + dir
                    + "/postmaster.pid yourself.");
        }
    }

    /** @return the node's own stop command, or pg_ctl's when it has no service control */
    private static String stopCommand(Node node, String dir) {
        if (node.service() != null) {
            try {
                return Operations.serviceCommand(node, ServiceAction.STOP, dir).toCommandLine();
            } catch (OperationRefusedException e) {
                // no stop command of its own: pg_ctl's below
            }
        }
        return Command.of("pg_ctl", "-D", dir, "stop", "-m", "fast").toCommandLine() + " (as the server's user, or"
                + " its service manager's stop)";
    }
}
