package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A timeline history file ({@code pg_wal/0000000N.history}): for each ancestor timeline, where it ended.
 *
 * @param timeline the timeline this history leads to
 * @param entries  ancestors, oldest first
 */
public record TimelineHistory(long timeline, List<Entry> entries) {
    /**
     * @param parent     an ancestor timeline
     * @param switchpoint the position where the next timeline branched off it
     */
    public record Entry(long parent, Lsn switchpoint) {
    }

    /**
     * Copies the list.
     *
     * @param timeline the timeline this history leads to
     * @param entries  ancestors, oldest first
     */
    public TimelineHistory {
        entries = List.copyOf(entries);
    }

    /**
     * @param timeline the timeline the file belongs to
     * @param text     the file, lines {@code parentTLI switchpoint reason}; comments and blank lines ignored
     * @return its entries
     */
    public static TimelineHistory parse(long timeline, String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length >= 2) {
                out.add(new Entry(Long.parseLong(f[0]), Lsn.parse(f[1])));
            }
        }
        return new TimelineHistory(timeline, out);
    }

    /**
     * @param timeline a timeline with no history (timeline 1)
     * @return an empty history
     */
    public static TimelineHistory none(long timeline) {
        return new TimelineHistory(timeline, List.of());
    }

    /**
     * @param ancestor a timeline
     * @return where it ended on the way to {@link #timeline()}; empty when it is this timeline or not an ancestor
     */
    public Optional<Lsn> switchpoint(long ancestor) {
        return entries.stream().filter(e -> e.parent() == ancestor).map(Entry::switchpoint).findFirst();
    }

    /**
     * @param other a timeline
     * @return whether it is this timeline or one of its ancestors
     */
    public boolean contains(long other) {
        return other == timeline || switchpoint(other).isPresent();
    }
}
