package io.github.pgreplication.internal;

/**
 * How long a value may be, by what it becomes: a PostgreSQL name, a host name, a path, a backup label. Each check
 * returns the rule a refusal states (the length found and the limit, with its reason), or null. Bytes are counted
 * in UTF-8, as PostgreSQL and the file system count them.
 */
public final class Limits {
    /** PostgreSQL's names (roles, databases, slots, application_name, parameters): NAMEDATALEN - 1 bytes. */
    public static final int NAME_BYTES = 63;
    /** A DNS host name: 253 characters, each label 63. */
    public static final int HOST_NAME = 253;
    /** A label of a host name. */
    public static final int LABEL = 63;
    /** A path: PATH_MAX (4096) bytes with its terminating NUL. */
    public static final int PATH_BYTES = 4095;
    /** One component of a path: NAME_MAX bytes. */
    public static final int COMPONENT_BYTES = 255;
    /**
     * A data directory: PostgreSQL builds the paths of its files in MAXPGPATH (1024) byte buffers and cuts longer
     * ones short (measured on PostgreSQL 15: from 1003 bytes on it no longer reads postgresql.auto.conf, from 1006
     * initdb fails on {@code global/pg_contro}); 64 bytes stay free for the longest path below it
     * ({@code /pg_wal/archive_status/<segment>.partial.done} is 60).
     */
    public static final int DATA_DIRECTORY_BYTES = 1023 - 64;
    /** A pg_basebackup label: PostgreSQL refuses one over MAXPGPATH bytes ("backup label too long"). */
    public static final int BACKUP_LABEL_BYTES = 1024;

    private Limits() {
    }

    /**
     * @param name a value that becomes a PostgreSQL name
     * @return why it is too long, or null
     */
    public static String nameProblem(String name) {
        return nameProblem(name, "PostgreSQL cuts a longer one short, so it would name another");
    }

    /**
     * @param name        a value that becomes a PostgreSQL name, or is compared with one
     * @param consequence what a longer one would do, e.g. {@code this entry would match no role}
     * @return why it is too long, or null
     */
    public static String nameProblem(String name, String consequence) {
        int bytes = Text.utf8Length(name);
        return bytes <= NAME_BYTES ? null : "is " + bytes + " bytes long; PostgreSQL names are at most " + NAME_BYTES
                + " bytes in UTF-8 (NAMEDATALEN - 1): " + consequence;
    }

    /**
     * @param host a host name (or an IP address, which is shorter than the limits)
     * @return why it is too long for DNS, or null
     */
    public static String hostProblem(String host) {
        if (host.length() > HOST_NAME) {
            return "is " + host.length() + " characters long; a host name is at most " + HOST_NAME + " (DNS)";
        }
        for (String label : host.split("\\.", -1)) {
            if (label.length() > LABEL) {
                return "has a label of " + label.length() + " characters ('" + Text.printable(label) + "'); the"
                        + " labels between the dots of a host name are at most " + LABEL + " (DNS)";
            }
        }
        return null;
    }

    /**
     * @param path a path
     * @return why it is too long for the system (PATH_MAX, or NAME_MAX for one of its components), or null
     */
    public static String pathProblem(String path) {
        int bytes = Text.utf8Length(path);
        if (bytes > PATH_BYTES) {
            return "is " + bytes + " bytes long; a path is at most " + PATH_BYTES + " bytes (PATH_MAX, 4096 with"
                    + " its terminating NUL)";
        }
        for (String component : path.split("/")) {
            int n = Text.utf8Length(component);
            if (n > COMPONENT_BYTES) {
                return "has a component of " + n + " bytes ('" + Text.printable(component) + "'); a file or"
                        + " directory name is at most " + COMPONENT_BYTES + " bytes (NAME_MAX)";
            }
        }
        return null;
    }

    /**
     * @param directory a data directory, a path within {@link #pathProblem}'s limits
     * @return why it is too long for PostgreSQL, or null
     */
    static String dataDirectoryProblem(String directory) {
        int bytes = Text.utf8Length(directory);
        if (bytes > DATA_DIRECTORY_BYTES) {
            return "is " + bytes + " bytes long; a data directory is at most " + DATA_DIRECTORY_BYTES + " bytes:"
                    + " PostgreSQL builds the paths of its files in 1024-byte buffers (MAXPGPATH) and cuts longer"
                    + " ones short (from 1003 bytes on, it silently skips postgresql.auto.conf, which holds the"
                    + " standby's settings), and keeps files up to 64 bytes deeper";
        }
        String last = directory.replaceAll("/+$", "").replaceAll(".*/", "");
        int n = Text.utf8Length(last);
        if (n > COMPONENT_BYTES - ".log".length()) {
            return "ends with a name of " + n + " bytes; at most " + (COMPONENT_BYTES - ".log".length()) + ", so that"
                    + " its server log beside it (the same name and .log) stays within " + COMPONENT_BYTES
                    + " bytes (NAME_MAX)";
        }
        return null;
    }

    /**
     * @param label a pg_basebackup label
     * @return why PostgreSQL would refuse it, or null
     */
    public static String backupLabelProblem(String label) {
        int bytes = Text.utf8Length(label);
        return bytes <= BACKUP_LABEL_BYTES ? null : "is " + bytes + " bytes long; PostgreSQL refuses a backup label"
                + " over " + BACKUP_LABEL_BYTES + " bytes (MAXPGPATH)";
    }
}
