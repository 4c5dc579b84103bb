package io.github.pgreplication;

/**
 * A stretch of WAL, {@code [from, to)}.
 *
 * @param from where it starts
 * @param to   where it ends; null when unknown
 */
public record WalRange(Lsn from, Lsn to) {
    /** @return its length in bytes, or -1 when the end is unknown */
    public long bytes() {
        return to == null ? -1 : Math.max(0, to.minus(from));
    }

    @Override
    public String toString() {
        return to == null ? "from " + from + " to the end of its WAL" : from + " to " + to + " (" + bytes() + " bytes)";
    }
}
