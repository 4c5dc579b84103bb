package io.github.pgreplication;

/** Values of {@code wal_level}. Streaming replication needs {@link #REPLICA} or {@link #LOGICAL}. */
public enum WalLevel {
    /** {@code minimal} */
    MINIMAL("minimal"),
    /** {@code replica} */
    REPLICA("replica"),
    /** {@code logical} */
    LOGICAL("logical");

    private final String value;

    WalLevel(String value) {
        this.value = value;
    }

    /** @return the value as written in postgresql.conf */
    public String toPostgres() {
        return value;
    }
}
