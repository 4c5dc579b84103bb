package io.github.pgreplication;

import java.util.List;

/**
 * A step of {@link Replication#apply()} failed. The message names the step, lists the steps already done
 * (re-running {@code apply()} skips them), gives the cause's message (secrets removed) and what to do next.
 */
public class StepFailedException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** The failing step's title. */
    private final String step;
    private final transient List<String> alreadyDone;

    /**
     * @param step        the failing step's title
     * @param alreadyDone titles of the steps that completed before it
     * @param message     the full message
     * @param cause       the underlying failure
     */
    public StepFailedException(String step, List<String> alreadyDone, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.alreadyDone = List.copyOf(alreadyDone);
    }

    /** @return the failing step's title */
    public String step() {
        return step;
    }

    /** @return titles of the steps completed before the failure */
    public List<String> alreadyDone() {
        return alreadyDone;
    }
}
