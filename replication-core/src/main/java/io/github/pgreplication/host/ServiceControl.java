package io.github.pgreplication.host;

import io.github.pgreplication.internal.PathRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a node's PostgreSQL server is started, stopped and restarted. Reloads need no service control: the
 * library calls {@code pg_reload_conf()}.
 *
 * <pre>{@code
 * ServiceControl.pgCtl();                                                    // pg_ctl on the node's host
 * ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")); // the first runbook's way
 * ServiceControl.command(List.of("systemctl", "restart", "postgresql@17-main"));
 * }</pre>
 */
public interface ServiceControl {
    /**
     * @param action        what to do
     * @param dataDirectory the server's data directory on the node's host
     * @return the command that does it, as it would be typed by hand
     */
    Command command(ServiceAction action, String dataDirectory);

    /**
     * Performs the action on the node's host, or on the host this control was bound to.
     *
     * @param action        what to do
     * @param nodeHost      the node's host
     * @param dataDirectory the server's data directory
     */
    default void perform(ServiceAction action, Host nodeHost, String dataDirectory) {
        nodeHost.run(command(action, dataDirectory));
    }

    /**
     * {@code pg_ctl -D DIR -w -t 120 -l DIR.log start|stop -m fast|restart -m fast}, run on the node's host as
     * its user. The server log goes beside the data directory ({@code DIR.log}), not inside it, so base
     * backups do not copy it: {@code DIR.log} is built from the normalised directory, so {@code /srv/pg/data/}
     * logs to {@code /srv/pg/data.log} (a {@link io.github.pgreplication.Node}'s data directory is normalised
     * already).
     *
     * @return the pg_ctl control
     */
    static ServiceControl pgCtl() {
        return pgCtl(Duration.ofSeconds(120));
    }

    /**
     * @param wait how long pg_ctl waits for the server (its {@code -t})
     * @return the pg_ctl control
     */
    static ServiceControl pgCtl(Duration wait) {
        Objects.requireNonNull(wait, "wait must not be null: give e.g. Duration.ofSeconds(120)");
        return (action, dir) -> {
            List<String> argv = new ArrayList<>(List.of("pg_ctl", "-D", dir, "-w", "-t",
                    Long.toString(wait.toSeconds()), "-l", PathRules.normaliseIfValid(dir) + ".log"));
            switch (action) {
                case START -> argv.add("start");
                case STOP -> argv.addAll(List.of("stop", "-m", "fast"));
                case RESTART -> argv.addAll(List.of("restart", "-m", "fast"));
                default -> throw new IllegalStateException(action.name());
            }
            return Command.of(argv).withTimeout(wait.plusSeconds(30));
        };
    }

    /**
     * A user-given restart command, used for every action that starts the server (restart also starts a stopped
     * service with rcctl and systemctl). Runs on the node's host.
     *
     * @param restart program and arguments, e.g. {@code doas rcctl restart postgresql}
     * @return the control
     */
    static ServiceControl command(List<String> restart) {
        Objects.requireNonNull(restart, "restart command must not be null: give e.g. List.of(\"doas\", \"rcctl\","
                + " \"restart\", \"postgresql\")");
        return commands(Map.of(ServiceAction.RESTART, restart, ServiceAction.START, restart));
    }

    /**
     * User-given commands per action, run on the node's host.
     *
     * @param commands program and arguments per action; an action without one fails with a clear message
     * @return the control
     */
    static ServiceControl commands(Map<ServiceAction, List<String>> commands) {
        Objects.requireNonNull(commands, "commands must not be null: give e.g. Map.of(ServiceAction.RESTART,"
                + " List.of(\"systemctl\", \"restart\", \"postgresql\"))");
        commands.forEach((action, argv) -> {
            Objects.requireNonNull(action, "service action must not be null");
            Objects.requireNonNull(argv, "command for " + action + " must not be null: give its program and arguments");
        });
        Map<ServiceAction, List<String>> copy = Map.copyOf(commands);
        return (action, dir) -> {
            List<String> argv = copy.get(action);
            if (argv == null) {
                throw new IllegalStateException("no command given to " + action.name().toLowerCase()
                        + " the server; add one: ServiceControl.commands(Map.of(ServiceAction."
                        + action.name() + ", List.of(...)))");
            }
            return Command.of(argv);
        };
    }

    /**
     * @param control a control
     * @param host    the host its commands must run on (for example a root-capable host, when the node's host
     *                runs as {@code postgres})
     * @return a control that runs {@code control}'s commands on {@code host}
     */
    static ServiceControl on(Host host, ServiceControl control) {
        Objects.requireNonNull(host, "host must not be null: give the Host the commands run on");
        Objects.requireNonNull(control, "control must not be null: give e.g. ServiceControl.pgCtl()");
        return new ServiceControl() {
            @Override
            public Command command(ServiceAction action, String dataDirectory) {
                return control.command(action, dataDirectory);
            }

            @Override
            public void perform(ServiceAction action, Host nodeHost, String dataDirectory) {
                host.run(command(action, dataDirectory));
            }
        };
    }

    /** What a {@link ServiceControl} is asked to do to a PostgreSQL server. */
    public enum ServiceAction {
        /** Start a stopped server. */
        START,
        /** Stop a running server (fast shutdown). */
        STOP,
        /** Stop if running, then start. */
        RESTART
    }
}
