package io.github.pgreplication.testkit.pgbackrest;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real {@link Host} that tells a listener of every call before making it (what a restore runs, in order, with the
 * thread that runs it): each call is one command on the machine or more, never fewer.
 */
final class RecordingHost implements Host {
    /**
     * One call.
     *
     * @param host   the label the host was recorded under, e.g. the machine's name
     * @param what   the call and its first argument, e.g. {@code readFile /etc/pgbackrest.conf} or a command line
     * @param argv   the command's argv for execute and run; empty otherwise
     * @param thread the thread that made it
     * @param nanos  {@link System#nanoTime()} before it
     */
    record Call(String host, String what, List<String> argv, Thread thread, long nanos) {
    }

    private final String label;
    private final Host delegate;
    private final Consumer<Call> listener;

    RecordingHost(String label, Host delegate, Consumer<Call> listener) {
        this.label = label;
        this.delegate = delegate;
        this.listener = listener;
    }

    private void call(String what, List<String> argv) {
        listener.accept(new Call(label, what, argv, Thread.currentThread(), System.nanoTime()));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String machine() {
        return delegate.machine();
    }

    @Override
    public CommandResult execute(Command command) {
        call(command.toCommandLine(), command.argv());
        return delegate.execute(command);
    }

    @Override
    public CommandResult run(Command command) {
        call(command.toCommandLine(), command.argv());
        return delegate.run(command);
    }

    @Override
    public boolean exists(String path) {
        call("exists " + path, List.of());
        return delegate.exists(path);
    }

    @Override
    public Optional<String> readFile(String path) {
        call("readFile " + path, List.of());
        return delegate.readFile(path);
    }

    @Override
    public String fileMode(String path) {
        call("fileMode " + path, List.of());
        return delegate.fileMode(path);
    }

    @Override
    public Optional<FileWithMode> readFileWithMode(String path) {
        call("readFileWithMode " + path, List.of());
        return delegate.readFileWithMode(path);
    }

    @Override
    public void writeFile(String path, String content, String mode) {
        call("writeFile " + path, List.of());
        delegate.writeFile(path, content, mode);
    }

    @Override
    public void writeFiles(Map<String, String> files, String mode) {
        call("writeFiles " + files.keySet(), List.of());
        delegate.writeFiles(files, mode);
    }

    @Override
    public List<String> list(String directory) {
        call("list " + directory, List.of());
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(String path, String mode) {
        call("createDirectories " + path, List.of());
        delegate.createDirectories(path, mode);
    }

    @Override
    public void deleteContents(String directory) {
        call("deleteContents " + directory, List.of());
        delegate.deleteContents(directory);
    }

    @Override
    public void deleteFile(String path) {
        call("deleteFile " + path, List.of());
        delegate.deleteFile(path);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
