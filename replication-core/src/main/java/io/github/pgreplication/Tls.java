package io.github.pgreplication;

import java.util.Objects;

/**
 * A node's TLS material: what it serves as a server, what it presents when it replicates from another node as a
 * standby, and what the library presents when it administers it over JDBC. Per node, since after a switchover any
 * node may serve as the primary. {@link #off()} by default.
 *
 * <pre>{@code
 * Node eshua = Node.named("eshua")
 *         .withTls(Tls.off()
 *                 // served with ssl = on; the CA checks the clients' certificates (cert authentication)
 *                 .withServer(Tls.Server.files("/etc/postgresql/server.crt", "/etc/postgresql/server.key",
 *                         "/etc/postgresql/root.crt"))
 *                 // as a standby: sslmode=verify-full, and the replication user's certificate (its CN = the user)
 *                 .withReplication(Tls.Client.verifyFull("/etc/postgresql/root.crt")
 *                         .withCertificate("/etc/postgresql/replicator.crt", "/etc/postgresql/replicator.key"))
 *                 // the library's own sessions, files on the machine the library runs on
 *                 .withAdmin(Tls.Client.verifyFull("/home/ops/pg/root.crt")));
 * }</pre>
 *
 * <p>A key never reaches argv, a log or a runbook: runbooks show file paths only, and a key given as content
 * ({@link Server#install}) is a {@link Secret}.
 *
 * @param server      what the node serves as a server ({@code ssl = on} and its files); null for no TLS
 * @param replication what the node presents as a standby when it connects to its primary (primary_conninfo,
 *                    pg_basebackup, pg_rewind, psql), files on its host; null for libpq's defaults (no sslmode)
 * @param admin       what the library's JDBC sessions to this node present, files on the library's machine; null for
 *                    the driver's defaults
 */
public record Tls(Server server, Client replication, Client admin) {
    /**
     * No TLS material: libpq's and the driver's defaults.
     *
     * @return TLS off
     */
    public static Tls off() {
        return new Tls(null, null, null);
    }

    /** @return whether the node serves TLS ({@code ssl = on}) */
    public boolean serves() {
        return server != null;
    }

    /**
     * @param newServer what the node serves; null for no TLS
     * @return a copy
     */
    public Tls withServer(Server newServer) {
        return new Tls(newServer, replication, admin);
    }

    /**
     * @param client what the node presents when it replicates from another node; null for libpq's defaults
     * @return a copy
     */
    public Tls withReplication(Client client) {
        return new Tls(server, client, admin);
    }

    /**
     * @param client what the library's JDBC sessions to this node present; null for the driver's defaults
     * @return a copy
     */
    public Tls withAdmin(Client client) {
        return new Tls(server, replication, client);
    }

    /** libpq's and PgJDBC's {@code sslmode}. */
    public enum Mode {
        /** No TLS. */
        DISABLE("disable"),
        /** TLS if the server offers it, no check of its certificate. */
        PREFER("prefer"),
        /** TLS, no check of the server's certificate: encrypted, not authenticated (open to a man in the middle). */
        REQUIRE("require"),
        /** TLS, the server's certificate signed by the trusted CA, whatever name it carries. */
        VERIFY_CA("verify-ca"),
        /** TLS, the server's certificate signed by the trusted CA and naming the host connected to: the default. */
        VERIFY_FULL("verify-full");

        private final String keyword;

        Mode(String keyword) {
            this.keyword = keyword;
        }

        /** @return the value of {@code sslmode}, e.g. {@code verify-full} */
        public String keyword() {
            return keyword;
        }

