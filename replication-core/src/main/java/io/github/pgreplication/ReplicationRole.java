package io.github.pgreplication;

import java.util.Objects;

/**
 * The role standbys connect as: created, or altered, {@code WITH REPLICATION LOGIN}. With a password, the password
 * is set as a SCRAM-SHA-256 verifier computed by the driver, so the clear text never reaches the server's logs;
 * standbys receive it through a 0600 passfile. Without one (as in the first runbook), pg_hba must trust the
 * standbys' addresses.
 *
 * <pre>{@code
 * ReplicationRole.named("replicator").withoutPassword();
 * ReplicationRole.named("replicator").withPassword(Secret.of(System.getenv("REPL_PASSWORD")));
 * }</pre>
 *
 * @param name     role name; checked at load()
 * @param password the password, or {@link Secret#none()}
 */
public record ReplicationRole(String name, Secret password) {
    /**
     * Checks for nulls.
     *
     * @param name     role name; checked at load()
     * @param password the password, or {@link Secret#none()}
     */
    public ReplicationRole {
        Objects.requireNonNull(name, "replication role name must not be null: give e.g."
                + " ReplicationRole.named(\"replicator\")");
        Objects.requireNonNull(password, "replication role password must not be null: give Secret.of(...), or"
                + " Secret.none() for no password");
    }

    /**
     * @param name role name
     * @return a password-less role
     */
    public static ReplicationRole named(String name) {
        return new ReplicationRole(name, Secret.none());
    }

    /**
     * @param secret the password
     * @return a copy with that password
     */
    public ReplicationRole withPassword(Secret secret) {
        return new ReplicationRole(name, secret);
    }

    /** @return a copy without password */
    public ReplicationRole withoutPassword() {
        return new ReplicationRole(name, Secret.none());
    }

    /** @return whether a password is set */
    public boolean hasPassword() {
        return password.isPresent();
    }
}
