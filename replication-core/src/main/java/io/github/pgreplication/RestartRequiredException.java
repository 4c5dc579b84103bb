package io.github.pgreplication;

import java.util.List;

/**
 * Settings were written but need a server restart to take effect, and the node has no
 * {@link io.github.pgreplication.host.ServiceControl} to restart it with.
 */
public class RestartRequiredException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> parameters;

    /**
     * @param node       the node's name
     * @param parameters the parameters left {@code pending_restart}
     */
    public RestartRequiredException(String node, List<String> parameters) {
        super("Settings " + parameters + " on '" + node + "' were written with ALTER SYSTEM but only take effect"
                + " after a restart (pg_settings.pending_restart). Restart the server yourself and re-run apply(),"
                + " or let the library do it: Primary.withService(ServiceControl.pgCtl()) or"
                + " ServiceControl.command(List.of(\"systemctl\", \"restart\", \"postgresql\")).");
        this.parameters = List.copyOf(parameters);
    }

    /** @return the parameters that need the restart */
    public List<String> parameters() {
        return parameters;
    }
}
