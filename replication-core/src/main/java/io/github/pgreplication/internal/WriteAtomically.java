package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import java.nio.charset.StandardCharsets;

/**
 * A file written atomically in one command, for hosts where every command is a round trip (SSH) and for
 * {@link io.github.pgreplication.host.Host#writeFile}'s default: a constant {@code sh} script that follows a symbolic
 * link at the path ({@code readlink -f}: the file it points to is replaced and the link stays), creates a temporary
 * file beside that file with the mode from the start ({@code install -m}), fills it from standard input ({@code dd}),
 * and renames it into place ({@code mv -f -T}: never into a directory); the temporary file is removed if anything
 * fails. The path and the mode are the script's arguments {@code $1} and {@code $2}, never part of it; the content
 * travels on standard input only.
 */
public final class WriteAtomically {
    /** Suffix of the temporary file, beside the file written. */
    static final String TEMPORARY_SUFFIX = ".pgreplication-tmp";
    /** The script, constant: {@code $1} the path, {@code $2} the mode. */
    static final String SCRIPT = "set -e; t=$(readlink -f -- \"$1\") && [ -n \"$t\" ] || t=$1;"
            + " tmp=$t" + TEMPORARY_SUFFIX + "; trap 'rm -f -- \"$tmp\"' EXIT;"
            + " install -m \"$2\" /dev/null \"$tmp\"; dd of=\"$tmp\" status=none; mv -f -T -- \"$tmp\" \"$t\"";

    private WriteAtomically() {
    }

    /**
     * @param path    the file; a symbolic link is followed
     * @param content its new text, written as UTF-8
     * @param mode    octal permissions, e.g. {@code 0600}
     * @return the command: {@code sh -c SCRIPT sh PATH MODE}, the content on standard input, messages in English
     */
    public static Command command(String path, String content, String mode) {
        return Command.of("sh", "-c", SCRIPT, "sh", path, mode).withEnvironment("LC_ALL", "C")
                .withStdin(content.getBytes(StandardCharsets.UTF_8));
    }
}
