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
     * @param directory a directory of PostgreSQL's programs as given, or null for none
     * @return it, unchanged
     * @throws IllegalArgumentException when it is not an absolute path by {@link PathRules}' rules (it becomes the
     *                                  program of the commands the host runs)
     */
    public static String directory(String directory) {
        String problem = directory == null ? null : PathRules.syntaxProblem(directory);
        if (problem != null) {
            throw new IllegalArgumentException("PostgreSQL programs directory '" + Text.printable(directory) + "' "
                    + problem + ". Give the directory that holds pg_ctl, e.g."
                    + " .withPostgresBinaries(\"/usr/lib/postgresql/17/bin\")");
        }
        return directory;
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
