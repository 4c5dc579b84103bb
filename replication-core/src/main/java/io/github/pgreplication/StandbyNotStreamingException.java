package io.github.pgreplication;

/**
 * A standby was started but did not reach the {@code streaming} state in time, or stopped streaming. The message
 * carries what the standby and the primary reported, and the tail of the standby's server log when available.
 */
public class StandbyNotStreamingException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** The standby's name. */
    private final String standby;

    /**
     * @param standby the standby's name
     * @param message what was observed and what to check next
     */
    public StandbyNotStreamingException(String standby, String message) {
        super(message);
        this.standby = standby;
    }

    /** @return the standby's name */
    public String standby() {
        return standby;
    }
}
