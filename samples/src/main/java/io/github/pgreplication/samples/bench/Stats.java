package io.github.pgreplication.samples.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and ranges of repeated measurements, in milliseconds. */
final class Stats {
    private final List<Long> values = new ArrayList<>();

    void add(long ms) {
        values.add(ms);
    }

    /** @return the values in the order they were added */
    List<Long> values() {
        return List.copyOf(values);
    }

    long median() {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Override
    public String toString() {
        return toString("ms");
    }

    /**
     * @param unit the values' unit, e.g. {@code commits/s}
     * @return the median, range and runs in that unit
     */
    String toString(String unit) {
        return String.format("median %6d %s  (min %d, max %d, n=%d, runs %s)", median(), unit,
                Collections.min(values), Collections.max(values), values.size(), values);
    }
}
