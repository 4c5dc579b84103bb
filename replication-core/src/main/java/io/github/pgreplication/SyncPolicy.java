package io.github.pgreplication;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Which standbys must confirm a commit before the primary acknowledges it: PostgreSQL's
 * {@code synchronous_standby_names} and {@code synchronous_commit}, as a property of the topology. The library writes
 * the list once every standby streams (no write waits during a clone), verifies that
 * {@code pg_stat_replication.sync_state} shows it, and recomputes it at every switchover, failover, rejoin and
 * removal, so that a primary never names itself and a standby leaves the list before it is stopped. It never relaxes
 * a policy by itself: when too few standbys answer, commits wait until one comes back or the caller relaxes it with
 * {@link Replication#setSyncPolicy(SyncPolicy)}.
 *
 * <pre>{@code
 * Replication.primary(primary)
 *         .addStandby(Standby.named("eshub"))
 *         .addStandby(Standby.named("eshuc"))
 *         .syncPolicy(SyncPolicy.any(1))                       // ANY 1 ("eshub", "eshuc")
 *         .load();
 * SyncPolicy.first(1, "eshub", "eshuc")                        // FIRST 1: eshub, else eshuc
 *         .withCommitLevel(SynchronousCommit.REMOTE_APPLY);     // readable on the standby once acknowledged
 * }</pre>
 *
 * <p>Names are the standbys' names (their {@code application_name}); none given means every standby of the set-up,
 * whichever they are after an operation. When names are given, a standby promoted by a switchover or a failover
 * gives its place in the list to the old primary, so the list keeps its size; a removed standby leaves it.
 *
 * @param method      {@link Method#NONE}, {@link Method#FIRST} (priority) or {@link Method#ANY} (quorum)
 * @param count       how many standbys must confirm; 0 for {@link Method#NONE}
 * @param names       the standbys that may confirm, in priority order for {@link Method#FIRST}; empty means every
 *                    standby of the set-up
 * @param commitLevel what a standby confirms: {@link SynchronousCommit#REMOTE_WRITE} (written, not flushed),
 *                    {@link SynchronousCommit#ON} (flushed; the default) or {@link SynchronousCommit#REMOTE_APPLY}
 *                    (replayed: visible to reads on it)
 */
public record SyncPolicy(Method method, int count, List<String> names, SynchronousCommit commitLevel) {
    private static final SyncPolicy NONE = new SyncPolicy(Method.NONE, 0, List.of(), null);

    /** How the confirming standbys are chosen. */
    public enum Method {
        /** Asynchronous replication: no standby confirms a commit ({@code synchronous_standby_names = ''}). */
        NONE,
        /** {@code FIRST n (...)}: the first n streaming standbys of the list, in its order, confirm. */
        FIRST,
        /** {@code ANY n (...)}: any n of the listed standbys confirm (quorum commit). */
        ANY
    }

    /**
     * Copies the names; checks what needs no other part of the description (the rest is checked at
     * {@link Replication.Builder#load()}).
     *
     * @param method      {@link Method#NONE}, {@link Method#FIRST} (priority) or {@link Method#ANY} (quorum)
     * @param count       how many standbys must confirm; 0 for {@link Method#NONE}
     * @param names       the standbys that may confirm, in priority order for {@link Method#FIRST}; empty means every
     *                    standby of the set-up
     * @param commitLevel what a standby confirms: {@link SynchronousCommit#REMOTE_WRITE} (written, not flushed),
     *                    {@link SynchronousCommit#ON} (flushed; the default) or {@link SynchronousCommit#REMOTE_APPLY}
     *                    (replayed: visible to reads on it)
     */
    public SyncPolicy {
        Objects.requireNonNull(method, "method must not be null: use SyncPolicy.none(), first(...) or any(...)");
        names = List.copyOf(Objects.requireNonNull(names, "names must not be null: give none for every standby"));
        if (method == Method.NONE) {
            if (count != 0 || !names.isEmpty() || commitLevel != null) {
                throw new IllegalArgumentException("SyncPolicy.none() has no count, names or commit level; got "
                        + count + ", " + names + ", " + commitLevel + ". Use SyncPolicy.none().");
            }
        } else {
            Objects.requireNonNull(commitLevel, "commit level must not be null: give e.g. SynchronousCommit.ON");
        }
    }

    /** @return asynchronous replication: no standby confirms commits (the default) */
    public static SyncPolicy none() {
        return NONE;
    }

    /**
     * Priority: the first {@code count} streaming standbys of {@code names}, in that order, confirm each commit
     * ({@code FIRST count (names)}); the others stand by as {@code potential}.
     *
     * @param count how many must confirm, from 1 to the number of names (checked at load())
     * @param names the standbys in priority order; none means every standby of the set-up, in the order added
     * @return the policy, committing at level {@link SynchronousCommit#ON}
     */
    public static SyncPolicy first(int count, String... names) {
        return new SyncPolicy(Method.FIRST, count, List.of(checked(names)), SynchronousCommit.ON);
    }

    /**
     * Quorum: any {@code count} of {@code names} confirm each commit ({@code ANY count (names)}).
     *
     * @param count how many must confirm, from 1 to the number of names (checked at load())
     * @param names the standbys that may confirm; none means every standby of the set-up
     * @return the policy, committing at level {@link SynchronousCommit#ON}
     */
    public static SyncPolicy any(int count, String... names) {
        return new SyncPolicy(Method.ANY, count, List.of(checked(names)), SynchronousCommit.ON);
    }

    private static String[] checked(String[] names) {
        Objects.requireNonNull(names, "names must not be null: give none for every standby");
        for (String n : names) {
            Objects.requireNonNull(n, "a standby name must not be null: give e.g. \"eshub\"");
        }
        return names;
    }

    /**
     * @param level what a standby confirms: {@link SynchronousCommit#REMOTE_WRITE}, {@link SynchronousCommit#ON}
     *              or {@link SynchronousCommit#REMOTE_APPLY} (checked at load(): {@code off} and {@code local}
     *              would wait for no standby)
     * @return a copy
     * @throws IllegalArgumentException on {@link #none()}, which has no commit level
     */
    public SyncPolicy withCommitLevel(SynchronousCommit level) {
        if (method == Method.NONE) {
            throw new IllegalArgumentException("SyncPolicy.none() waits for no standby, so it has no commit level;"
                    + " use SyncPolicy.any(1).withCommitLevel(...) or first(...)");
        }
        return copy(c -> c.commitLevel = Objects.requireNonNull(level, "commit level must not be null: give e.g."
                + " SynchronousCommit.REMOTE_APPLY"));
    }

    /** @return whether standbys confirm commits under this policy */
    public boolean synchronous() {
        return method != Method.NONE;
    }

    /** @return the policy as Java code, e.g. {@code SyncPolicy.any(1, "eshub", "eshuc")}, for messages */
    public String toCode() {
        if (method == Method.NONE) {
            return "SyncPolicy.none()";
        }
        StringBuilder sb = new StringBuilder("SyncPolicy.").append(method == Method.FIRST ? "first" : "any")
                .append('(').append(count);
        names.forEach(n -> sb.append(", \"").append(n).append('"'));
        sb.append(')');
        if (commitLevel != SynchronousCommit.ON) {
            sb.append(".withCommitLevel(SynchronousCommit.").append(commitLevel.name()).append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        if (method == Method.NONE) {
            return "asynchronous";
        }
        return method + " " + count + " (" + (names.isEmpty() ? "every standby" : String.join(", ", names))
                + "), synchronous_commit " + commitLevel.toPostgres();
    }

    /** Makes a policy of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private SyncPolicy copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new SyncPolicy(c.method, c.count, c.names, c.commitLevel);
    }

    /** This policy's fields, for a wither to change before {@link #copy} makes a policy of them. */
    private final class Copy {
        Method method = SyncPolicy.this.method;
        int count = SyncPolicy.this.count;
        List<String> names = SyncPolicy.this.names;
        SynchronousCommit commitLevel = SyncPolicy.this.commitLevel;
    }
}
