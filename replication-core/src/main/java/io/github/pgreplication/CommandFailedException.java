package io.github.pgreplication;

/**
 * A program run on a {@link io.github.pgreplication.host.Host} failed or timed out. Carries the command with
 * secrets removed, the exit code, whether it timed out, and a bounded tail of its error output.
 */
public class CommandFailedException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** Where the command ran. */
    private final String host;
    /** The command line, secrets removed. */
    private final String command;
    /** The exit code, -1 when unknown. */
    private final int exitCode;
    /** Whether the command was stopped by its timeout. */
    private final boolean timedOut;
    /** The last lines of the command's error output (or standard output when that was empty). */
    private final String stderrTail;

    /**
     * @param host       where it ran
     * @param command    the command line, secrets removed
     * @param exitCode   the exit code, -1 when unknown
     * @param timedOut   whether it was stopped by its timeout
     * @param stderrTail the last lines of its error output (or standard output when that was empty)
     * @param hint       what to do next; may be empty
     */
    public CommandFailedException(String host, String command, int exitCode, boolean timedOut, String stderrTail,
            String hint) {
        super(render(host, command, exitCode, timedOut, stderrTail, hint));
        this.host = host;
        this.command = command;
        this.exitCode = exitCode;
        this.timedOut = timedOut;
        this.stderrTail = stderrTail;
    }

    private static String render(String host, String command, int exitCode, boolean timedOut, String tail,
            String hint) {
        StringBuilder sb = new StringBuilder("Command on ").append(host).append(timedOut
                ? " timed out: " : " failed with exit code " + exitCode + ": ").append(command);
        if (tail != null && !tail.isBlank()) {
            sb.append(System.lineSeparator()).append("Its output ended with:").append(System.lineSeparator())
                    .append(tail.strip().indent(2).stripTrailing());
        }
        if (hint != null && !hint.isBlank()) {
            sb.append(System.lineSeparator()).append(hint);
        }
        return sb.toString();
    }

    /** @return where the command ran */
    public String host() {
        return host;
    }

    /** @return the command line, secrets removed */
    public String command() {
        return command;
    }

    /** @return the exit code, -1 when unknown */
    public int exitCode() {
        return exitCode;
    }

    /** @return whether the command was stopped by its timeout */
    public boolean timedOut() {
        return timedOut;
    }

    /** @return the last lines of the command's error output */
    public String stderrTail() {
        return stderrTail;
    }
}
