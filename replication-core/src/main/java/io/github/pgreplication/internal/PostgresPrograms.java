package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Points PostgreSQL's programs at a binary directory. Debian and Ubuntu keep server programs (pg_ctl,
 * pg_controldata, initdb) in /usr/lib/postgresql/MAJOR/bin, which is not on the PATH of an SSH session.
 */
public final class PostgresPrograms {
    /** Programs of a PostgreSQL installation the library may run. */
    public static final Set<String> PROGRAMS = Set.of("pg_ctl", "pg_basebackup", "pg_controldata", "psql",
            "initdb", "postgres", "pg_rewind", "pg_isready", "pg_archivecleanup", "pg_waldump", "pg_receivewal");

    private PostgresPrograms() {
    }

    /**
     * @param command   a command
     * @param directory binary directory, or null to leave the command alone
     * @return the command with its program replaced by {@code directory/program} when it is a PostgreSQL program
     */
    public static Command resolve(Command command, String directory) {
        if (directory == null || !PROGRAMS.contains(command.argv().get(0))) {
            return command;
        }
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, directory.replaceAll("/+$", "") + "/" + argv.get(0));
        return command.withArgv(argv);
    }
}
