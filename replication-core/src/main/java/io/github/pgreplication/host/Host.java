package io.github.pgreplication.host;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.internal.DeleteContents;
import io.github.pgreplication.internal.ReadWithMode;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.internal.WriteAtomically;
import java.util.List;
import java.util.Optional;

/**
 * Where commands run and files are read and written for one node: this machine ({@link LocalHost}), a machine
 * reached over SSH ({@link SshHost}), or a container (the testkit's {@code ContainerHost}).
 *
 * <p>Implementations provide {@link #execute(Command)}; file operations default to POSIX utilities ({@code test},
 * {@code cat}, {@code ls}, {@code mkdir}, {@code chmod}, {@code wc}, {@code mv}, {@code rm}, {@code find}
 * and {@code sh}, with POSIX.1-2017's options only: no GNU {@code stat -c}, {@code readlink -f} or {@code mktemp}), run
 * through it, so they act as the host's user (for example {@code postgres}) on every kind of host, OpenBSD's and
 * BusyBox's included. Paths are the host's paths.
 */
public interface Host {
    /** @return a short name for logs and messages, e.g. {@code local}, {@code ssh:postgres@eshua} */
    String name();

    /**
     * What machine this host acts on: two hosts with the same value share one file system and one set of ports
     * (load() refuses two standbys there with the same data directory or port). {@link LocalHost}s are all
     * {@code local}, whatever user they run as; {@link SshHost}s are {@code ssh:ADDRESS:PORT} (address in lower
     * case, user left out).
     *
     * @return the machine's identity; by default {@link #name()}
     */
    default String machine() {
        return name();
    }

    /**
     * Runs a command and waits for it.
     *
     * @param command what to run
     * @return exit code and output, whatever the exit code
     * @throws CommandFailedException when the program cannot be started or exceeds its timeout
     */
    CommandResult execute(Command command);

    /**
     * Runs a command and requires exit code 0.
     *
     * @param command what to run
     * @return its result
     * @throws CommandFailedException when it fails, with the command (secrets removed) and its output's tail
     */
    default CommandResult run(Command command) {
        CommandResult result = execute(command);
        if (!result.succeeded()) {
            String program = command.argv().get(0);
            String hint = result.exitCode() == 127 ? "'" + program + "' was not found on " + name() + ". Install it,"
                    + " or if it is a PostgreSQL program off the PATH (Debian keeps pg_ctl and pg_controldata in"
                    + " /usr/lib/postgresql/MAJOR/bin), use withPostgresBinaries(\"/usr/lib/postgresql/17/bin\") on"
                    + " the host." : "";
            throw new CommandFailedException(name(), command.toCommandLine(), result.exitCode(), false,
                    command.redact(result.tail(20)), hint);
        }
        return result;
    }

    /**
     * @param path a path
     * @return whether something exists there
     */
    default boolean exists(String path) {
        return execute(Command.of("test", "-e", path)).succeeded();
    }

    /**
     * @param path a file
     * @return its text (UTF-8), or empty when there is no such file; the text never reaches the debug log (it may be
     *         a key or a passfile)
     */
    default Optional<String> readFile(String path) {
        // A file's content may hold a secret (a TLS key, a passfile, credentials): never in the debug log.
        Command cat = Command.of("cat", "--", path).withEnvironment("LC_ALL", "C").withOutputNotLogged();
        CommandResult result = execute(cat);
        if (result.succeeded()) {
            return Optional.of(result.stdout());
        }
        if (result.stderr().contains("No such file or directory") || !exists(path)) {
            return Optional.empty();
        }
        throw new CommandFailedException(name(), cat.toCommandLine(), result.exitCode(), false, result.tail(5),
                "The file exists but cannot be read by this host's user.");
    }

    /**
     * Reads a file's permission bits from POSIX's long format ({@code ls -ldL}).
     *
     * @param path an existing file; a symbolic link is followed (the mode of the file it points to)
     * @return its permission bits in octal without leading zeros, as {@code stat -c %a} would print them (e.g.
     *         {@code 600}, {@code 4751})
     * @throws CommandFailedException when the file cannot be examined, or {@code ls} printed no file mode
     */
    default String fileMode(String path) {
        Command ls = Command.of("ls", "-ldL", "--", path).withEnvironment("LC_ALL", "C");
        CommandResult result = run(ls);
        return ReadWithMode.octal(result.stdout()).orElseThrow(() -> new CommandFailedException(name(),
                ls.toCommandLine(), result.exitCode(), false, Text.printable(result.stdout().length() > 40
                        ? result.stdout().substring(0, 40) : result.stdout().strip()), ReadWithMode.NO_MODE));
    }

