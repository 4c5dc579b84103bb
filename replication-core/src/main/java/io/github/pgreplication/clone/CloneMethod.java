package io.github.pgreplication.clone;

import java.util.List;

/**
 * How a standby's data directory is produced from the primary (a service-provider interface). Core ships
 * {@link BaseBackup}; the pgBackRest module ships a restore. A standby may list several, tried in order: when one
 * fails, what it left in the (previously empty) data directory is removed and the next one runs, and the apply
 * result says which one was used and why the others were not.
 *
 * <p>Before {@link #cloneInto(CloneContext)} runs, the library has checked that the data directory is absent or
 * empty (or emptied it with the user's explicit permission, or kept it for a method that
 * {@linkplain #keepsDataDirectory() re-syncs in place}), and written the replication passfile. After it returns, the
 * data directory must hold a standby that, once started, streams from the primary using the context's slot and
 * {@code application_name}.
 *
 * <p>A method can also add steps of its own to the plan, on any node and in any phase, with
 * {@link #contributedSteps(CloneContext)}: work that is not part of one standby's clone (a repository prepared once
 * for every standby restored from it) gets a runbook line and an outcome of its own.
 */
public interface CloneMethod {
    /** @return a short name for plans and results, e.g. {@code pg_basebackup} */
    String name();

    /**
     * @param context the standby being cloned
     * @return the commands a person would type to do the same, one per line, secrets as {@code ****}
     */
    List<String> runbook(CloneContext context);

    /**
     * Produces the data directory.
     *
     * @param context the standby being cloned
     * @throws io.github.pgreplication.ReplicationException with an actionable message on failure
     */
    void cloneInto(CloneContext context);

    /**
     * Whether this method re-syncs a data directory in place rather than cloning into an empty one, as pgBackRest's
     * {@code restore --delta} does (it keeps the files that match the backup and copies only the others). The
     * library never touches a non-empty directory the user did not allow it to
     * ({@code Standby...withEmptyDataDirectoryAllowed(true)}); with that permission, and when the directory holds a
     * PostgreSQL data directory ({@code PG_VERSION}), it keeps the directory for the first clone method of the
     * standby when that method says true here, instead of emptying it. When such a method fails, the directory is
     * emptied before a next method that does not keep it, and left as it is when none follows (a re-run of
     * {@code apply()} resumes from it).
     *
     * @return false by default: a non-empty directory is emptied (with permission) before {@link #cloneInto} runs
     */
    default boolean keepsDataDirectory() {
        return false;
    }

    /**
     * Steps this method adds to the plan of {@code apply()} for the standby of {@code context}. Equal steps
     * ({@link ContributedStep#key()}) contributed for several standbys, in the same phase, run once. They are
     * planned for every standby that lists this method, also when an earlier method of its list is the one that
     * clones it.
     *
     * @param context the standby being planned
     * @return the steps, none by default
     */
    default List<ContributedStep> contributedSteps(CloneContext context) {
        return List.of();
    }

    /**
     * Progress of a clone, as reported by pg_basebackup's {@code -P}.
     *
     * @param standby    the standby being cloned
     * @param doneBytes  bytes copied so far
     * @param totalBytes estimated total bytes
     * @param percent    percentage done, 0 to 100
     */
    public record CloneProgress(String standby, long doneBytes, long totalBytes, int percent) {
    }
}
