package io.github.pgreplication.pgbackrest;

/**
 * The WAL held in the repository for one PostgreSQL version and system of a stanza.
 *
 * @param id      archive id, e.g. {@code 15-1}
 * @param min     oldest WAL segment, or null when none is archived yet
 * @param max     newest WAL segment, or null
 * @param repoKey repository number
 */
public record WalArchiveRange(String id, String min, String max, int repoKey) {
    /** @return whether any WAL is archived */
    public boolean hasWal() {
        return max != null;
    }
}
