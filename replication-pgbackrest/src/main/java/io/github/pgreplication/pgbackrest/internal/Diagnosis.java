package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.Objects;

/**
 * What {@link Diagnostics} found in a failure, from which the API package makes its {@code PgBackRestException}:
 * the kind, the message, the failed command, and the data of the kind (null where it has none).
 *
 * @param kind               what failed
 * @param message            the headline, the fix, pgBackRest's words and the command
 * @param failure            the failed command, or null when found without running one
 * @param publicKey          the standby's public key to authorize ({@link Kind#SSH_KEY_NOT_AUTHORIZED}), or null
 * @param keyPath            the private key looked for ({@link Kind#SSH_KEY_MISSING}), or null
 * @param hostKeyFingerprint the repository host's key seen ({@link Kind#SSH_HOST_KEY}), e.g. {@code SHA256:...}, or
 *                           null
 * @param localVersion       the version on the host that ran the command ({@link Kind#VERSION_MISMATCH}), or null
 * @param remoteVersion      the version on the other host, or null
 */
public record Diagnosis(Kind kind, String message, PgBackRestFailure failure, String publicKey, String keyPath,
        String hostKeyFingerprint, String localVersion, String remoteVersion) {

    /**
     * Checks for nulls where a value is required.
     *
     * @param kind               what failed
     * @param message            the headline, the fix, pgBackRest's words and the command
     * @param failure            the failed command, or null when found without running one
     * @param publicKey          the standby's public key to authorize ({@link Kind#SSH_KEY_NOT_AUTHORIZED}), or null
     * @param keyPath            the private key looked for ({@link Kind#SSH_KEY_MISSING}), or null
     * @param hostKeyFingerprint the repository host's key seen ({@link Kind#SSH_HOST_KEY}), e.g. {@code SHA256:...}, or
     *                           null
     * @param localVersion       the version on the host that ran the command ({@link Kind#VERSION_MISMATCH}), or null
     * @param remoteVersion      the version on the other host, or null
     */
    public Diagnosis {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /**
     * @param kind    what failed
     * @param message what to say
     * @param failure the failed command, or null
     * @return a diagnosis without data of its kind
     */
    public static Diagnosis of(Kind kind, String message, PgBackRestFailure failure) {
        return new Diagnosis(kind, message, failure, null, null, null, null, null);
    }

    /**
     * @param message   what to say
     * @param publicKey the standby's public key line, or null when unknown
     * @param failure   the failed command, or null
     * @return a {@link Kind#SSH_KEY_NOT_AUTHORIZED} diagnosis
     */
    public static Diagnosis keyNotAuthorized(String message, String publicKey, PgBackRestFailure failure) {
        return new Diagnosis(Kind.SSH_KEY_NOT_AUTHORIZED, message, failure, publicKey, null, null, null, null);
    }

    /**
     * @param message what to say
     * @param keyPath the private key path looked for
     * @param failure the failed command, or null
     * @return a {@link Kind#SSH_KEY_MISSING} diagnosis
     */
    public static Diagnosis keyMissing(String message, String keyPath, PgBackRestFailure failure) {
        return new Diagnosis(Kind.SSH_KEY_MISSING, message, failure, null, keyPath, null, null, null);
    }

    /**
     * @param message     what to say
     * @param fingerprint the fingerprint of the host key seen, or null when none was
     * @param failure     the failed command, or null
     * @return a {@link Kind#SSH_HOST_KEY} diagnosis
     */
    public static Diagnosis hostKey(String message, String fingerprint, PgBackRestFailure failure) {
        return new Diagnosis(Kind.SSH_HOST_KEY, message, failure, null, null, fingerprint, null, null);
    }

    /**
     * @param message       what to say
     * @param localVersion  the version on the host that ran the command, or the first host compared
     * @param remoteVersion the version on the other host
     * @param failure       the failed command, or null when found by comparing {@code pgbackrest version}
     * @return a {@link Kind#VERSION_MISMATCH} diagnosis
     */
    public static Diagnosis versionMismatch(String message, String localVersion, String remoteVersion,
            PgBackRestFailure failure) {
        return new Diagnosis(Kind.VERSION_MISMATCH, message, failure, null, null, null, localVersion, remoteVersion);
    }
}
