package io.github.pgreplication;

/** Values of {@code archive_mode}. */
public enum ArchiveMode {
    /** {@code off} */
    OFF("off"),
    /** {@code on} */
    ON("on"),
    /** {@code always} */
    ALWAYS("always");

    private final String value;

    ArchiveMode(String value) {
        this.value = value;
    }

    /** @return the value as written in postgresql.conf */
    public String toPostgres() {
        return value;
    }
}
