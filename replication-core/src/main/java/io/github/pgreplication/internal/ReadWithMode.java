package io.github.pgreplication.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file's mode and text in one command, for hosts where every command is a round trip (SSH): a constant
 * {@code sh} script that prints the file mode of {@code ls -ldL} (POSIX's long format: {@code -rw-r-----}; GNU's
 * {@code stat -c} is not on OpenBSD) on its first line, then the text ({@code cat}). The path is the script's argument
 * {@code $1}, never part of it. {@link #octal(String)} turns that mode into octal, as {@link Host#fileMode(String)}
 * does with the same {@code ls}.
 */
public final class ReadWithMode {
    /** Only the mode's ten characters are printed: the rest of the line shows the path, which may hold a newline. */
    static final String SCRIPT = "m=$(ls -ldL -- \"$1\") && printf '%.10s\\n' \"$m\" && exec cat -- \"$1\"";
    /** POSIX's file mode of {@code ls -l}: the type, then three triplets (s/S set-id, t/T sticky). */
    private static final Pattern LONG_FORMAT_MODE = Pattern.compile(
            "^.([r-])([w-])([xsS-])([r-])([w-])([xsS-])([r-])([w-])([xtT-])");

    /** What a host whose {@code ls -ldL} printed something else is told. */
    public static final String NO_MODE = "ls -ldL printed no file mode (as -rw-r-----) at the start of its line: this"
            + " host's ls does not write POSIX's long format. Give the host a PATH where a POSIX ls comes first.";

    private ReadWithMode() {
    }

    /**
     * @param longFormat a line of {@code ls -l}, or its first ten characters
     * @return the permission bits in octal without leading zeros, as {@code stat -c %a} would print them ({@code 640},
     *         {@code 4751}, {@code 0}); empty when the line does not start with a file mode
     */
    public static Optional<String> octal(String longFormat) {
        Matcher m = LONG_FORMAT_MODE.matcher(longFormat);
        if (!m.find()) {
            return Optional.empty();
        }
        int bits = 0;
        for (int i = 0; i < 9; i++) {
            char c = m.group(i + 1).charAt(0);
            if (c != '-' && c != 'S' && c != 'T') {
                bits |= 1 << (8 - i); // r, w, x, or s/t with x
            }
        }
        char owner = m.group(3).charAt(0);
        char group = m.group(6).charAt(0);
        char other = m.group(9).charAt(0);
        bits |= (owner == 's' || owner == 'S' ? 04000 : 0) | (group == 's' || group == 'S' ? 02000 : 0)
                | (other == 't' || other == 'T' ? 01000 : 0);
        return Optional.of(Integer.toOctalString(bits));
    }

    /**
     * @param path the file
     * @return the command: {@code sh -c SCRIPT sh PATH}, messages in English
     */
    public static Command command(String path) {
        // A file's content may hold a secret (a passfile, a key): never in the debug log.
        return Command.of("sh", "-c", SCRIPT, "sh", path).withEnvironment("LC_ALL", "C").withOutputNotLogged();
    }

    /**
     * @param host where the file is
     * @param path the file
     * @return its text and mode, or empty when there is no such file (said by ls or cat, or by
     *         {@link Host#exists(String)} after another failure)
     * @throws CommandFailedException when the file exists but cannot be examined or read
     */
    public static Optional<FileWithMode> read(Host host, String path) {
        Command command = command(path);
        CommandResult result = host.execute(command);
        if (result.succeeded()) {
            String out = result.stdout();
            int nl = out.indexOf('\n');
            String first = nl < 0 ? out.strip() : out.substring(0, nl).strip();
            Optional<String> mode = octal(first);
            if (nl < 0 || mode.isEmpty()) {
                throw new CommandFailedException(host.name(), command.toCommandLine(), result.exitCode(), false,
                        "first line: " + Text.printable(first),
                        NO_MODE);
            }
            return Optional.of(new FileWithMode(out.substring(nl + 1), mode.get()));
        }
        if (result.stderr().contains("No such file or directory") || !host.exists(path)) {
            return Optional.empty();
        }
        throw new CommandFailedException(host.name(), command.toCommandLine(), result.exitCode(), false,
                result.tail(5), "The file exists but cannot be examined or read by this host's user.");
    }
}
