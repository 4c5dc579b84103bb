package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where pgBackRest stores backups and WAL: the {@code repo1-*} options of the {@code [global]} section. Immutable;
 * every {@code withX} returns a copy. Checked by {@link PgBackRestConfig.Builder#build()}.
 *
 * <pre>{@code
 * Repository.posix("/var/lib/pgbackrest").withRetentionFull(2);
 * Repository.s3("pg-backups", "s3.eu-central-1.amazonaws.com", "eu-central-1",
 *         Secret.of(System.getenv("S3_KEY")), Secret.of(System.getenv("S3_KEY_SECRET")))
 *         .withPath("/eshua");
 * Repository.sftp("backup.example.com", "pgbackrest", "/var/lib/postgresql/.ssh/id_ed25519")
 *         .withPath("/srv/pgbackrest");
 * }</pre>
 *
 * <p>Secrets (S3 keys, SFTP key passphrase, cipher passphrase) are written into the configuration file, which is
 * then written with mode 0600, and render as {@code ****} everywhere else. pgBackRest refuses them on the command
 * line, so they never appear in argv.
 */
public final class Repository {
    /** pgBackRest's default repository path. */
    public static final String DEFAULT_PATH = "/var/lib/pgbackrest";

    private final Type type;
    private final String path;
    private final Integer retentionFull;
    private final Map<String, String> options;
    private final Map<String, Secret> secrets;

    private Repository(Type type, String path, Integer retentionFull, Map<String, String> options,
            Map<String, Secret> secrets) {
        this.type = Objects.requireNonNull(type, "type");
        this.path = path;
        this.retentionFull = retentionFull;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    /**
     * @param path absolute path of the repository on the repository host, e.g. {@code /var/lib/pgbackrest}
     * @return a posix repository ({@code repo1-type=posix})
     */
    public static Repository posix(String path) {
        return new Repository(Type.POSIX, path, null, Map.of(), Map.of());
    }

    /**
     * @param path absolute path of the repository on a CIFS mount
     * @return a cifs repository ({@code repo1-type=cifs})
     */
    public static Repository cifs(String path) {
        return new Repository(Type.CIFS, path, null, Map.of(), Map.of());
    }

    /**
     * An S3 repository with a shared key ({@code repo1-s3-key-type=shared}, pgBackRest's default). The path in the
     * bucket defaults to {@code /pgbackrest}.
     *
     * @param bucket    {@code repo1-s3-bucket}
     * @param endpoint  {@code repo1-s3-endpoint}: a host name without scheme, e.g. {@code s3.amazonaws.com}
     * @param region    {@code repo1-s3-region}, e.g. {@code eu-central-1}
     * @param key       {@code repo1-s3-key}: the access key id
     * @param keySecret {@code repo1-s3-key-secret}: the secret access key
     * @return the repository
     */
    public static Repository s3(String bucket, String endpoint, String region, Secret key, Secret keySecret) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("s3-bucket", bucket);
        o.put("s3-endpoint", endpoint);
        o.put("s3-region", region);
        Map<String, Secret> s = new LinkedHashMap<>();
        s.put("s3-key", Objects.requireNonNull(key, "key (use Secret.of)"));
        s.put("s3-key-secret", Objects.requireNonNull(keySecret, "keySecret (use Secret.of)"));
        return new Repository(Type.S3, "/pgbackrest", null, o, s);
    }

    /**
     * An SFTP repository (pgBackRest 2.46 and later). Host keys are checked against the user's known_hosts
     * (pgBackRest's {@code strict} default); the path defaults to {@code /var/lib/pgbackrest} on the SFTP server.
     *
     * @param host           {@code repo1-sftp-host}
     * @param user           {@code repo1-sftp-host-user}
     * @param privateKeyFile {@code repo1-sftp-private-key-file}: absolute path of the private key
     * @return the repository
     */
    public static Repository sftp(String host, String user, String privateKeyFile) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("sftp-host", host);
        o.put("sftp-host-user", user);
        o.put("sftp-private-key-file", privateKeyFile);
        return new Repository(Type.SFTP, DEFAULT_PATH, null, o, Map.of());
    }

    private Repository with(String option, String value) {
        return copy(c -> {
            if (value == null) {
                c.options.remove(option);
            } else {
                c.options.put(option, value);
            }
        });
    }

    private Repository withSecret(String option, Secret value) {
        return copy(c -> c.secrets.put(option, Objects.requireNonNull(value, option)));
    }

    /**
     * @param newPath {@code repo1-path}: absolute; for S3 the path inside the bucket
     * @return a copy
     */
    public Repository withPath(String newPath) {
        return copy(c -> c.path = newPath);
    }

    /**
     * @param count {@code repo1-retention-full}: full backups kept (with their WAL), 1 to 9999999
     * @return a copy
     */
    public Repository withRetentionFull(int count) {
        return copy(c -> c.retentionFull = count);
    }

    /**
     * @param style {@code repo1-s3-uri-style}: {@code host} (default) or {@code path} (MinIO and others)
     * @return a copy
     */
    public Repository withS3UriStyle(String style) {
        return with("s3-uri-style", style);
    }

    /**
     * @param port {@code repo1-sftp-host-port}; default 22
     * @return a copy
     */
    public Repository withSftpPort(int port) {
        return with("sftp-host-port", Integer.toString(port));
    }

    /**
     * @param file {@code repo1-sftp-public-key-file}, needed when libssh2 is not built against OpenSSH
     * @return a copy
     */
    public Repository withSftpPublicKeyFile(String file) {
        return with("sftp-public-key-file", file);
    }

    /**
     * @param file {@code repo1-sftp-known-host}: known_hosts file holding the SFTP server's key
     * @return a copy
     */
    public Repository withSftpKnownHostsFile(String file) {
        return with("sftp-known-host", file);
    }

    /**
     * @param passphrase {@code repo1-sftp-private-key-passphrase}
     * @return a copy
     */
    public Repository withSftpPrivateKeyPassphrase(Secret passphrase) {
        return withSecret("sftp-private-key-passphrase", passphrase);
    }

    /**
     * Encrypts the repository: {@code repo1-cipher-type=aes-256-cbc} and {@code repo1-cipher-pass}. Every host that
     * reads the repository directly needs the same passphrase.
     *
     * @param passphrase the cipher passphrase
     * @return a copy
     */
    public Repository withCipher(Secret passphrase) {
        return with("cipher-type", "aes-256-cbc").withSecret("cipher-pass", passphrase);
    }

    /**
     * The escape hatch for any other {@code repo1-*} option.
     *
     * @param option option name without the {@code repo1-} prefix, e.g. {@code bundle}
     * @param value  its value, e.g. {@code y}
     * @return a copy
     */
    public Repository withOption(String option, String value) {
        return with(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
    }

    /** Makes a repository of this one's fields as {@code change} leaves them; the constructor copies them again. */
    private Repository copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Repository(c.type, c.path, c.retentionFull, c.options, c.secrets);
    }

    /** This repository's fields, for a wither to change before {@link #copy} makes a repository of them. */
    private final class Copy {
        Type type = Repository.this.type;
        String path = Repository.this.path;
        Integer retentionFull = Repository.this.retentionFull;
        Map<String, String> options = new LinkedHashMap<>(Repository.this.options);
        Map<String, Secret> secrets = new LinkedHashMap<>(Repository.this.secrets);
    }

    /** @return the storage type */
    public Type type() {
        return type;
    }

    /** @return {@code repo1-path}, or null for pgBackRest's default */
    public String path() {
        return path;
    }

    /** @return {@code repo1-retention-full}, when set */
    public Optional<Integer> retentionFull() {
        return Optional.ofNullable(retentionFull);
    }

    /** @return options other than type, path and retention, keyed without the {@code repo1-} prefix */
    public Map<String, String> options() {
        return options;
    }

    /** @return secret options keyed without the {@code repo1-} prefix */
    public Map<String, Secret> secrets() {
        return secrets;
    }

    /** @return whether any secret is set (the configuration file is then written with mode 0600) */
    public boolean hasSecrets() {
        return secrets.values().stream().anyMatch(Secret::isPresent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Repository r && type == r.type && Objects.equals(path, r.path)
                && Objects.equals(retentionFull, r.retentionFull) && options.equals(r.options)
                && secrets.equals(r.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, path, retentionFull, options, secrets);
    }

    @Override
    public String toString() {
        return "Repository[" + type.toPgBackRest() + " " + path + (retentionFull == null ? "" : " retention-full="
                + retentionFull) + (options.isEmpty() ? "" : " " + options) + (secrets.isEmpty() ? "" : " "
                + secrets) + "]";
    }

    /** Values of pgBackRest's {@code repo1-type} option: where the repository's files are stored. */
    public enum Type {
        /** A POSIX file system on the repository host (pgBackRest's default). */
        POSIX,
        /** Like posix, without links and directory fsyncs. */
        CIFS,
        /** An S3-compatible object store. */
        S3,
        /** A directory on an SFTP server (pgBackRest 2.46 and later). */
        SFTP;

        /** @return the value as written in pgbackrest.conf, e.g. {@code s3} */
        public String toPgBackRest() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
