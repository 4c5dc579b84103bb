package io.github.pgreplication;

/** Values of {@code wal_compression}; lz4 and zstd need a server built with them. */
public enum WalCompression {
    /** {@code off} */
    OFF("off"),
    /** {@code on} */
    ON("on"),
    /** {@code pglz} */
    PGLZ("pglz"),
    /** {@code lz4} */
    LZ4("lz4"),
    /** {@code zstd} */
    ZSTD("zstd");

    private final String value;

    WalCompression(String value) {
        this.value = value;
    }

    /** @return the value as written in postgresql.conf */
    public String toPostgres() {
        return value;
    }
}
