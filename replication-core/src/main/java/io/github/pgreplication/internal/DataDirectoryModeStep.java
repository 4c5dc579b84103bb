package io.github.pgreplication.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.util.List;
import java.util.Optional;

/**
 * Makes an existing, empty data directory 0700 before the clone, as PostgreSQL wants it: pg_basebackup leaves an
 * existing empty directory's mode as it is and sets modes only on what it creates (pgBackRest's restore sets the
 * backup's mode on it itself). Needs nothing from the primary, so it runs while the primary is being configured,
 * instead of a chmod after the clone. An absent directory is left to the clone method, which creates it, and a
 * non-empty one to the clone step (a standby kept as it is, or a directory emptied with the user's permission):
 * the clone step makes those 0700 after the clone, unless this step found or made the directory 0700.
 */
final class DataDirectoryModeStep extends Step {
    static final String MODE = "0700";

    private final Standby standby;
    private final DataDirectoryStep directory;
    /** Whether this run found the directory existing, empty and 0700, or made it so. */
    private volatile boolean ready;

    /** @param directory the check that listed the data directory just before; its listing is reused here */
    DataDirectoryModeStep(Standby standby, DataDirectoryStep directory) {
        super(standby.name(), "data directory " + standby.dataDirectory() + ", if it exists and is empty, is "
                + MODE + " before the clone", Kind.CHANGE, List.of("chmod " + MODE + " "
                        + Command.shellQuote(standby.dataDirectory()) + "   # if it exists and is empty:"
                        + " pg_basebackup keeps an existing directory's mode"));
        this.standby = standby;
        this.directory = directory;
    }

    /** @return whether the directory was found existing, empty and 0700, or made so, in this run */
    boolean ready() {
        return ready;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        ready = false;
        if (ctx.inPlace(standby)) {
            return true; // a running standby's directory: PostgreSQL itself checked its mode at start
        }
        Host host = standby.host();
        String dir = standby.dataDirectory();
        Optional<DirectoryLook> look = directory.look();
        if (!look.map(DirectoryLook::entries).orElseGet(() -> host.list(dir)).isEmpty()) {
            return true; // the clone step's case: kept as a standby, or emptied and made 0700 after the clone
        }
        // The check's one command saw the mode too; only when it could not tell is the directory looked at again.
        Optional<Boolean> is0700 = look.filter(DirectoryLook::modeKnown).map(DirectoryLook::exactly0700)
                .orElseGet(() -> is0700(host, dir));
        if (is0700.isEmpty()) {
            return true; // the clone method creates it; the clone step makes it 0700 after the clone
        }
        ready = is0700.get();
        return ready;
    }

    /**
     * One command, POSIX {@code find} (no GNU {@code stat -c}, no {@code -maxdepth}):
     * {@code find DIR -prune -perm 0700} prints the directory when its mode is exactly 0700, nothing when it has
     * another, and fails when it does not exist; {@code -prune} keeps it from descending.
     *
     * @return whether the directory is 0700; empty when it does not exist
     */
    private static Optional<Boolean> is0700(Host host, String dir) {
        Command find = Command.of("find", dir, "-prune", "-perm", MODE).withEnvironment("LC_ALL", "C");
        CommandResult result = host.execute(find);
        if (result.succeeded()) {
            return Optional.of(!result.stdout().isBlank());
        }
        if (result.stderr().contains("No such file or directory") || !host.exists(dir)) {
            return Optional.empty();
        }
        throw new CommandFailedException(host.name(), find.toCommandLine(), result.exitCode(), false,
                result.tail(5), "The data directory exists but cannot be examined by this host's user.");
    }

    @Override
    public boolean needsPrimary() {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        standby.host().run(Command.of("chmod", MODE, standby.dataDirectory()));
        ready = true;
        return "made " + MODE;
    }
}
