package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.internal.WriteAtomically;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes configuration files through a {@link Host}, idempotently, including in-place rewrites of existing files. */
public final class ConfigFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFiles.class);
    /**
     * The in-place rewrite, constant: {@code $1} the file, {@code $2} its mode, {@code $3} the content's length in
     * bytes, {@code $4} a random suffix for the staging files' names, the content on standard input. The content is
     * staged in a file of its own ({@code $TMPDIR} or {@code /tmp}, created exclusively with {@code set -C}, its
     * owner's only: {@code umask 077}) and the file is overwritten only once every byte arrived: a connection cut
     * short leaves it as it was. Its old content is kept in a second such file until then: when the overwrite fails
     * (a full file system), the old content is written back and the command fails. Both are removed on any failure
     * and on the termination by HUP, INT, QUIT, PIPE, ALRM, TERM, USR1 or USR2. The file keeps its inode, owner and
     * links, and gets its mode before its new content; a {@code chmod} it is not allowed (a file writable through its
     * group) keeps its mode. Two such rewrites
     * of one file at the same moment (two processes configuring one host) can mix their contents: a rewrite in place
     * cannot be atomic, which is why it is used only where the directory leaves no other way. POSIX utilities only
     * (GNU's {@code mktemp} and {@code dd status=none}, used before, are not POSIX.1-2017's).
     */
    static final String IN_PLACE = "set -e; trap 'exit 1' HUP INT QUIT PIPE ALRM TERM USR1 USR2;"
            + " tmp=; old=; trap 'rm -f -- ${tmp:+\"$tmp\"} ${old:+\"$old\"}' EXIT; umask 077;"
            // a missing staging directory: ls says so in the system's words, and the script ends with its status
            + " s=${TMPDIR:-/tmp}; [ -d \"$s\" ] || ls -d -- \"$s\" > /dev/null || exit;"
            + " s=$s/pgreplication-stage.${4:-$$}; set -C; : > \"$s.new\"; tmp=$s.new; : > \"$s.old\"; old=$s.old;"
            + " set +C; cat > \"$tmp\"; n=$(wc -c < \"$tmp\"); n=${n##*[!0-9]};"
            + " [ \"$n\" -eq \"$3\" ] || { echo \"$1: $n bytes arrived of $3 expected: not rewritten\" >&2; exit 1; };"
            // the mode first: new content (a cipher pass) never sits in the file under its old, wider mode
            + " cat -- \"$1\" > \"$old\"; chmod -- \"$2\" \"$1\" 2>/dev/null || :;"
            + " if ! cat -- \"$tmp\" > \"$1\"; then"
            + " if cat -- \"$old\" > \"$1\"; then echo \"$1: not rewritten, its old content written back\" >&2;"
            + " else echo \"$1: neither rewritten nor restored; its old content is kept in $old\" >&2; old=; fi;"
            + " exit 1; fi";

    private ConfigFiles() {
    }

    /**
     * Writes {@code content} to {@code path} unless it is already there. When the directory is not writable but the
     * file is (Debian's {@code /etc/pgbackrest.conf} is owned by postgres, {@code /etc} is not), the file is
     * rewritten in place, once every byte of the new content arrived (a connection cut short leaves it as it was); else
     * it is written atomically with {@link Host#writeFile}. A symbolic link is followed
     * (as {@link Host#writeFile} does): the directory that counts is the one of the file it points to.
     *
     * @param host    where
     * @param path    absolute path
     * @param content text (may hold secrets: it travels on standard input, never in argv or logs)
     * @param mode    octal permissions, e.g. {@code 0640}
     * @return whether the file changed
     */
    public static boolean write(Host host, String path, String content, String mode) {
        return write(host, path, content, mode, readQuietly(host, path));
    }

    /**
     * {@link #write(Host, String, String, String)} with the file's content already read (by the same host's user).
     *
     * @param host     where
     * @param path     absolute path
     * @param content  text
     * @param mode     octal permissions
     * @param existing the file's content, empty when it does not exist
     * @return whether the file changed
     */
    public static boolean write(Host host, String path, String content, String mode, Optional<String> existing) {
        if (existing.isPresent() && existing.get().equals(content)) {
            LOG.debug("[{}] {} already up to date", host.name(), path);
            return false;
        }
        String target = existing.isPresent() ? resolved(host, path) : path;
        String dir = parent(target);
        if (existing.isPresent() && !writable(host, dir) && writable(host, target)) {
            LOG.info("[{}] rewriting {} in place ({} is not writable)", host.name(), target, dir);
            host.run(inPlace(target, content, mode));
            return true;
        }
        if (!host.exists(dir)) {
            host.createDirectories(dir, "0750");
        }
        LOG.info("[{}] writing {} (mode {})", host.name(), path, mode);
        host.writeFile(path, content, mode);
        return true;
    }

    /**
     * @param target the file, which exists
     * @param content its new text, written as UTF-8
     * @param mode octal permissions
     * @return the command: {@code sh -c IN_PLACE sh TARGET MODE LENGTH SUFFIX}, the content on standard input
     */
    static Command inPlace(String target, String content, String mode) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return Command.of("sh", "-c", IN_PLACE, "sh", target, mode, Integer.toString(bytes.length),
                WriteAtomically.suffix()).withEnvironment("LC_ALL", "C").withStdin(bytes);
    }

    private static Optional<String> readQuietly(Host host, String path) {
        try {
            return host.readFile(path);
        } catch (CommandFailedException e) {
            LOG.debug("[{}] cannot read {}: {}", host.name(), path, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * @return the file a symbolic link at {@code path} points to (followed as {@link Host#writeFile} follows it:
     *         {@link WriteAtomically#follow}), else {@code path} (also when that fails: then {@link Host#writeFile}
     *         reports the link)
     */
    private static String resolved(Host host, String path) {
        String out;
        try {
            out = host.execute(WriteAtomically.follow(path)).stdout();
        } catch (CommandFailedException e) {
            LOG.debug("[{}] following the links at {}: {}", host.name(), path, e.getMessage());
            return path;
        }
        String line = out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        return line.startsWith("/") && line.indexOf('\n') < 0 ? line : path;
    }

    private static boolean writable(Host host, String path) {
        return host.execute(Command.of("test", "-w", path)).succeeded();
    }

    /**
     * @param path an absolute path
     * @return its parent directory ({@code /} for top-level entries)
     */
    public static String parent(String path) {
        String p = path.replaceAll("/+$", "");
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }
}
