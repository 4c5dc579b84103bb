package io.github.pgreplication.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file's mode and text in one command, for hosts where every command is a round trip (SSH): a constant
 * {@code sh} script that prints the mode ({@code stat -L -c %a}, as {@link Host#fileMode(String)} does) on its
 * first line, then the text ({@code cat}). The path is the script's argument {@code $1}, never part of it.
 */
public final class ReadWithMode {
    static final String SCRIPT = "stat -L -c %a -- \"$1\" && exec cat -- \"$1\"";
    private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");

    private ReadWithMode() {
    }

    /** @param path the file @return the command: {@code sh -c SCRIPT sh PATH}, messages in English */
    public static Command command(String path) {
        return Command.of("sh", "-c", SCRIPT, "sh", path).withEnvironment("LC_ALL", "C");
    }

    /**
     * @param host where the file is
     * @param path the file
     * @return its text and mode, or empty when there is no such file (said by stat or cat, or by
     *         {@link Host#exists(String)} after another failure)
     * @throws CommandFailedException when the file exists but cannot be examined or read
     */
    public static Optional<FileWithMode> read(Host host, String path) {
        Command command = command(path);
        CommandResult result = host.execute(command);
        if (result.succeeded()) {
            String out = result.stdout();
            int nl = out.indexOf('\n');
            String mode = nl < 0 ? out.strip() : out.substring(0, nl).strip();
            if (nl < 0 || !MODE.matcher(mode).matches()) {
                throw new CommandFailedException(host.name(), command.toCommandLine(), result.exitCode(), false,
                        "first line: " + Text.printable(mode),
                        "stat -L -c %a printed no octal mode: this host's stat is not GNU's. Give the host a PATH"
                        + " where GNU coreutils' stat comes first.");
            }
            return Optional.of(new FileWithMode(out.substring(nl + 1), mode));
        }
        if (result.stderr().contains("No such file or directory") || !host.exists(path)) {
            return Optional.empty();
        }
        throw new CommandFailedException(host.name(), command.toCommandLine(), result.exitCode(), false,
                result.tail(5), "The file exists but cannot be examined or read by this host's user.");
    }
}
