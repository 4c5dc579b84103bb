package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real {@link LocalHost} that records every command the library gives it, for {@link PosixAudit}; optionally with a
 * {@code PATH} of its own for those commands (the environment of the process, which a user switch through
 * {@code su} or {@code runuser} keeps). It overrides what {@link LocalHost} overrides, the same way, so the library
 * runs the commands it runs on a LocalHost.
 */
final class RecordingHost implements Host {
    private final LocalHost local;
    private final String path;
    private final List<Command> commands = new ArrayList<>();

    /**
     * @param local the host that runs the commands
     * @param path  the {@code PATH} they run with, or null for this JVM's
     */
    RecordingHost(LocalHost local, String path) {
        this.local = local;
        this.path = path;
    }

    /** @return the commands run so far, as the library gave them (before a user switch's prefix) */
    synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public String machine() {
        return local.machine();
    }

    @Override
    public CommandResult execute(Command command) {
        synchronized (this) {
            commands.add(command);
        }
        return local.execute(path == null ? command : command.withEnvironment("PATH", path));
    }

    /** As {@link LocalHost#readFileWithMode(String)}: one command, run (and recorded) through this host. */
    @Override
    public Optional<FileWithMode> readFileWithMode(String file) {
        return ReadWithMode.read(this, file);
    }

    @Override
    public String toString() {
        return name();
    }
}
