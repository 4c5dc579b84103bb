package io.github.pgreplication;

/**
 * Root of every exception this library throws. Unchecked: a replication set-up that fails is not something a
 * caller can usually recover from locally, and every subclass carries a message that says what to do next.
 */
public class ReplicationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, the offending value, and the next step */
    public ReplicationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, the offending value, and the next step
     * @param cause   the underlying failure
     */
    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
