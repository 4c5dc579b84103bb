package io.github.pgreplication.pgbackrest.internal;

import java.util.Objects;

/**
 * What a failed pgBackRest (or ssh) command left behind, for exceptions and logs: where it ran, the command line
 * with secrets removed, the exit code, pgBackRest's error code and message, and the tail of its output.
 *
 * @param host         name of the host it ran on, e.g. {@code ssh:postgres@eshub}
 * @param commandLine  the command line, secrets removed
 * @param command      the pgBackRest command, e.g. {@code restore}, {@code archive-get}; {@code ssh} for a connection
 *                     check
 * @param exitCode     the process exit code
 * @param errorCode    pgBackRest's error code from its {@code ERROR: [NNN]:} line (equal to the exit code when
 *                     pgBackRest itself failed), or -1 when there is none
 * @param errorMessage pgBackRest's error message with its {@code HINT} lines, or the last output lines when there is
 *                     no {@code ERROR} line
 * @param outputTail   the last lines of the output (error output first), secrets removed
 */
public record PgBackRestFailure(String host, String commandLine, String command, int exitCode, int errorCode,
        String errorMessage, String outputTail) {

    /**
     * Checks for nulls.
     *
     * @param host         name of the host it ran on, e.g. {@code ssh:postgres@eshub}
     * @param commandLine  the command line, secrets removed
     * @param command      the pgBackRest command, e.g. {@code restore}, {@code archive-get}; {@code ssh} for a
     *                     connection check
     * @param exitCode     the process exit code
     * @param errorCode    pgBackRest's error code from its {@code ERROR: [NNN]:} line (equal to the exit code when
     *                     pgBackRest itself failed), or -1 when there is none
     * @param errorMessage pgBackRest's error message with its {@code HINT} lines, or the last output lines when there
     *                     is no {@code ERROR} line
     * @param outputTail   the last lines of the output (error output first), secrets removed
     */
    public PgBackRestFailure {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(command, "command");
        errorMessage = errorMessage == null ? "" : errorMessage;
        outputTail = outputTail == null ? "" : outputTail;
    }

    /** @return whether pgBackRest printed an {@code ERROR: [NNN]:} line */
    public boolean hasErrorCode() {
        return errorCode >= 0;
    }

    /** @return the error code as pgBackRest prints it, e.g. {@code [055]}, or {@code exit code N} without one */
    public String codeLabel() {
        return hasErrorCode() ? String.format("[%03d]", errorCode) : "exit code " + exitCode;
    }
}
