package io.github.pgreplication.testkit;

/**
 * Which server a PgJDBC multi-host URL connects to ({@code targetServerType}): PgJDBC tries the hosts in order (or
 * shuffled with {@code loadBalanceHosts}) and keeps the first that qualifies.
 */
public enum TargetServerType {
    /** Any server that accepts the connection. */
    ANY("any"),
    /** The server that accepts writes (not in recovery, not read-only). */
    PRIMARY("primary"),
    /** A read-only server: a standby. */
    SECONDARY("secondary"),
    /** A standby when one is up, else the primary. */
    PREFER_SECONDARY("preferSecondary"),
    /** The primary when it is up, else a standby. */
    PREFER_PRIMARY("preferPrimary");

    private final String value;

    TargetServerType(String value) {
        this.value = value;
    }

    /** @return the value as PgJDBC spells it in the URL, e.g. {@code preferSecondary} */
    public String value() {
        return value;
    }
}
