package io.github.pgreplication.pgbackrest;

/**
 * How a delta restore ({@code pgbackrest restore --delta}) decides that a file already in the data directory matches
 * the backup and can stay. Only the files that do not match travel from the repository; files the backup does not
 * know are deleted either way.
 *
 * <pre>{@code
 * PgBackRestRestore.from(repository, "psql").withDelta(DeltaMatch.SIZE_AND_TIMESTAMP)
 * }</pre>
 */
public enum DeltaMatch {
    /**
     * {@code --delta}: pgBackRest reads every existing file whole and compares its SHA-1 with the backup's. Safe
     * whatever happened to the directory (a file changed behind PostgreSQL's back, a damaged disk block, a directory
     * copied with its timestamps): what stays is byte for byte what the backup holds. The price is one read of the
     * whole data directory, paid even when almost nothing changed: 0.3 s for 950 MB in the page cache on two
     * processes in the shaped-link benchmark (BENCHMARKS.md), and what the disk gives when the files are not cached.
     */
    CHECKSUM,
    /**
     * {@code --delta --force}: a file stays when its size and modification time equal the backup's and that time is
     * before the backup started copying; nothing is read, so a stale standby costs what changed (as rsync's default
     * quick check, and as pgBackRest's own incremental backups decide which files to copy).
     *
     * <p>Safe for a data directory that a restore or clone of this cluster produced and that only PostgreSQL wrote
     * to since (every write moves a file's modification time forward), on a host whose clock was not set back.
     * <b>Unsafe</b>, because a changed file would be kept as it is, when a file may have changed without its size or
     * time changing: a directory copied or restored by a tool that keeps timestamps ({@code cp -p}, {@code tar},
     * {@code rsync -t}, a file-system snapshot of another server), a file edited and its time reset
     * ({@code touch -r}), a damaged block on the standby's disk (checksums would catch it; this mode keeps it), or a
     * directory of another cluster. Use {@link #CHECKSUM} there.
     */
    SIZE_AND_TIMESTAMP
}
