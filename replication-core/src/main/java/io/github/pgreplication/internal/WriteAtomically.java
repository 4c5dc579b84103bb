package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import java.nio.charset.StandardCharsets;

/**
 * A file written atomically in one command, for hosts where every command is a round trip (SSH) and for
 * {@link io.github.pgreplication.host.Host#writeFile}'s default: a constant {@code sh} script that
 * <ol>
 * <li>follows a symbolic link at the path ({@code readlink -f}: the file it points to is replaced and the link stays),
 * and refuses a link it cannot follow (a loop, or a missing directory on its way) rather than replace it;</li>
 * <li>creates a temporary file of its own beside that file ({@code mktemp}: a unique name, so two writers of one file
 * never write into the same temporary file; readable and writable by its owner only);</li>
 * <li>fills it from standard input ({@code dd}) and checks that it holds every byte sent (a connection cut short
 * ends standard input early, and {@code dd} cannot tell);</li>
 * <li>gives it the mode ({@code chmod}: a mode without the owner's write bit, as 0400, works too) and renames it into
 * place ({@code mv -f}); a directory at the path is refused, never written into.</li>
 * </ol>
 * The temporary file is removed when anything fails, the script's termination by the {@link #SIGNALS} included (a
 * connection cut closes standard error too, which raises PIPE). The path, the
 * mode and the byte count are the script's arguments {@code $1} to {@code $3}, never part of it; the content
 * travels on standard input only. It needs {@code readlink -f} and {@code mktemp} (GNU coreutils, BusyBox, the BSDs).
 * Only a signal it cannot trap (KILL) or does not (as SEGV or a real-time signal) leaves its temporary file behind:
 * {@code NAME.pgreplication-tmp.} and six random characters.
 */
public final class WriteAtomically {
    /** What the temporary file's name adds to the file's, before {@code mktemp}'s six random characters. */
    static final String TEMPORARY_INFIX = ".pgreplication-tmp.";
    /**
     * The signals whose termination still removes the temporary file: dash, Debian's {@code sh}, runs no EXIT trap on a
     * fatal signal it does not trap.
     */
    static final String SIGNALS = "HUP INT QUIT PIPE ALRM TERM USR1 USR2";
    /** The script, constant: {@code $1} the path, {@code $2} the mode, {@code $3} the content's length in bytes. */
    static final String SCRIPT = "set -e; trap 'exit 1' " + SIGNALS + ";"
            // readlink's output kept whole (a trailing newline of the path too): the dot is stripped afterwards.
            + " t=$(readlink -f -- \"$1\" && echo .) && t=${t%??} && [ -n \"$t\" ] || t=$1;"
            + " if [ -L \"$t\" ]; then echo \"$1: a symbolic link that cannot be followed (a loop, a missing"
            + " directory on its way, or no readlink -f here): not replaced\" >&2; exit 1; fi;"
            + " if [ -d \"$t\" ]; then echo \"$1: a directory: not replaced\" >&2; exit 1; fi;"
            + " tmp=; trap '[ -z \"$tmp\" ] || rm -f -- \"$tmp\"' EXIT;"
            + " tmp=$(mktemp -- \"$t" + TEMPORARY_INFIX + "XXXXXX\");"
            + " dd of=\"$tmp\" status=none; n=$(wc -c < \"$tmp\");"
            + " [ \"$n\" -eq \"$3\" ] || { echo \"$1: $n bytes arrived of $3 expected: not replaced\" >&2; exit 1; };"
            + " chmod -- \"$2\" \"$tmp\"; mv -f -- \"$tmp\" \"$t\"";

    private WriteAtomically() {
    }

    /**
     * @param path    the file; a symbolic link is followed
     * @param content its new text, written as UTF-8
     * @param mode    octal permissions, e.g. {@code 0600}
     * @return the command: {@code sh -c SCRIPT sh PATH MODE LENGTH}, the content on standard input, messages in
     *         English
     */
    public static Command command(String path, String content, String mode) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return Command.of("sh", "-c", SCRIPT, "sh", path, mode, Integer.toString(bytes.length))
                .withEnvironment("LC_ALL", "C").withStdin(bytes);
    }
}
