package io.github.pgreplication.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * What a {@link Ledger} found: what was acknowledged, and what the primary and each standby hold of it.
 *
 * @param table           the ledger's table
 * @param primary         the node that was the primary when it was read
 * @param acknowledged    how many commits returned success
 * @param sent            how many inserts were sent (acknowledged, failed, or in flight when a connection broke)
 * @param errors          how many statements or connections failed
 * @param lastErrors      the last few errors, SQLSTATE first
 * @param longestOutage   the longest stretch during which no commit returned success
 * @param commitP50       median time from sending an insert to its acknowledgement
 * @param commitP99       99th percentile of it
 * @param commitsPerSecond acknowledged commits per second over the ledger's run
 * @param lostOnPrimary   acknowledged ids the primary does not hold: acknowledged but lost
 * @param lostOnStandbys  per standby that could be read, acknowledged ids it does not hold
 * @param unavailable     per standby that could not be read, why (down, not replaying)
 * @param indeterminate   ids the primary holds whose commit was sent but never acknowledged (in flight when the
 *                        connection broke): allowed
 * @param duplicates      ids the primary holds more than once
 * @param unexpected      ids the primary holds that were never sent: a defect, of the ledger or of the database
 */
public record LedgerReport(String table, String primary, long acknowledged, long sent, long errors,
        List<String> lastErrors, Duration longestOutage, Duration commitP50, Duration commitP99,
        double commitsPerSecond, SortedSet<Long> lostOnPrimary, Map<String, SortedSet<Long>> lostOnStandbys,
        Map<String, String> unavailable, SortedSet<Long> indeterminate, SortedSet<Long> duplicates,
        SortedSet<Long> unexpected) {

    /** Copies the collections. */
    public LedgerReport {
        lastErrors = List.copyOf(lastErrors);
        lostOnPrimary = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(lostOnPrimary));
        lostOnStandbys = Map.copyOf(lostOnStandbys);
        unavailable = Map.copyOf(unavailable);
        indeterminate = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(indeterminate));
        duplicates = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(duplicates));
        unexpected = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(unexpected));
    }

    /** @return how many acknowledged ids the primary lacks */
    public int lost() {
        return lostOnPrimary.size();
    }

    /**
     * @return whether nothing acknowledged is missing on the primary or on any standby that could be read, and no
     *         id is duplicated or unexpected
     */
    public boolean consistent() {
        return lostOnPrimary.isEmpty() && lostOnStandbys.values().stream().allMatch(SortedSet::isEmpty)
                && duplicates.isEmpty() && unexpected.isEmpty();
    }

    /** @return one line: the counts, then what is missing where */
    public String summary() {
        return "ledger " + table + " on " + primary + ": " + acknowledged + " acknowledged of " + sent + " sent, "
                + errors + " errors, " + lostOnPrimary.size() + " acknowledged but lost" + (lostOnPrimary.isEmpty()
                ? "" : " " + sample(lostOnPrimary)) + ", " + indeterminate.size() + " indeterminate, "
                + duplicates.size() + " duplicated, longest outage " + longestOutage.toMillis() + " ms, commit p50 "
                + micros(commitP50) + " p99 " + micros(commitP99) + ", " + Math.round(commitsPerSecond)
                + " commits/s; standbys " + lostOnStandbys.entrySet().stream().map(e -> e.getKey() + " missing "
                + e.getValue().size()).collect(Collectors.joining(", ")) + (unavailable.isEmpty() ? ""
                : "; unavailable " + unavailable.keySet());
    }

    private static String sample(SortedSet<Long> ids) {
        return ids.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ", "[", ids.size() > 10
                ? ", ...]" : "]"));
    }

    private static String micros(Duration d) {
        return (d.toNanos() / 1000) + " us";
    }

    @Override
    public String toString() {
        return summary();
    }
}
