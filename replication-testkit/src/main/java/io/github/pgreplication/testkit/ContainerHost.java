package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.Problem;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.pgreplication.internal.RoundTrips;
import io.github.pgreplication.internal.SshRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A {@link Host} inside a running container: commands run with {@code docker exec} as a given user (argument
 * list, environment, output streamed line by line), files are copied in with their permissions set from the start.
 *
 * <pre>{@code
 * Host host = ContainerHost.of(container, "postgres");
 * host.run(Command.of("pg_ctl", "-D", "/var/lib/postgresql/data", "status"));
 * }</pre>
 */
public final class ContainerHost implements Host {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerHost.class);
    private static final Map<String, int[]> IDS = new ConcurrentHashMap<>();

    private final GenericContainer<?> container;
    private final String user;
    private final String name;
    /**
     * Per thread that acts on this host, the path of its last act on the container when that act was an archive read
     * showing a regular file or nothing there; cleared by that thread's next act. A write of that path coming next,
     * on any thread, needs no second read to know it replaces no link or directory (a read-then-write, as for a
     * passfile or pg_hba.conf, costs two calls, not three; pg_hba.conf's mode is read ahead on another thread). Per
     * thread: steps on one host that run at the same time (a standby's passfile beside its data directory's look)
     * touch different paths, and one's command would otherwise make the other's write read again, a count that
     * depended on timing. Another process may change the path in between, as it may between any check and the upload.
     */
    private final java.util.concurrent.ConcurrentHashMap<Thread, String> seenPlain =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ContainerHost(GenericContainer<?> container, String user, String name) {
        this.container = Objects.requireNonNull(container, "container");
        this.user = Objects.requireNonNull(user, "user");
        this.name = name;
    }

    /**
     * @param container a started container
     * @param user      the user commands run as, e.g. {@code postgres} (PostgreSQL refuses to run as root)
     * @return the host
     * @throws IllegalArgumentException when {@code user} is not a login name or a uid
     */
    public static ContainerHost of(GenericContainer<?> container, String user) {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(user, "user");
        if (!SshRules.isLogin(user)) {
            throw Values.refused("container user '" + Problem.shown(user) + "'", "must be a login name or a uid:"
                    + " letters, digits, '.', '_' and '-', not starting with '-', at most 32 characters (docker exec runs"
                    + " as it, and it is part of the host's name in messages)",
                    "Use e.g. ContainerHost.of(container, \"postgres\")");
        }
        String alias = container.getNetworkAliases().isEmpty() ? container.getContainerName()
                : container.getNetworkAliases().get(container.getNetworkAliases().size() - 1);
        return new ContainerHost(container, user, "container:" + alias + ":" + user);
    }

    /**
     * @param otherUser another user
     * @return a host in the same container running as {@code otherUser}
     */
    public ContainerHost as(String otherUser) {
        return of(container, otherUser);
    }

    /** @return the container */
    public GenericContainer<?> container() {
        return container;
    }

    /** @return the user commands run as */
    public String user() {
        return user;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return {@code container:ALIAS}: hosts of one container share its files and ports, whatever their user */
    @Override
    public String machine() {
        return name.substring(0, name.lastIndexOf(':'));
    }

    /**
     * Runs a command with docker exec. Standard input, when the command has one, is copied into the container
     * first (0600, owned by this host's user, removed afterwards) and redirected by a constant {@code sh} script
     * that receives the program and its arguments as separate argv entries, never parsed: Docker's attached stdin
     * does not deliver end-of-file reliably.
     */
    @Override
    public CommandResult execute(Command command) {
        byte[] input = command.stdin();
        if (input == null) {
            return exec(command);
        }
        String file = "/tmp/.pgreplication-stdin-" + UUID.randomUUID();
        upload(Map.of(file, new String(input, StandardCharsets.UTF_8)), "0600");
        try {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", file));
            argv.addAll(command.argv());
            Command redirected = Command.of(argv).withTimeout(command.timeout());
            for (Map.Entry<String, String> e : command.environment().entrySet()) {
                redirected = redirected.withEnvironment(e.getKey(), e.getValue());
            }
            if (command.outputListener() != null) {
                redirected = redirected.withOutputListener(command.outputListener());
            }
            return exec(redirected, command);
        } finally {
            exec(Command.of("rm", "-f", "--", file));
        }
    }

    private CommandResult exec(Command command) {
        return exec(command, command);
    }

    private CommandResult exec(Command command, Command shown) {
        RoundTrips.command();
        seenPlain.remove(Thread.currentThread());
        DockerClient docker = DockerClientFactory.instance().client();
        List<String> env = new ArrayList<>();
        command.environment().forEach((k, v) -> env.add(k + "=" + v));
        ExecCreateCmdResponse exec = docker.execCreateCmd(container.getContainerId())
                .withCmd(command.argv().toArray(String[]::new))
                .withUser(user)
                .withEnv(env)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec();
        long started = System.nanoTime();
        Collector collector = new Collector(shown);
        try {
            docker.execStartCmd(exec.getId()).exec(collector);
            boolean done = collector.awaitCompletion(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new CommandFailedException(name, shown.toCommandLine(), -1, true,
                        shown.redact(collector.tail()), "It ran longer than its timeout of " + command.timeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(name, shown.toCommandLine(), -1, false, "", "interrupted");
        } finally {
            try {
                collector.close();
            } catch (java.io.IOException e) {
                LOG.trace("closing exec stream", e);
            }
        }
        collector.flush();
        Long exit = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        LOG.debug("[{}] $ {} (exit {}, {} ms)", name, shown.toCommandLine(), exit,
                (System.nanoTime() - started) / 1_000_000);
        return new CommandResult(exit == null ? -1 : exit.intValue(), collector.out.toString(),
                collector.err.toString());
    }

    /**
     * Copies the content in with the given permissions and this host's user as owner, set in the archive itself: the
     * file is never readable by others. Anything at {@code path} but a regular file (a symbolic link, a directory, a
     * path Docker cannot resolve) is left to the default's command instead, which keeps a link and writes the file it
     * points to, and refuses a directory or a link it cannot follow (Docker's archive would replace the link, or delete
     * the directory). Unlike the default, a regular file is not renamed into place (Docker removes it and writes it
     * anew): a file another process may be reading meanwhile, as sshd an {@code authorized_keys} that several standbys
     * add their keys to, is written by its caller with the default's command. And Docker's daemon writes it, not this
     * host's user: a missing parent directory is created (owned by root, mode 0755) and the directory's permissions are
     * not checked, where the default refuses both ({@code SshHostIT} and {@code LocalHostTest} cover the default's
     * behaviour).
     */
    @Override
    public void writeFile(String path, String content, String mode) {
        writeFiles(Map.of(path, content), mode);
    }

    /**
     * Writes several files in one archive upload, as {@link #writeFile(String, String, String)} does one: one archive
     * read per file first (a 404 for a new one, no process; none when this host's last act read that path and found
     * a regular file or nothing), and the default's command for each that is there but not a regular file. The
     * batch is not atomic: when one file is refused, those before it may be written.
     *
     * @param files paths and contents
     * @param mode  octal permissions for all of them, e.g. {@code 0600}
     */
    @Override
    public void writeFiles(Map<String, String> files, String mode) {
        Map<String, String> plain = new java.util.LinkedHashMap<>();
        java.util.Set<String> seen = java.util.Set.copyOf(seenPlain.values());
        seenPlain.remove(Thread.currentThread());
        seenPlain.values().removeAll(files.keySet());
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (seen.contains(f.getKey()) || regularFileOrNothing(f.getKey())) {
                plain.put(f.getKey(), f.getValue());
            } else {
                Host.super.writeFile(f.getKey(), f.getValue(), mode);
            }
        }
        if (!plain.isEmpty()) {
            upload(plain, mode);
        }
    }

    /** @return whether there is a regular file at {@code path}, or nothing (one archive read) */
    private boolean regularFileOrNothing(String path) {
        try {
            return fromArchive(path, false) != null;
        } catch (NotFoundException e) {
            return true;
        }
    }

    /** The archive upload of {@link #writeFiles}, for paths that hold a regular file or nothing. */
    private void upload(Map<String, String> files, String mode) {
        RoundTrips.command();
        long started = System.nanoTime();
        int[] ids = ids();
        seenPlain.remove(Thread.currentThread()); // after ids(): its read of /etc/passwd is no look at these paths
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey().replaceFirst("^/+", ""));
                entry.setSize(bytes.length);
                entry.setMode(Integer.parseInt(mode, 8));
                entry.setIds(ids[0], ids[1]);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // Without noOverwriteDirNonDir, Docker deletes a directory that a file entry would replace (one made
            // there since the archive read).
            DockerClientFactory.instance().client().copyArchiveToContainerCmd(container.getContainerId())
                    .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
                    .withRemotePath("/")
                    .withNoOverwriteDirNonDir(true)
                    .exec();
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            throw new CommandFailedException(name, "write " + files.keySet(), -1, false, e.getMessage(),
                    "Docker refused the upload (its answer above); a file cannot replace a directory.");
        }
        LOG.debug("[{}] wrote {} ({} ms)", name, files.keySet(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Reads through Docker's archive API: one round trip, no process started. Docker archives a symbolic link as
     * the link itself, without its target's text: a link (or anything but a regular file) is read with
     * {@code cat}, as the default does.
     */
    @Override
    public Optional<String> readFile(String path) {
        try {
            FileWithMode file = fromArchive(path, true);
            return file != null ? Optional.of(file.text()) : Host.super.readFile(path);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Text and mode from one archive read (the tar header holds the mode). A symbolic link, whose target's text
     * and mode are meant, or anything but a regular file is read with {@code cat} and {@code ls -ldL}.
     */
    @Override
    public Optional<FileWithMode> readFileWithMode(String path) {
        try {
            FileWithMode file = fromArchive(path, true);
            return file != null ? Optional.of(file)
                    : Host.super.readFile(path).map(text -> new FileWithMode(text, Host.super.fileMode(path)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the mode from the header of Docker's archive of the file: one API call, no process started in the
     * container (an {@code ls} through docker exec costs a process and three calls). A directory or a symbolic
     * link (whose target's mode is meant) is examined with {@code ls -ldL}.
     */
    @Override
    public String fileMode(String path) {
        try {
            FileWithMode file = fromArchive(path, false);
            return file != null ? file.mode() : Host.super.fileMode(path);
        } catch (NotFoundException e) {
            return Host.super.fileMode(path); // reported by stat, with its own message
        }
    }

    /**
     * One API call: Docker's archive of {@code path}, whose tar header holds the mode. Docker archives a symbolic
     * link as the link itself and a directory with its contents: for anything but a regular file, null (also when
     * Docker cannot resolve the path, as for a link loop).
     *
     * @param withText whether to read the file's text too (else the text is {@code ""})
     * @return its mode, and its text when asked; null when it is not a regular file
     * @throws NotFoundException when there is nothing at {@code path}
     */
    private FileWithMode fromArchive(String path, boolean withText) {
        RoundTrips.command();
        seenPlain.remove(Thread.currentThread());
        long started = System.nanoTime();
        try (InputStream in = DockerClientFactory.instance().client()
                .copyArchiveFromContainerCmd(container.getContainerId(), path).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null || entry.isSymbolicLink() || entry.isLink() || !entry.isFile()) {
                return null;
            }
            seenPlain.put(Thread.currentThread(), path);
            String text = withText ? new String(tar.readAllBytes(), StandardCharsets.UTF_8) : "";
            String mode = Integer.toOctalString(entry.getMode() & 07777);
            LOG.debug("[{}] {} {} (mode {}, {} ms)", name, withText ? "read" : "mode of", path, mode,
                    (System.nanoTime() - started) / 1_000_000);
            return new FileWithMode(text, mode);
        } catch (NotFoundException e) {
            seenPlain.put(Thread.currentThread(), path); // nothing there: a write may create it
            throw e;
        } catch (com.github.dockerjava.api.exception.InternalServerErrorException e) {
            // Docker could not resolve the path (a link loop: "too many links"): the commands report it.
            LOG.debug("[{}] archive of {}: {}", name, path, e.getMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the archive of " + path + " in " + name, e);
        }
    }

    /**
     * @return uid and gid of this host's user in the container, looked up once per image: its line of the container's
     *         {@code /etc/passwd}, read through the archive API (one call, no process), or else {@code id -u} and
     *         {@code id -g} in one command (a user known only to another name service, or given as a uid)
     */
    private int[] ids() {
        return IDS.computeIfAbsent(container.getDockerImageName() + ":" + user, key -> {
            if (user.equals("root")) {
                return new int[] {0, 0};
            }
            FileWithMode passwd;
            try {
                passwd = fromArchive("/etc/passwd", true);
            } catch (NotFoundException e) {
                passwd = null;
            }
            int[] ids = passwd == null ? null : passwdIds(passwd.text(), user);
            if (ids != null) {
                return ids;
            }
            String[] out = as("root").run(Command.of("sh", "-c", "id -u \"$1\" && id -g \"$1\"", "sh", user))
                    .stdout().strip().split("\\s+");
            return new int[] {Integer.parseInt(out[0]), Integer.parseInt(out[1])};
        });
    }

    /**
     * @param passwd the text of an {@code /etc/passwd}
     * @param user   a login name
     * @return the uid and gid of its first line for {@code user} ({@code name:password:uid:gid:...}), or null when
     *         no line names it or its ids are not numbers
     */
    static int[] passwdIds(String passwd, String user) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && f[0].equals(user)) {
                try {
                    return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Splits exec frames into lines, per stream, for the listener and DEBUG logging. */
    private final class Collector extends ResultCallback.Adapter<Frame> {
        private final Command command;
        private final StringBuilder out = new StringBuilder();
        private final StringBuilder err = new StringBuilder();
        private final StringBuilder partialOut = new StringBuilder();
        private final StringBuilder partialErr = new StringBuilder();

        Collector(Command command) {
            this.command = command;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            boolean isErr = frame.getStreamType() == StreamType.STDERR;
            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
            (isErr ? err : out).append(text);
            StringBuilder partial = isErr ? partialErr : partialOut;
            partial.append(text);
            int nl;
            while ((nl = indexOfLineEnd(partial)) >= 0) {
                line(partial.substring(0, nl), isErr);
                partial.delete(0, nl + 1);
            }
        }

        private int indexOfLineEnd(StringBuilder sb) {
            for (int i = 0; i < sb.length(); i++) {
                char c = sb.charAt(i);
                if (c == '\n' || c == '\r') {
                    return i;
                }
            }
            return -1;
        }

        private void line(String line, boolean isErr) {
            if (line.isEmpty()) {
                return;
            }
            if (command.outputLogged()) {
                LOG.debug("[{}] {}: {}", name, isErr ? "err" : "out", command.redact(line));
            }
            if (command.outputListener() != null) {
                command.outputListener().accept(line);
            }
        }

        synchronized void flush() {
            line(partialOut.toString(), false);
            line(partialErr.toString(), true);
            partialOut.setLength(0);
            partialErr.setLength(0);
        }

        synchronized String tail() {
            String t = err.length() > 0 ? err.toString() : out.toString();
            return t.length() > 2000 ? t.substring(t.length() - 2000) : t;
        }
    }
}