    /**
     * Reads a file and its permission bits, for a step that rewrites the file with the mode it had. Hosts where one
     * round trip can do both override this ({@link SshHost}: one remote command; the testkit's
     * {@code ContainerHost}: one archive read).
     *
     * @param path a file; a symbolic link is followed (the text and mode of the file it points to)
     * @return its text and mode, or empty when there is no such file; by default {@link #readFile(String)}, then
     *         {@link #fileMode(String)}
     * @throws CommandFailedException when the file exists but cannot be read or examined
     */
    default Optional<FileWithMode> readFileWithMode(String path) {
        return readFile(path).map(text -> new FileWithMode(text, fileMode(path)));
    }

    /**
     * Writes a file atomically (a temporary file of a unique name beside it, then rename). The temporary file is its
     * owner's only until every byte arrived, then gets the given permissions and is renamed, so a secret is never
     * readable by others, not even briefly, and two writers of one file never mix their contents. A symbolic link at
     * {@code path} is kept: the file it points to is the one replaced (as reads follow it too), so a
     * {@code pg_hba.conf} or a passfile that configuration management links elsewhere stays linked; a link that cannot
     * be followed (a loop, a missing directory on its way) is refused, not replaced. A directory at {@code path} is
     * refused too. The content travels on standard input, never in argv, and the file is replaced only once every byte
     * of it arrived. By default one command ({@code sh -c} with a constant script of POSIX utilities, see
     * {@code WriteAtomically}: links followed with {@code ls -ld}, a temporary file created exclusively, {@code cat},
     * a length check with {@code wc}, {@code chmod}, {@code mv -f}; the path, mode, length and the temporary file's
     * random suffix are its arguments), so one round trip over SSH.
     *
     * @param path    target path; a symbolic link is followed
     * @param content text, written as UTF-8
     * @param mode    octal permissions, e.g. {@code 0600}
     * @throws CommandFailedException when the file cannot be written (for example when the directory of the file,
     *                                or of the file a link points to, is not writable by this host's user, or when
     *                                standard input ended early); the file is unchanged then, and the temporary file
     *                                removed
     */
    default void writeFile(String path, String content, String mode) {
        run(WriteAtomically.command(path, content, mode));
    }

    /**
     * Writes several files, each as {@link #writeFile(String, String, String)} writes one; by default one after the
     * other. A host that can write them in one round trip (the testkit's container host, with one archive upload)
     * does so. Not atomic as a whole: when one file is refused, those before it may be written.
     *
     * @param files paths and contents, written in this order
     * @param mode  octal permissions for all of them, e.g. {@code 0600}
     * @throws CommandFailedException when a file cannot be written
     */
    default void writeFiles(java.util.Map<String, String> files, String mode) {
        files.forEach((path, content) -> writeFile(path, content, mode));
    }

    /**
     * @param directory a directory
     * @return its entries' names (hidden ones too); empty when absent
     */
    default List<String> list(String directory) {
        Command ls = Command.of("ls", "-A1", "--", directory).withEnvironment("LC_ALL", "C");
        CommandResult result = execute(ls);
        if (!result.succeeded()) {
            if (result.stderr().contains("No such file or directory") || !exists(directory)) {
                return List.of();
            }
            throw new CommandFailedException(name(), ls.toCommandLine(), result.exitCode(), false, result.tail(5),
                    "The directory exists but cannot be listed by this host's user.");
        }
        String out = result.stdout();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
    }

    /**
     * @param path a directory to create with its parents
     * @param mode octal permissions, e.g. {@code 0700}
     */
    default void createDirectories(String path, String mode) {
        run(Command.of("mkdir", "-p", "-m", mode, "--", path));
    }

    /**
     * Deletes everything in a directory, with POSIX's {@code find} and {@code rm} (see {@code DeleteContents}). A
     * symbolic link at {@code directory} is left alone, and so is what it points to.
     *
     * @param directory a directory whose entries are all deleted; the directory itself stays
     */
    default void deleteContents(String directory) {
        run(DeleteContents.command(directory));
    }

    /** @param path a file to delete if it exists */
    default void deleteFile(String path) {
        run(Command.of("rm", "-f", "--", path));
    }
}
