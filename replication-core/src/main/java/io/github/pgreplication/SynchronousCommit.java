package io.github.pgreplication;

/** Values of {@code synchronous_commit}. */
public enum SynchronousCommit {
    /** {@code off} */
    OFF("off"),
    /** {@code local} */
    LOCAL("local"),
    /** {@code remote_write} */
    REMOTE_WRITE("remote_write"),
    /** {@code remote_apply} */
    REMOTE_APPLY("remote_apply"),
    /** {@code on} */
    ON("on");

    private final String value;

    SynchronousCommit(String value) {
        this.value = value;
    }

    /** @return the value as written in postgresql.conf */
    public String toPostgres() {
        return value;
    }
}
