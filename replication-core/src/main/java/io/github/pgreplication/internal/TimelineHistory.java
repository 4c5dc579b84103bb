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
     * Where two histories of one cluster part, found as pg_rewind finds it: the latest timeline both went through,
     * begun at the same position, and where each left it.
     *
     * @param timeline  the latest timeline they share
     * @param left      where this history left it; empty when this server is still on it
     * @param otherLeft where the other history left it; empty when that server is still on it
     */
    public record Divergence(long timeline, Optional<Lsn> left, Optional<Lsn> otherLeft) {
        /** @return where their WAL parts: the earlier of the two switch points; empty when both are still on it */
        public Optional<Lsn> at() {
            if (left.isEmpty() || otherLeft.isEmpty()) {
                return left.isEmpty() ? otherLeft : left;
            }
            return Optional.of(left.get().compareTo(otherLeft.get()) <= 0 ? left.get() : otherLeft.get());
        }
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
     * @throws IllegalArgumentException when a line does not start with a timeline number and an LSN
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
                if (!f[0].matches("[0-9]{1,10}")) {
                    throw new IllegalArgumentException("the line '" + Text.printable(l) + "' does not start with a"
                            + " timeline number (expected: parentTLI switchpoint reason)");
                }
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
     * @param timeline a timeline
     * @return its history file's path relative to the data directory, {@code pg_wal/0000000N.history}
     */
    public static String fileName(long timeline) {
        return String.format("pg_wal/%08X.history", timeline);
    }

    /**
     * Walks both histories from timeline 1 while they go through the same timelines, each begun at the same position
     * (as pg_rewind's search for the last common timeline does): two servers promoted apart can reach timelines of
     * the same number from different points, which are different timelines.
     *
     * @param other another server's history
     * @return the latest timeline both share and where each left it; empty when they share none
     */
    public Optional<Divergence> divergence(TimelineHistory other) {
        int shared = -1;
        for (int i = 0; i <= entries.size() && i <= other.entries.size(); i++) {
            if (timelineAt(i) != other.timelineAt(i) || !begin(i).equals(other.begin(i))) {
                break;
            }
            shared = i;
        }
        if (shared < 0) {
            return Optional.empty();
        }
        return Optional.of(new Divergence(timelineAt(shared), end(shared), other.end(shared)));
    }

    /**
     * @param ancestor a timeline of this history
     * @return the timeline that followed it here; empty when it is this history's timeline or not in it
     */
    public Optional<Long> after(long ancestor) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).parent() == ancestor) {
                return Optional.of(timelineAt(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * @param timeline a timeline of this history
     * @return where it began here: 0/0 for the first, else where the one before it ended; empty when it is not in it
     */
    public Optional<Lsn> began(long timeline) {
        for (int i = 0; i <= entries.size(); i++) {
            if (timelineAt(i) == timeline) {
                return Optional.of(begin(i));
            }
        }
        return Optional.empty();
    }

    /** @return the timelines in order with where each ended, e.g. {@code 1 to 0/3000060, 2 to 0/5000060, 3} */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.parent()).append(" to ").append(e.switchpoint()).append(", ");
        }
        return sb.append(timeline).toString();
    }

    /** @return the i-th timeline on the way to this one (the last is this one) */
    private long timelineAt(int i) {
        return i < entries.size() ? entries.get(i).parent() : timeline;
    }

    /** @return where the i-th timeline began: 0/0 for the first, else where the one before it ended */
    private Lsn begin(int i) {
        return i == 0 ? new Lsn(0) : entries.get(i - 1).switchpoint();
    }

    /** @return where the i-th timeline ended; empty for this history's own timeline */
    private Optional<Lsn> end(int i) {
        return i < entries.size() ? Optional.of(entries.get(i).switchpoint()) : Optional.empty();
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
