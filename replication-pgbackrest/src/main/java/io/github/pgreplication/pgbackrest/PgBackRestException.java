package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.pgbackrest.internal.Diagnosis;
import java.util.List;
import java.util.Optional;

/**
 * A pgBackRest command, the SSH connection it rides on, or a pgBackRest configuration failed. {@link #kind()} says
 * what failed (a missing stanza, an SSH key that is not authorized, PostgreSQL running where a restore should
 * go...), and the message says what to do next: the headline, the fix, pgBackRest's own words with its error code,
 * and the command line (secrets removed). The accessors carry what a caller acts on: the public key to install, the
 * key path looked for, the host key seen, both versions, the problems of a configuration, and pgBackRest's error
 * code and command; each is empty where the kind has none.
 *
 * <pre>{@code
 * try {
 *     trust.verify(standbyHost);
 * } catch (PgBackRestException e) {
 *     if (e.kind() == PgBackRestException.Kind.SSH_KEY_NOT_AUTHORIZED) {
 *         e.publicKey().ifPresent(key -> System.out.println("authorize on the repository host: " + key));
 *     }
 * }
 * }</pre>
 */
public class PgBackRestException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /** What failed; each constant names the data it carries. */
    public enum Kind {
        /**
         * The {@code pgbackrest} program is missing on a host (exit code 127, or "No such file or directory" when
         * pgBackRest starts its remote on the repository host).
         */
        NOT_INSTALLED(false),
        /**
         * Two hosts that talk to each other run different pgBackRest versions (error [039] "expected value '2.45'
         * for greeting key 'version' but got '2.44'", or found by comparing {@code pgbackrest version}): pgBackRest
         * needs the exact same version on both ends. Carries {@link #localVersion()} and {@link #remoteVersion()}.
         */
        VERSION_MISMATCH(false),
        /**
         * The standby has no SSH key pair for its pgBackRest user, so it cannot authenticate to the repository host.
         * Carries {@link #keyPath()}: generate it with {@link SshTrust#ensureKeyPair}.
         */
        SSH_KEY_MISSING(true),
        /**
         * The repository host refused the standby's key ({@code Permission denied (publickey)}): the public key is
         * not in the repository user's {@code ~/.ssh/authorized_keys}, that file has loose permissions, or the
         * account is locked. Carries {@link #publicKey()}, the line to install, when known.
         */
        SSH_KEY_NOT_AUTHORIZED(true),
        /**
         * The repository host's SSH host key is not pinned in the standby's {@code known_hosts} ("Host key
         * verification failed"), differs from the pinned one ("REMOTE HOST IDENTIFICATION HAS CHANGED"), or cannot
         * be read to pin it. Carries {@link #hostKeyFingerprint()} when a key was seen. Pin it with
         * {@link SshTrust#pinHostKey}; never turn off host key checking.
         */
        SSH_HOST_KEY(true),
        /** The repository host's SSH server cannot be reached: refused, timed out, no route, unknown host name. */
        SSH_CONNECTION(true),
        /** Any other failure of the SSH connection to the repository host; the message carries ssh's words. */
        SSH_OTHER(true),
        /**
         * The standby's files for the repository host's TLS server ({@link RepositoryHost#withTls}) are missing,
         * unreadable by pgBackRest's user, or not a certificate, found before the restore. Carries
         * {@link #problems()}, numbered, each with the file and the fix.
         */
        TLS_FILES(false),
        /**
         * The repository host's TLS server refuses the standby's client certificate: its CN is not in
         * {@code tls-server-auth} for the stanza (found before the restore when the library can read the
         * repository host's configuration, else from pgBackRest's error), or the server's {@code tls-server-ca-file}
         * did not sign it. The message names the CN and the line to add.
         */
        TLS_CLIENT_REFUSED(false),
        /**
         * The standby cannot reach the repository host's TLS server (no {@code pgbackrest server} listening on the
         * port, or the connection is cut), or does not trust its certificate (another CA, or a certificate that does
         * not name {@code repo1-host}).
         */
        TLS_CONNECTION(false),
        /**
         * The stanza does not exist in the repository (errors [055], [103] with a missing info file, [075] with the
         * stanza-create hint), or the local configuration has no section for it. The fix is {@code stanza-create}
         * on the repository host ({@link PgBackRestPrimary#prepare(PgBackRest)}).
         */
        STANZA_NOT_FOUND(false),
        /**
         * The stanza holds no backup to restore (error [075], or none listed after a restore). Take a full backup
         * on the repository host; a standby may fall back to pg_basebackup meanwhile.
         */
        NO_BACKUP(false),
        /**
         * WAL does not reach the repository from the primary: {@code archive_command} is not pgBackRest's ([068]),
         * archiving is off ([087]), or {@code archive-push} fails. A timeout is {@link #ARCHIVE_TIMEOUT}.
         */
        ARCHIVE_PUSH(false),
        /**
         * A WAL segment was not archived before the archive timeout (error [082]): the primary's
         * {@code archive_command} does not work (wrong {@code --stanza} or {@code --config}, repository not
         * writable, stanza stopped). An archive-push failure as well.
         */
        ARCHIVE_TIMEOUT(false),
        /**
         * A standby cannot fetch WAL from the repository with {@code archive-get} (its {@code restore_command}):
         * the segment is missing, or the repository cannot be read.
         */
        ARCHIVE_GET(false),
        /**
         * pgBackRest was denied access to files in the repository ({@code Permission denied}): the repository must
         * belong to the user that runs pgBackRest.
         */
        REPOSITORY_PERMISSION(false),
        /** A restore was asked into a data directory where PostgreSQL runs (error [038]): stop the server first. */
        POSTGRES_RUNNING(false),
        /**
         * pgBackRest cannot connect to the stanza's PostgreSQL server (error [056], or [027] after a connection
         * failure): wrong {@code pg1-port} or {@code pg1-socket-path}, or the server is down.
         */
        POSTGRES_UNREACHABLE(false),
        /**
         * A restore target holds files that pgBackRest will not overwrite (error [040]): without {@code --delta},
         * or with it in a directory that is not a PostgreSQL data directory.
         */
        PATH_NOT_EMPTY(false),
        /**
         * {@link PgBackRestConfig.Builder#build()} found the configuration invalid. Carries {@link #problems()},
         * every problem at once, each naming the value, the rule and the fix.
         */
        INVALID_CONFIG(false),
        /** Any other pgBackRest failure; the message carries pgBackRest's own error text and hints. */
        OTHER(false);

        private final boolean ssh;

        Kind(boolean ssh) {
            this.ssh = ssh;
        }

        /**
         * @return whether the standby's SSH connection to the repository host failed (the {@code SSH_*} kinds)
         */
        public boolean ssh() {
            return ssh;
        }
    }

    /** What failed. */
    private final Kind kind;
    /** The pgBackRest command that failed; null when the failure was found without running one. */
    private final String command;
    /** pgBackRest's error code, e.g. 55 for {@code ERROR: [055]}, or -1 when there is none. */
    private final int errorCode;
    /** For {@link Kind#SSH_KEY_NOT_AUTHORIZED}: the standby's public key line, when known; otherwise null. */
    private final String publicKey;
    /** For {@link Kind#SSH_KEY_MISSING}: the private key path that was looked for; otherwise null. */
    private final String keyPath;
    /** For {@link Kind#SSH_HOST_KEY}: the fingerprint of the host key presented; null when no key was seen. */
    private final String hostKeyFingerprint;
    /** For {@link Kind#VERSION_MISMATCH}: the version on the host that ran the command; otherwise null. */
    private final String localVersion;
    /** For {@link Kind#VERSION_MISMATCH}: the version on the other host; otherwise null. */
    private final String remoteVersion;
    private final transient List<Problem> problems;

    /**
     * A failure found without running pgBackRest, that carries no data.
     *
     * @param kind    what failed
     * @param message what failed, the offending value, and the next step
     */
    public PgBackRestException(Kind kind, String message) {
        this(kind, message, (Throwable) null);
    }

    /**
     * A failure found without running pgBackRest, that carries no data.
     *
     * @param kind    what failed
     * @param message what failed, the offending value, and the next step
     * @param cause   the underlying exception, or null
     */
    public PgBackRestException(Kind kind, String message, Throwable cause) {
        this(Diagnosis.of(kind, message, null), cause, List.of());
    }

    /**
     * @param diagnosis what the diagnostics found: kind, message, failed command and the kind's data
     */
    PgBackRestException(Diagnosis diagnosis) {
        this(diagnosis, null, List.of());
    }

    /**
     * @param problems every problem of a pgBackRest configuration; at least one
     */
    PgBackRestException(List<Problem> problems) {
        this(Diagnosis.of(Kind.INVALID_CONFIG, render("Invalid pgBackRest configuration", problems), null), null,
                problems);
    }

    /**
     * @param kind     what failed
     * @param headline what failed, without final period
     * @param problems every problem found; at least one
     */
    PgBackRestException(Kind kind, String headline, List<Problem> problems) {
        this(Diagnosis.of(kind, render(headline, problems), null), null, problems);
    }

    private PgBackRestException(Diagnosis diagnosis, Throwable cause, List<Problem> problems) {
        super(diagnosis.message(), cause);
        this.kind = diagnosis.kind();
        this.command = diagnosis.failure() == null ? null : diagnosis.failure().command();
        this.errorCode = diagnosis.failure() == null ? -1 : diagnosis.failure().errorCode();
        this.publicKey = diagnosis.publicKey();
        this.keyPath = diagnosis.keyPath();
        this.hostKeyFingerprint = diagnosis.hostKeyFingerprint();
        this.localVersion = diagnosis.localVersion();
        this.remoteVersion = diagnosis.remoteVersion();
        this.problems = List.copyOf(problems);
    }

    /**
     * @return what failed
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the pgBackRest command that failed, e.g. {@code restore}, {@code archive-get}, {@code info}, or
     *         {@code ssh} for the connection check; empty when the failure was found without running one
     */
    public Optional<String> command() {
        return Optional.ofNullable(command);
    }

    /**
     * @return pgBackRest's error code, e.g. 55 for {@code ERROR: [055]}, or -1 when there is none
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * @return for {@link Kind#SSH_KEY_NOT_AUTHORIZED}: the standby's public key line to add to the repository
     *         user's {@code authorized_keys}, when known; otherwise empty
     */
    public Optional<String> publicKey() {
        return Optional.ofNullable(publicKey);
    }

    /**
     * @return for {@link Kind#SSH_KEY_MISSING}: the private key path that was looked for, e.g.
     *         {@code /var/lib/postgresql/.ssh/id_ed25519}; otherwise empty
     */
    public Optional<String> keyPath() {
        return Optional.ofNullable(keyPath);
    }

    /**
     * @return for {@link Kind#SSH_HOST_KEY}: the fingerprint of the host key the repository host presented (or has,
     *         when another one is pinned), as {@code ssh-keygen -l} prints it, e.g. {@code SHA256:zhWOZKIZ...};
     *         empty when no key was seen
     */
    public Optional<String> hostKeyFingerprint() {
        return Optional.ofNullable(hostKeyFingerprint);
    }

    /**
     * @return for {@link Kind#VERSION_MISMATCH}: the version on the host that ran the command (or the first host
     *         compared), e.g. {@code 2.45}; otherwise empty
     */
    public Optional<String> localVersion() {
        return Optional.ofNullable(localVersion);
    }

    /**
     * @return for {@link Kind#VERSION_MISMATCH}: the version on the other host, e.g. {@code 2.44}; otherwise empty
     */
    public Optional<String> remoteVersion() {
        return Optional.ofNullable(remoteVersion);
    }

    /**
     * @return for {@link Kind#INVALID_CONFIG} and {@link Kind#TLS_FILES}: the problems, in the order found; otherwise
     *         empty
     */
    public List<Problem> problems() {
        return problems == null ? List.of() : problems;
    }

    private static String render(String headline, List<Problem> problems) {
        StringBuilder sb = new StringBuilder(headline).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (int i = 0; i < problems.size(); i++) {
            sb.append(System.lineSeparator()).append("  ").append(i + 1).append(". ")
                    .append(problems.get(i).describe());
        }
        return sb.toString();
    }
}
