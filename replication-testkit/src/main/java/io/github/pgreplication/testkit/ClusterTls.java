package io.github.pgreplication.testkit;

import io.github.pgreplication.Secret;
import io.github.pgreplication.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A TLS cluster's material ({@code ReplicationCluster.builder().tls(true)}): one {@link TestCa}, a server certificate
 * per node (its network alias, {@code localhost}, 127.0.0.1), a client certificate for the replication role (in every
 * container, for when the node is a standby) and one for the admin user (on the test JVM's side, for the library's
 * and the test's JDBC sessions). The server material is installed by the core ({@link Tls.Server#install}); the client
 * files are the testkit's to write, as a user writes them on a host.
 */
final class ClusterTls implements AutoCloseable {
    /** The directory of the TLS files in every container, beside (not in) the data directory. */
    static final String DIR = "/var/lib/postgresql/tls";
    static final String ROOT = DIR + "/root.crt";
    static final String REPLICATION_CERT = DIR + "/replication.crt";
    static final String REPLICATION_KEY = DIR + "/replication.key";

    private final TestCa ca;
    private final Map<String, TestCa.Issued> servers = new LinkedHashMap<>();
    private final TestCa.Issued replication;
    private final TestCa.Issued admin;
    private final Path local;
    private final Path rootFile;
    private final Path adminCertFile;
    private final Path adminKeyFile;

    ClusterTls(List<String> nodeNames, String adminUser, String replicationUser) {
        ca = TestCa.create("pgreplication testkit CA");
        for (String name : nodeNames) {
            servers.put(name, ca.issueServer(name, List.of(name)));
        }
        replication = ca.issueClient(replicationUser);
        admin = ca.issueClient(adminUser);
        try {
            local = Files.createTempDirectory("pgreplication-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            rootFile = write("root.crt", ca.certificatePem());
            adminCertFile = write("admin.crt", admin.certificatePem());
            adminKeyFile = write("admin.key", admin.privateKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster's TLS files in a temporary directory", e);
        }
    }

    private Path write(String name, String content) throws IOException {
        Path file = local.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /**
     * @param name a node
     * @return the CA, the admin's client material on the test JVM's side, and the node's server certificate
     */
    ClusterNode.TlsMaterial material(String name) {
        return new ClusterNode.TlsMaterial(ca, rootFile, admin, adminCertFile, adminKeyFile, servers.get(name));
    }

    /**
     * @param name a node
     * @return its TLS in the core's terms: served (installed by the library), as a standby (verify-full and the
     *         replication role's certificate), and the library's own sessions (verify-full and the admin's)
     */
    Tls nodeTls(String name) {
        TestCa.Issued server = servers.get(name);
        return Tls.off()
                .withServer(Tls.Server.install(DIR, server.certificatePem(), Secret.of(server.privateKeyPem()),
                        ca.certificatePem()))
                .withReplication(Tls.Client.verifyFull(ROOT).withCertificate(REPLICATION_CERT, REPLICATION_KEY))
                .withAdmin(Tls.Client.verifyFull(rootFile.toString())
                        .withCertificate(adminCertFile.toString(), adminKeyFile.toString()));
    }

    /**
     * Writes the replication role's certificate and key into a container (one round trip), for when the node is a
     * standby; the root certificate comes with the server material the library installs.
     *
     * @param node a node
     */
    void installClientFiles(ClusterNode node) {
        ContainerHost host = node.host();
        host.createDirectories(DIR, "0700");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(REPLICATION_KEY, replication.privateKeyPem());
        files.put(REPLICATION_CERT, replication.certificatePem());
        host.writeFiles(files, "0600");
    }

    /** @return the PgJDBC URL parameters of the admin's TLS: verify-full, the CA, its certificate and key */
    String jdbcParameters() {
        return "sslmode=verify-full&sslrootcert=" + encode(rootFile) + "&sslcert=" + encode(adminCertFile)
                + "&sslkey=" + encode(adminKeyFile)
                + "&pemKeyAlgorithm=EC";
    }

    private static String encode(Path path) {
        return URLEncoder.encode(path.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(local);
        } catch (IOException e) {
            // a temporary directory: left for the system to clean
        }
    }
}
