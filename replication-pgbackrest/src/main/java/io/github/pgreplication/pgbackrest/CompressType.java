package io.github.pgreplication.pgbackrest;

import java.util.Locale;

/** Values of pgBackRest's {@code compress-type} option (default {@code gz}). */
public enum CompressType {
    /** No compression. */
    NONE,
    /** bzip2. */
    BZ2,
    /** gzip, pgBackRest's default. */
    GZ,
    /** lz4: fast, not available on every platform. */
    LZ4,
    /** Zstandard: not available on every platform. */
    ZST;

    /** @return the value as written in pgbackrest.conf, e.g. {@code lz4} */
    public String toPgBackRest() {
        return name().toLowerCase(Locale.ROOT);
    }
}
