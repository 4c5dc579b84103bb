package io.github.pgreplication.pgbackrest;

import java.util.Locale;

/**
 * Values of the restore command's {@code --type} that need no target. Targets (time, xid, lsn, name) go through
 * {@link RestoreOptions#withOption(String)}.
 */
public enum RestoreType {
    /** Recover to the end of the archive stream. */
    DEFAULT,
    /** Recover only until the cluster is consistent. */
    IMMEDIATE,
    /**
     * Start as a standby: pgBackRest writes {@code standby.signal} and a {@code restore_command} that runs
     * {@code archive-get} with the same configuration.
     */
    STANDBY,
    /** Write no recovery settings. */
    NONE,
    /** Keep the existing recovery settings. */
    PRESERVE;

    /** @return the value pgBackRest uses, e.g. {@code standby} */
    public String toPgBackRest() {
        return name().toLowerCase(Locale.ROOT);
    }
}
