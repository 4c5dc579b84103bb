package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;

/**
 * Everything in a directory deleted with POSIX utilities, for {@link io.github.pgreplication.host.Host#deleteContents}:
 * {@code find DIR/. ! -name . -prune -exec rm -rf -- {} +} removes each entry of the directory (hidden ones too) and
 * descends into none itself ({@code -mindepth} and {@code -delete} are GNU's and the BSDs', not POSIX's, and Debian's
 * BusyBox has no {@code -delete}). A symbolic link at the path is left alone, as {@code find DIR -mindepth 1 -delete},
 * which does not follow it, left it: the data directory a link points to is not emptied through the link.
 */
public final class DeleteContents {
    /** The script, constant: {@code $1} the directory. */
    static final String SCRIPT = "[ -L \"$1\" ] || exec find \"$1/.\" ! -name . -prune -exec rm -rf -- {} +";

    private DeleteContents() {
    }

    /**
     * @param directory the directory
     * @return the command: {@code sh -c SCRIPT sh DIRECTORY}, messages in English
     */
    public static Command command(String directory) {
        return Command.of("sh", "-c", SCRIPT, "sh", directory).withEnvironment("LC_ALL", "C");
    }
}
