package io.github.pgreplication.clone;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
     * Progress of a clone, as its program reports it (pg_basebackup's {@code -P}, pgBackRest's per-file lines), with
     * the rate and so the time left. The library logs one at INFO at most every 5 seconds, plus the first and the
     * last; a clone method's progress listener receives every one.
     *
     * @param standby        the standby being cloned
     * @param doneBytes      bytes done so far (for a delta restore, files kept because they matched count as done)
     * @param totalBytes     estimated total bytes
     * @param percent        percentage done, 0 to 100
     * @param elapsed        time since the clone started
     * @param bytesPerSecond the rate since the first report (pg_basebackup reports nothing while the primary's
     *                       checkpoint runs); 0 while unknown
     */
    public record CloneProgress(String standby, long doneBytes, long totalBytes, int percent, Duration elapsed,
            long bytesPerSecond) {
        /**
         * Checks for nulls and negative values.
         *
         * @param standby        the standby being cloned
         * @param doneBytes      bytes done so far
         * @param totalBytes     estimated total bytes
         * @param percent        percentage done, 0 to 100
         * @param elapsed        time since the clone started
         * @param bytesPerSecond the rate since the first report; 0 while unknown
         */
        public CloneProgress {
            Objects.requireNonNull(standby, "standby");
            Objects.requireNonNull(elapsed, "elapsed");
            if (doneBytes < 0 || totalBytes < 0 || bytesPerSecond < 0 || percent < 0 || percent > 100) {
                throw new IllegalArgumentException("progress " + doneBytes + "/" + totalBytes + " bytes, " + percent
                        + "%, " + bytesPerSecond + " bytes/s: sizes and rate are not negative, the percentage is"
                        + " 0 to 100");
            }
        }

        /** @return bytes still to do, by the estimate */
        public long remainingBytes() {
            return Math.max(0, totalBytes - doneBytes);
        }

        /** @return the time left at the rate so far; empty while the rate is unknown */
        public Optional<Duration> eta() {
            if (bytesPerSecond <= 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(Math.round(remainingBytes() * 1000.0 / bytesPerSecond)));
        }
    }
}
