package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How the library judges a path on a node's host, at load() and again right before it empties a data directory.
 * A path is first checked as written (absolute, no {@code ..} segment, no control character), then normalised
 * lexically ({@code //} and {@code .} segments and trailing slashes removed), and the normalised form is compared
 * with the system directories.
 *
 * <p>{@code ..} is refused outright rather than resolved: the host resolves it through symbolic links, which a
 * lexical normalisation cannot see, so {@code /var/lib/link/..} may not be {@code /var/lib}.
 *
 * <p>System directories: the root and the top-level directories of a Unix system, and a few of their well-known
 * children, cannot be data directories ({@link #EXACT}); nothing at all may live inside the directories that hold
 * the system's programs, kernel interfaces or configuration ({@link #INSIDE}). {@code /tmp}, {@code /home},
 * {@code /srv}, {@code /opt} and {@code /var} are refused themselves, but a directory inside them is fine
 * ({@code /tmp/pg/data} for tests, {@code /srv/pg/data}, {@code /var/lib/postgresql/17/main}).
 */
public final class PathRules {
    /** Directories that are never a data directory themselves (their sub-directories may be). */
    static final Set<String> EXACT = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
            "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",
            "/usr/local", "/var", "/var/lib", "/var/log", "/var/run", "/var/tmp", "/var/cache", "/var/spool");
    /** Directories nothing of the library's may be inside. */
    static final List<String> INSIDE = List.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
            "/libx32", "/proc", "/sbin", "/sys", "/usr/bin", "/usr/include", "/usr/lib", "/usr/lib32", "/usr/lib64",
            "/usr/libexec", "/usr/sbin", "/usr/share");

    private PathRules() {
    }

    /**
     * @param path an absolute path without {@code ..} segments
     * @return it without repeated slashes, {@code .} segments and trailing slashes; {@code /} for the root
     */
    public static String normalise(String path) {
        List<String> parts = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                parts.add(segment);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * How a data directory enters the model: {@code /var/lib/postgresql/data/} becomes
     * {@code /var/lib/postgresql/data}, so that what is shown and what is derived from it (the pg_ctl log
     * {@code DIR.log} beside it, the passfile) is the same for both spellings.
     *
     * @param path a path as given, or null
     * @return the path {@link #normalise normalised} when it is a valid data directory (an absolute path without
     *         control characters or {@code ..} segments, not too long, not a system directory); otherwise (null
     *         included) unchanged, so that load() reports it as written
     */
    public static String normaliseIfValid(String path) {
        return path == null || dataDirectoryProblem(path) != null ? path : normalise(path);
    }

    /**
     * @param path a path as given
     * @return why it is not a usable absolute path (control character, relative, {@code ..} segment), or null
     */
    static String syntaxProblem(String path) {
        if (Text.hasControl(path)) {
            return Validator.CONTROL_RULE;
        }
        if (!path.startsWith("/")) {
            return "must be an absolute path (the host's path, from its root)";
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return "must not contain '..' segments: the host resolves them through symbolic links, so the"
                        + " library cannot tell which directory is meant";
            }
        }
        return Limits.pathProblem(path);
    }

    /**
     * The rule for a data directory, as given: {@link #syntaxProblem}, then the length PostgreSQL allows and
     * {@link #systemProblem} of its normalised form (so {@code /srv/..} or {@code /.} cannot name the root); when
     * the normalised form differs from what was given, the rule names it.
     *
     * @param directory a data directory as given, not null
     * @return why it cannot be a data directory (or be emptied, or be restored into), or null
     */
    public static String dataDirectoryProblem(String directory) {
        String problem = syntaxProblem(directory);
        if (problem != null) {
            return problem;
        }
        String normalised = normalise(directory);
        problem = Limits.dataDirectoryProblem(normalised);
        if (problem == null) {
            problem = systemProblem(normalised);
        }
        return problem == null || normalised.equals(directory) ? problem
                : "is " + normalised + " once its . segments and repeated or trailing slashes are removed, and "
                        + problem;
    }

    /**
     * @param normalised a normalised absolute path
     * @return why it must not be a data directory (or be emptied), naming the system directory; null when fine
     */
    static String systemProblem(String normalised) {
        if (normalised.equals("/")) {
            return "the root directory cannot be a data directory";
        }
        if (EXACT.contains(normalised)) {
            return normalised + " is a system directory, which cannot be a data directory";
        }
        for (String dir : INSIDE) {
            if (normalised.startsWith(dir + "/")) {
                return "must not be inside the system directory " + dir + ", where no data directory belongs";
            }
        }
        return null;
    }

    /**
     * @param path a file path as given
     * @return why the library must not write a file there, or null
     */
    static String fileProblem(String path) {
        return fileProblem(path, Set.of());
    }

    /**
     * @param path   a file path as given
     * @param exempt system directories a file may be inside for this caller (the pgBackRest module: {@code /etc},
     *               where pgbackrest.conf usually lives); every other one stays refused
     * @return why the library must not write a file there, or null
     */
    public static String fileProblem(String path, Set<String> exempt) {
        String problem = fileSyntaxProblem(path);
        if (problem != null) {
            return problem;
        }
        String n = normalise(path);
        for (String dir : INSIDE) {
            if (exempt.contains(dir)) {
                continue;
            }
            if (n.startsWith(dir + "/")) {
                return "must not be inside the system directory " + dir + ", where the library writes no file";
            }
        }
        return null;
    }

    /**
     * The part of {@link #fileProblem} that holds for every file the library writes, wherever it lives.
     *
     * @param path a file path as given
     * @return why it cannot name a file (control character, relative, {@code ..} segment, a trailing {@code /},
     *         a system directory itself), or null
     */
    static String fileSyntaxProblem(String path) {
        String syntax = syntaxProblem(path);
        if (syntax != null) {
            return syntax;
        }
        if (path.endsWith("/")) {
            return "must name a file, not a directory (it ends with '/')";
        }
        String n = normalise(path);
        if (EXACT.contains(n)) {
            return n + " is a system directory, not a file";
        }
        return null;
    }

    /**
     * @param normalisedDir a normalised directory
     * @param normalisedPath a normalised path
     * @return whether the path is the directory or inside it
     */
    static boolean within(String normalisedDir, String normalisedPath) {
        return normalisedPath.equals(normalisedDir) || normalisedDir.equals("/")
                || normalisedPath.startsWith(normalisedDir + "/");
    }

    /**
     * The runtime guard before a directory's contents are deleted: the same rules as load(), on the normalised
     * path, so {@code /srv/..} or {@code /.} can never empty the root.
     *
     * @param directory the directory about to be emptied
     * @throws ReplicationException when it is not a path the library may empty
     */
    static void requireSafeToEmpty(String directory) {
        String problem = directory == null ? "no directory given" : dataDirectoryProblem(directory);
        if (problem != null) {
            throw new ReplicationException("Refusing to empty '" + Text.printable(directory) + "' (" + problem
                    + "). Nothing was deleted; give the standby a dedicated data directory such as"
                    + " /var/lib/postgresql/17/main");
        }
    }
}
