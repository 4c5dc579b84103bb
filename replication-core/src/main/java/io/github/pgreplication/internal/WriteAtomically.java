package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A file written atomically in one command, for hosts where every command is a round trip (SSH) and for
 * {@link io.github.pgreplication.host.Host#writeFile}'s default: a constant {@code sh} script of POSIX utilities that
 * <ol>
 * <li>follows a symbolic link at the path (read with {@code ls -ld}, at most 40 of them: the file it points to is
 * replaced and the link stays), and refuses a link it cannot follow (a loop, or a missing directory on its way) rather
 * than replace it;</li>
 * <li>creates a temporary file of its own beside that file, exclusively ({@code set -C}: a name that exists is never
 * written into) and readable and writable by its owner only ({@code umask 077}); its name ends in random characters
 * given by the caller, so two writers of one file never write into the same temporary file;</li>
 * <li>fills it from standard input ({@code cat}) and checks that it holds every byte sent ({@code wc -c}: a connection
 * cut short ends standard input early, and {@code cat} cannot tell);</li>
 * <li>gives it the mode ({@code chmod}: a mode without the owner's write bit, as 0400, works too) and renames it into
 * place ({@code mv -f}); a directory at the path is refused, never written into.</li>
 * </ol>
 * The temporary file is removed when anything fails, the script's termination by the {@link #SIGNALS} included (a
 * connection cut closes standard error too, which raises PIPE). The path, the mode, the byte count and the random
 * suffix are the script's arguments {@code $1} to {@code $4}, never part of it; the content travels on standard input
 * only. GNU's {@code readlink -f}, {@code mktemp} and {@code dd status=none}, which it used before, are not in
 * POSIX.1-2017. Only a signal it cannot trap (KILL) or does not (as SEGV or a real-time signal) leaves its temporary
 * file behind: {@code NAME.pgreplication-tmp.} and six random characters.
 */
public final class WriteAtomically {
    /** What the temporary file's name adds to the file's, before its six random characters. */
    static final String TEMPORARY_INFIX = ".pgreplication-tmp.";
    /**
     * The signals whose termination still removes the temporary file: dash, Debian's {@code sh}, runs no EXIT trap on a
     * fatal signal it does not trap.
     */
    static final String SIGNALS = "HUP INT QUIT PIPE ALRM TERM USR1 USR2";
    /** How many symbolic links are followed before a link is taken for a loop (Linux's and OpenBSD's limit: 40, 32). */
    static final int MAX_LINKS = 40;
    /**
     * Follows the symbolic links at {@code $1} into {@code $t}: each link's target is read from {@code ls -ld}'s
     * {@code NAME -> TARGET} (kept whole, a trailing newline too: the dot is stripped afterwards), a relative one
     * taken from the link's directory.
     */
    static final String FOLLOW = "t=$1; i=0;"
            + " while [ -L \"$t\" ] && [ \"$i\" -lt " + MAX_LINKS + " ]; do"
            + " l=$(ls -ld -- \"$t\" && echo .); l=${l%??}; l=${l#*\" $t -> \"};"
            + " if [ \"${l#/}\" != \"$l\" ]; then t=$l; else d=${t%/*}; [ \"$d\" != \"$t\" ] || d=.; t=$d/$l; fi;"
            + " i=$((i + 1)); done;";
    /**
     * The script, constant: {@code $1} the path, {@code $2} the mode, {@code $3} the content's length in bytes,
     * {@code $4} the temporary file's random suffix (the shell's process number when empty).
     */
    static final String SCRIPT = "set -e; trap 'exit 1' " + SIGNALS + "; " + FOLLOW
            + " d=${t%/*}; [ \"$d\" != \"$t\" ] || d=.; [ -n \"$d\" ] || d=/;"
            + " if [ -L \"$t\" ] || { [ \"$t\" != \"$1\" ] && [ ! -d \"$d\" ]; }; then echo \"$1: a symbolic link"
            + " that cannot be followed (a loop, or a missing directory on its way): not replaced\" >&2; exit 1; fi;"
            + " if [ -d \"$t\" ]; then echo \"$1: a directory: not replaced\" >&2; exit 1; fi;"
            // a missing directory: ls says so in the system's words, and the script ends with its status
            + " [ -d \"$d\" ] || ls -d -- \"$d\" > /dev/null || exit;"
            + " tmp=; trap '[ -z \"$tmp\" ] || rm -f -- \"$tmp\"' EXIT; umask 077;"
            + " p=$t" + TEMPORARY_INFIX + "${4:-$$}; set -C; : > \"$p\"; set +C; tmp=$p;"
            + " cat > \"$tmp\"; n=$(wc -c < \"$tmp\"); n=${n##*[!0-9]};"
            + " [ \"$n\" -eq \"$3\" ] || { echo \"$1: $n bytes arrived of $3 expected: not replaced\" >&2; exit 1; };"
            + " chmod -- \"$2\" \"$tmp\"; mv -f -- \"$tmp\" \"$t\"";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUFFIX_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private WriteAtomically() {
    }

    /**
     * @param path    the file; a symbolic link is followed
     * @param content its new text, written as UTF-8
     * @param mode    octal permissions, e.g. {@code 0600}
     * @return the command: {@code sh -c SCRIPT sh PATH MODE LENGTH SUFFIX}, the content on standard input, messages
     *         in English
     */
    public static Command command(String path, String content, String mode) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return Command.of("sh", "-c", SCRIPT, "sh", path, mode, Integer.toString(bytes.length), suffix())
                .withEnvironment("LC_ALL", "C").withStdin(bytes);
    }

    /**
     * Follows the symbolic links at a path as {@link #SCRIPT} does, for a caller that needs the file they lead to.
     *
     * @param path a path
     * @return the command: {@code sh -c 'FOLLOW printf ...' sh PATH}, printing the path of the file the links lead to
     *         (the path itself when it is no link), or of the last link followed when they loop
     */
    public static Command follow(String path) {
        return Command.of("sh", "-c", FOLLOW + " printf '%s\\n' \"$t\"", "sh", path).withEnvironment("LC_ALL", "C");
    }

    /** @return six random letters and digits, as mktemp's XXXXXX: a temporary file's name of its own */
    public static String suffix() {
        StringBuilder sb = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            sb.append(SUFFIX_CHARACTERS.charAt(RANDOM.nextInt(SUFFIX_CHARACTERS.length())));
        }
        return sb.toString();
    }
}
