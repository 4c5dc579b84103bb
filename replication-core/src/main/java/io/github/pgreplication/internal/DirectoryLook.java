package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A standby's data directory as one command saw it: its entries and whether its mode is exactly 0700, so that the
 * data directory check and the mode step before the clone need one command between them, not two. POSIX
 * {@code find DIR/. ( -name . -perm 0700 -print ) -o ( ! -name . -print -prune )}: {@code DIR/.} is printed when the
 * directory is 0700, each entry once and not descended into; it fails when the directory does not exist. Anything
 * else (a file where the directory should be, a directory this user cannot read) is left to {@link Host#list}, which
 * says what it is, and the mode to the mode step's own look.
 *
 * @param entries     the directory's entries, sorted; empty when it is absent or empty
 * @param exactly0700 whether it is 0700; empty when it is absent or when this look could not tell
 * @param modeKnown   whether {@code exactly0700} is the answer (false after the fallback to {@link Host#list})
 */
record DirectoryLook(List<String> entries, Optional<Boolean> exactly0700, boolean modeKnown) {

    /** @return the command that looks at {@code dir} */
    static Command command(String dir) {
        return Command.of("find", dir + "/.", "(", "-name", ".", "-perm", DataDirectoryModeStep.MODE, "-print", ")",
                "-o", "(", "!", "-name", ".", "-print", "-prune", ")").withEnvironment("LC_ALL", "C");
    }

    /**
     * @param host the standby's host
     * @param dir  its data directory
     * @return what one command saw there
     */
    static DirectoryLook of(Host host, String dir) {
        CommandResult result = host.execute(command(dir));
        if (!result.succeeded()) {
            if (result.stdout().isBlank() && result.stderr().contains("No such file or directory")) {
                return new DirectoryLook(List.of(), Optional.empty(), true);
            }
            return new DirectoryLook(host.list(dir), Optional.empty(), false);
        }
        String root = dir + "/.";
        String prefix = root + "/";
        boolean is0700 = false;
        List<String> entries = new ArrayList<>();
        for (String line : result.stdout().split("\\R")) {
            if (line.equals(root)) {
                is0700 = true;
            } else if (line.startsWith(prefix)) {
                entries.add(line.substring(prefix.length()));
            }
        }
        entries.sort(null); // as ls sorts them, for messages that list them
        return new DirectoryLook(List.copyOf(entries), Optional.of(is0700), true);
    }
}
