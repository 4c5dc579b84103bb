package io.github.pgreplication.samples.bench;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A standby's {@link Host} that notes when pgBackRest's {@code restore} command starts, for the time a restore
 * spends before it (issue 24's fixed cost); every call goes to the real host unchanged.
 */
final class RestoreStartClock implements Host {
    private final Host delegate;
    private volatile long restoreStart;

    RestoreStartClock(Host delegate) {
        this.delegate = delegate;
    }

    /** @return {@link System#nanoTime()} when the last restore command started, 0 before any */
    long restoreStart() {
        return restoreStart;
    }

    private void note(Command command) {
        List<String> argv = command.argv();
        if (argv.get(0).endsWith("pgbackrest") && argv.get(argv.size() - 1).equals("restore")) {
            restoreStart = System.nanoTime();
        }
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
        note(command);
        return delegate.execute(command);
    }

    @Override
    public CommandResult run(Command command) {
        note(command);
        return delegate.run(command);
    }

    @Override
    public boolean exists(String path) {
        return delegate.exists(path);
    }

    @Override
    public Optional<String> readFile(String path) {
        return delegate.readFile(path);
    }

    @Override
    public String fileMode(String path) {
        return delegate.fileMode(path);
    }

    @Override
    public Optional<FileWithMode> readFileWithMode(String path) {
        return delegate.readFileWithMode(path);
    }

    @Override
    public void writeFile(String path, String content, String mode) {
        delegate.writeFile(path, content, mode);
    }

    @Override
    public void writeFiles(Map<String, String> files, String mode) {
        delegate.writeFiles(files, mode);
    }

    @Override
    public List<String> list(String directory) {
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(String path, String mode) {
        delegate.createDirectories(path, mode);
    }

    @Override
    public void deleteContents(String directory) {
        delegate.deleteContents(directory);
    }

    @Override
    public void deleteFile(String path) {
        delegate.deleteFile(path);
    }
}