        /** @return whether the server's certificate is checked against the trusted CA */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }
    }

    /**
     * A server's certificate, key and CA: files on the node's host ({@code ssl_cert_file}, {@code ssl_key_file},
     * {@code ssl_ca_file}); when the contents are given too, the library writes them there first (the key with mode
     * 0600, as the host's user, which must be the server's user, as PostgreSQL requires of its key).
     *
     * @param certificateFile the server certificate's path on the node's host ({@code ssl_cert_file})
     * @param keyFile         its private key's path ({@code ssl_key_file}); PostgreSQL refuses a key others can read
     * @param caFile          the CA that signs client certificates ({@code ssl_ca_file}), needed for the {@code cert}
     *                        method and {@code clientcert}; null for none
     * @param certificatePem  the certificate's content (PEM) to install at {@code certificateFile}; null when the file
     *                        is already there
     * @param keyPem          the key's content (PEM) to install at {@code keyFile}; {@link Secret#none()} when the
     *                        file is already there
     * @param caPem           the CA's content (PEM) to install at {@code caFile}; null when the file is already there
     */
    public record Server(String certificateFile, String keyFile, String caFile, String certificatePem, Secret keyPem,
            String caPem) {
        /**
         * Checks for nulls where a value is required.
         *
         * @param certificateFile the server certificate's path on the node's host
         * @param keyFile         its private key's path
         * @param caFile          the CA that signs client certificates; null for none
         * @param certificatePem  the certificate's content to install; null when the file is already there
         * @param keyPem          the key's content to install; {@link Secret#none()} when the file is already there
         * @param caPem           the CA's content to install; null when the file is already there
         */
        public Server {
            Objects.requireNonNull(certificateFile, "certificateFile must not be null: give the path of the server"
                    + " certificate on the node's host, e.g. \"/etc/postgresql/server.crt\"");
            Objects.requireNonNull(keyFile, "keyFile must not be null: give the path of its key, e.g."
                    + " \"/etc/postgresql/server.key\"");
            Objects.requireNonNull(keyPem, "keyPem must not be null: give Secret.none() when the file is there");
        }

        /**
         * Files already on the node's host.
         *
         * @param certificateFile the server certificate's path ({@code ssl_cert_file})
         * @param keyFile         its key's path ({@code ssl_key_file}), mode 0600 or 0640 owned by root
         * @param caFile          the CA that signs client certificates ({@code ssl_ca_file}); null for none
         * @return the server material
         */
        public static Server files(String certificateFile, String keyFile, String caFile) {
            return new Server(certificateFile, keyFile, caFile, null, Secret.none(), null);
        }

        /**
         * Contents the library installs in a directory of the node's host, as {@code server.crt},
         * {@code server.key} (mode 0600) and {@code root.crt}, before it turns TLS on.
         *
         * @param directory      an absolute directory on the node's host, outside the data directory (a clone
         *                       replaces that), e.g. {@code /etc/postgresql/tls}
         * @param certificatePem the server certificate, PEM
         * @param keyPem         its unencrypted private key, PEM (PKCS#8 or the traditional form)
         * @param caPem          the CA that signs client certificates, PEM; null for none
         * @return the server material
         */
        public static Server install(String directory, String certificatePem, Secret keyPem, String caPem) {
            Objects.requireNonNull(directory, "directory must not be null: give e.g. \"/etc/postgresql/tls\"");
            Objects.requireNonNull(certificatePem, "certificatePem must not be null: give the certificate's PEM");
            Objects.requireNonNull(keyPem, "keyPem must not be null: give the key's PEM as Secret.of(...)");
            String dir = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
            return new Server(dir + "/server.crt", dir + "/server.key", caPem == null ? null : dir + "/root.crt",
                    certificatePem, keyPem, caPem);
        }

        /** @return whether the library writes the files before it turns TLS on */
        public boolean installs() {
            return certificatePem != null || keyPem.isPresent() || caPem != null;
        }

        @Override
        public String toString() {
            return "Server[certificateFile=" + certificateFile + ", keyFile=" + keyFile + ", caFile=" + caFile
                    + (installs() ? ", installed by the library" : "") + "]";
        }
    }

    /**
     * What a client presents: its {@code sslmode}, the CA it trusts ({@code sslrootcert}), and its certificate and key
     * ({@code sslcert}, {@code sslkey}) for certificate authentication; files where the client runs.
     *
     * @param mode               the sslmode; {@link Mode#VERIFY_FULL} is the default
     * @param rootCertificateFile the CA that signed the server's certificate ({@code sslrootcert}); required when the
     *                           mode verifies
     * @param certificateFile    the client certificate ({@code sslcert}), whose CN is the user for the {@code cert}
     *                           method; null for none (password authentication)
     * @param keyFile            its private key ({@code sslkey}), mode 0600; null when there is no certificate
     * @param channelBinding     whether SCRAM must be bound to the TLS channel ({@code channel_binding=require}):
     *                           a man in the middle who holds a certificate the client trusts cannot relay the
     *                           password exchange
     */
    public record Client(Mode mode, String rootCertificateFile, String certificateFile, String keyFile,
            boolean channelBinding) {
        /**
         * Checks for nulls where a value is required.
         *
         * @param mode                the sslmode
         * @param rootCertificateFile the CA that signed the server's certificate; null when the mode does not verify
         * @param certificateFile     the client certificate; null for none
         * @param keyFile             its private key; null when there is no certificate
         * @param channelBinding      whether SCRAM must be bound to the TLS channel
         */
        public Client {
            Objects.requireNonNull(mode, "mode must not be null: give e.g. Tls.Mode.VERIFY_FULL");
        }

        /**
         * TLS with the server's certificate checked against a CA and the host name: {@code sslmode=verify-full}.
         *
         * @param rootCertificateFile the CA that signed the servers' certificates ({@code sslrootcert})
         * @return the client material, without a client certificate
         */
        public static Client verifyFull(String rootCertificateFile) {
            Objects.requireNonNull(rootCertificateFile, "rootCertificateFile must not be null: give the CA's path,"
                    + " e.g. \"/etc/postgresql/root.crt\"");
            return new Client(Mode.VERIFY_FULL, rootCertificateFile, null, null, false);
        }

        /**
         * @param newMode the sslmode
         * @return a copy
         */
        public Client withMode(Mode newMode) {
            return new Client(newMode, rootCertificateFile, certificateFile, keyFile, channelBinding);
        }

        /**
         * @param certificate the client certificate's path ({@code sslcert}); its CN is the user
         * @param key         its private key's path ({@code sslkey}), mode 0600
         * @return a copy that authenticates with that certificate
         */
        public Client withCertificate(String certificate, String key) {
            return new Client(mode, rootCertificateFile, certificate, key, channelBinding);
        }

        /**
         * @param required whether SCRAM must be bound to the TLS channel ({@code channel_binding=require})
         * @return a copy
         */
        public Client withChannelBinding(boolean required) {
            return new Client(mode, rootCertificateFile, certificateFile, keyFile, required);
        }
    }
}
