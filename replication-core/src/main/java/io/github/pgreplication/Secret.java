package io.github.pgreplication;

import java.util.Objects;
import java.util.Optional;

/**
 * A password or other secret. {@link #toString()} always renders {@code ****}, so a secret that reaches a log,
 * an exception or a runbook by accident stays hidden. The library passes secrets to programs through 0600
 * passfiles or protocol messages, never through argv.
 *
 * <pre>{@code
 * Secret password = Secret.of(System.getenv("REPLICATION_PASSWORD"));
 * }</pre>
 */
public final class Secret {
    private static final Secret NONE = new Secret(null);

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * @param value the secret text; not null (use {@link #none()} for no secret)
     * @return a secret holding {@code value}
     */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "secret value must not be null: give the password, or use Secret.none() for no password"));
    }

    /** @return the absent secret: no password */
    public static Secret none() {
        return NONE;
    }

    /** @return whether a secret is held */
    public boolean isPresent() {
        return value != null;
    }

    /** @return the secret text, for the few places that must send it; never log it */
    public Optional<String> reveal() {
        return Optional.ofNullable(value);
    }

    /**
     * Replaces every occurrence of this secret in {@code text} with {@code ****}.
     *
     * @param text any text, possibly null
     * @return the text without the secret
     */
    public String redact(String text) {
        if (text == null || value == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, "****");
    }

    @Override
    public String toString() {
        return value == null ? "(none)" : "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }
}
