package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.internal.Text;
import java.util.Optional;

/**
 * Finds users and home directories through a {@link Host}. OpenSSH takes {@code ~} from the password database, not
 * from {@code $HOME}, so this reads {@code getent passwd} (or {@code /etc/passwd}).
 */
public final class Users {
    private Users() {
    }

    /**
     * @param host a host
     * @return the name of the user its commands run as ({@code id -un})
     */
    public static String current(Host host) {
        return host.run(Command.of("id", "-un")).stdout().strip();
    }

    /**
     * @param host a host
     * @param user a user name
     * @return the user's home directory there
     * @throws ReplicationException when the user does not exist
     */
    public static String home(Host host, String user) {
        CommandResult r = host.execute(Command.of("getent", "passwd", user));
        Optional<String> home = r.succeeded() ? homeField(r.stdout(), user) : Optional.empty();
        if (home.isEmpty()) {
            home = host.readFile("/etc/passwd").flatMap(p -> homeField(p, user));
        }
        return home.orElseThrow(() -> new ReplicationException("User '" + Text.printable(user) + "' does not exist"
                + " on " + host.name() + " (not in getent passwd nor /etc/passwd). Create it, or name the user that"
                + " runs pgBackRest there."));
    }

    /**
     * @param passwd passwd-format text
     * @param user   a user name
     * @return the home directory field of the user's line
     */
    static Optional<String> homeField(String passwd, String user) {
        for (String line : passwd.split("\\R")) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(user) && f[5].startsWith("/")) {
                return Optional.of(f[5]);
            }
        }
        return Optional.empty();
    }
}
