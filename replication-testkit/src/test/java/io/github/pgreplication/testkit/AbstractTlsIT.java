package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import io.github.pgreplication.ConnectionFailedException.Reason;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Failover;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StandbyJoin;
import io.github.pgreplication.StepFailedException;
import io.github.pgreplication.Tls;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.ServiceControl;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 22: a primary and two standbys streaming over TLS with certificate authentication and no password anywhere
 * ({@code ReplicationCluster.builder().tls(true)}), through a switchover and a failover; and the refusals, each typed:
 * a standby trusting another CA, one connecting to a name the certificate lacks, one without TLS against the
 * {@code hostssl} rule, one without a client certificate against {@code cert}. Real servers, real libpq and PgJDBC.
 * One cluster per class, the methods in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractTlsIT {
    static final String WAL_SENDERS_ENCRYPTED = "SELECT r.application_name || ':' || s.ssl::text || ':' || s.client_dn"
            + " FROM pg_stat_replication r JOIN pg_stat_ssl s ON s.pid = r.pid ORDER BY 1";
    static ReplicationCluster cluster;

    abstract int major();

    @BeforeAll
    static void noCluster() {
        cluster = null;
    }

    ReplicationCluster cluster() {
        if (cluster == null) {
            cluster = ReplicationCluster.builder().postgresMajor(major()).standbys(2).tls(true).start();
        }
        return cluster;
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyWalSenderIsEncryptedWithCertificateAuthenticationAndNoPassword() throws Exception {
        ReplicationCluster c = cluster();
        ClusterNode primary = c.primary();
        assertThat(primary.query(WAL_SENDERS_ENCRYPTED).lines().toList()).as("pg_stat_replication x pg_stat_ssl")
                .containsExactly("standby1:true:/CN=replicator", "standby2:true:/CN=replicator");
        assertThat(primary.query("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'replicator'"))
                .as("no password for the role").isEqualTo("t");
        assertThat(primary.query("SELECT type || ' ' || array_to_string(database, ',') || ' '"
                + " || array_to_string(user_name, ',') || ' ' || auth_method FROM pg_hba_file_rules"
                + " WHERE 'replication' = ANY(database) AND type <> 'local'"))
                .as("replication admitted by certificate over TLS only")
                .isEqualTo("hostssl replication replicator cert");
        for (ClusterNode s : c.standbys()) {
            String conninfo = s.query("SHOW primary_conninfo");
            // As pg_basebackup -R writes it: every option of its connection, values quoted, libpq's default
            // passfile among them (a file that does not exist).
            assertThat(conninfo).as(s.name() + "'s primary_conninfo").contains("sslmode='verify-full'",
                    "sslrootcert='" + ClusterTls.ROOT + "'", "sslcert='" + ClusterTls.REPLICATION_CERT + "'",
                    "sslkey='" + ClusterTls.REPLICATION_KEY + "'").doesNotContain("password=");
            assertThat(s.host().exists("/var/lib/postgresql/.pgpass")).as("no passfile").isFalse();
            assertThat(s.host().list(ClusterTls.DIR)).as("no passfile beside the data directory either")
                    .containsExactlyInAnyOrder("server.crt", "server.key", "root.crt", "replication.crt",
                            "replication.key");
            assertThat(s.host().fileMode(ClusterTls.DIR + "/server.key")).as("installed by the core").isEqualTo("600");
            assertThat(s.query("SELECT status FROM pg_stat_wal_receiver")).isEqualTo("streaming");
        }
        assertThat(c.setupResult().outcomes()).filteredOn(o -> o.title().startsWith("TLS is on"))
                .singleElement().satisfies(o -> assertThat(o.detail()).startsWith("session encrypted, TLSv1."));
        try (Connection conn = c.primaryDataSource().getConnection(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the test's own pool, through jdbcUrl's TLS parameters").isTrue();
            assertThat(rs.getString(2)).as("the admin's client certificate").isEqualTo("/CN=postgres");
        }
        // The handshake's cost per library connection (the issue's benchmark, its last part): printed, not asserted.
        String plainUrl = primary.endpoint().jdbcUrl("postgres") + "?sslmode=disable";
        long plain = connectNanos(plainUrl, primary);
        long tls = connectNanos(primary.jdbcUrl(), primary);
        System.out.printf("PG %d: a new JDBC session takes %.1f ms with TLS (verify-full, client certificate) and"
                + " %.1f ms without (sslmode=disable), mean of 20 each%n", major(), tls / 1e6, plain / 1e6);
        X509Certificate served = ServerCertificate.of(primary.endpoint());
        assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=primary");
        assertThat(c.replication().plan().toRunbook()).as("paths, never a key")
                .contains(ClusterTls.DIR + "/server.key").doesNotContain("PRIVATE KEY");
    }

    @Test
    @Order(2)
    void aStandbyTrustingAnotherCaRefusesTheServerWithTheCertificateKind() {
        ClusterNode primary = cluster().primary();
        primary.host().writeFile(ClusterTls.DIR + "/other-root.crt", TestCa.create("unrelated CA").certificatePem(),
                "0644");
        Tls other = Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.DIR + "/other-root.crt")
                .withCertificate(ClusterTls.REPLICATION_CERT, ClusterTls.REPLICATION_KEY));
        assertThatThrownBy(() -> join(primary.internalEndpoint(), other)).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("certificate verify failed")
                .hasMessageContaining("is not signed by the CA in the standby's sslrootcert")
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                        .contains(Reason.TLS_UNTRUSTED))
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).kind())
                        .isEqualTo(Kind.TLS_UNTRUSTED));
        // A clone from a primary the library reaches: the certificate it presents is within its dates, so the
        // message names the CA the standby lacks.
        Standby probe = Standby.named("probe").withHost(primary.host()).withDataDirectory("/var/lib/postgresql/probe")
                .withTls(other);
        Primary reached = Primary.at(primary.internalEndpoint()).withName("primary")
                .withAdminEndpoint(primary.endpoint());
        assertThatThrownBy(() -> BaseBackup.defaults().cloneInto(new CloneContext(probe, reached,
                ReplicationRole.named("replicator"), "")))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> assertThat(e.reason()).contains(Reason.TLS_UNTRUSTED))
                .hasMessageContaining("The primary's certificate, CN=primary issued by CN=pgreplication testkit CA")
                .hasMessageContaining("is within its dates, so the standby does not trust the CA that signed it")
                .hasMessageContaining("the valid certificate of CN=pgreplication testkit CA")
                .hasMessageNotContaining("libpq does not say which");
    }

    @Test
    @Order(3)
    void aNameTheCertificateLacksIsAHostNameMismatch() {
        ClusterNode primary = cluster().primary();
        String ip = containerIp(primary);
        Tls own = Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.ROOT)
                .withCertificate(ClusterTls.REPLICATION_CERT, ClusterTls.REPLICATION_KEY));
        assertThatThrownBy(() -> join(Endpoint.of(ip, 5432), own)).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("The primary's certificate names 'primary'")
                .hasMessageContaining("not '" + ip + "'")
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).kind())
                        .isEqualTo(Kind.TLS_NAME_MISMATCH));
    }

    @Test
    @Order(4)
    void aClientWithoutTlsIsRefusedByTheHostsslRuleWithTheFix() {
        ClusterNode primary = cluster().primary();
        Tls none = Tls.off().withReplication(new Tls.Client(Tls.Mode.DISABLE, null, null, null, false));
        assertThatThrownBy(() -> join(primary.internalEndpoint(), none)).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("no encryption")
                .hasMessageContaining("over TLS only (hostssl)")
                .hasMessageContaining(".withTls(Tls.off().withReplication(Tls.Client.verifyFull(")
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).kind())
                        .isEqualTo(Kind.TLS_REQUIRED));
        Tls noCertificate = Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.ROOT));
        assertThatThrownBy(() -> join(primary.internalEndpoint(), noCertificate))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("wants a client certificate")
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).kind())
                        .isEqualTo(Kind.CLIENT_CERTIFICATE));
    }

    @Test
    @Order(5)
    void theLibrarysSessionTrustingAnotherCaIsRefusedWithTheCertificateKind() throws Exception {
        ClusterNode primary = cluster().primary();
        java.nio.file.Path other = java.nio.file.Files.createTempFile("other-root", ".crt");
        java.nio.file.Files.writeString(other, TestCa.create("unrelated CA").certificatePem());
        try (Replication r = Replication.primary(Primary.at(primary.internalEndpoint()).withName("primary")
                .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                .withTls(Tls.off().withAdmin(Tls.Client.verifyFull(other.toString())))).load()) {
            assertThatThrownBy(r::status).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.TLS_UNTRUSTED))
                    .hasMessageContaining("is not signed by the CA this client trusts");
        } finally {
            java.nio.file.Files.deleteIfExists(other);
        }
    }

    @Test
    @Order(6)
    void theLibrarysSessionToANameTheCertificateLacksIsAHostNameMismatch() {
        ClusterNode primary = cluster().primary();
        ClusterNode.TlsMaterial tls = primary.tls().orElseThrow();
        String ip = containerIp(primary);
        // The primary itself, at its container's address: a name its certificate (primary, localhost, 127.0.0.1)
        // does not carry.
        try (Replication r = Replication.primary(Primary.at(primary.internalEndpoint()).withName("primary")
                .withAdminEndpoint(Endpoint.of(ip, ClusterNode.PORT)).withAdmin("postgres", primary.password())
                .withTls(Tls.off().withAdmin(adminClient(tls, tls.certificateFile(), tls.keyFile())))).load()) {
            assertThatThrownBy(r::status).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> assertThat(e.kind()).as("PgJDBC's hostname verifier").isEqualTo(Kind.TLS_NAME_MISMATCH))
                    .hasMessageContaining("The hostname " + ip + " could not be verified")
                    .hasMessageContaining("at " + ip + ":" + ClusterNode.PORT)
                    .hasMessageContaining("does not name the host connected to (sslmode=verify-full)");
        }
    }

    @Test
    @Order(7)
    void anExpiredServerCertificateIsTheExpiredKindForTheLibraryAndForAStandby() throws Exception {
        ClusterNode primary = cluster().primary();
        ClusterNode.TlsMaterial tls = primary.tls().orElseThrow();
        TestCa.Issued expired = expiredCa(tls.ca()).issueServer("primary", List.of("primary"));
        String crt = ClusterTls.DIR + "/server.crt";
        String key = ClusterTls.DIR + "/server.key";
        String crtMode = primary.host().fileMode(crt);
        try {
            serve(primary, expired, crtMode);
            try (Replication r = Replication.primary(Primary.at(primary.internalEndpoint()).withName("primary")
                    .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                    .withTls(Tls.off().withAdmin(adminClient(tls, tls.certificateFile(), tls.keyFile())))).load()) {
                assertThatThrownBy(r::status).isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> assertThat(e.kind()).as("the JDK's CertificateExpiredException")
                                .isEqualTo(Kind.TLS_EXPIRED))
                        .hasMessageContaining("The certificate: CN=primary issued by CN=pgreplication testkit CA")
                        .hasMessageContaining("A certificate expired");
            }
            Tls own = Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.ROOT)
                    .withCertificate(ClusterTls.REPLICATION_CERT, ClusterTls.REPLICATION_KEY));
            // libpq says "certificate verify failed" and no more for an expired certificate: the message says both.
            assertThatThrownBy(() -> join(primary.internalEndpoint(), own)).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("SSL error: certificate verify failed")
                    .hasMessageContaining("or it is outside its validity (libpq does not say which)")
                    .hasMessageContaining("openssl x509 -noout -dates")
                    .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).reason())
                            .as("libpq's words alone, the primary's admin endpoint not reachable from this JVM")
                            .contains(Reason.TLS_UNTRUSTED));
            // A clone from a primary the library reaches (its admin endpoint): the certificate it presents there is
            // read, and its dates tell.
            Standby probe = Standby.named("probe").withHost(primary.host()).withDataDirectory("/var/lib/postgresql/"
                    + "probe").withTls(own);
            Primary reached = Primary.at(primary.internalEndpoint()).withName("primary")
                    .withAdminEndpoint(primary.endpoint());
            assertThatThrownBy(() -> BaseBackup.defaults().cloneInto(new CloneContext(probe, reached,
                    ReplicationRole.named("replicator"), "")))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.reason()).contains(Reason.TLS_EXPIRED);
                        assertThat(e.kind()).isEqualTo(Kind.TLS_EXPIRED);
                    })
                    .hasMessageContaining("SSL error: certificate verify failed")
                    .hasMessageContaining("The primary's certificate is outside its validity: CN=primary issued by"
                            + " CN=pgreplication testkit CA, valid until " + notAfter(expired.certificatePem()))
                    .hasMessageContaining("(as it presents it at " + primary.endpoint() + ")")
                    .hasMessageContaining("install it on the primary (its ssl_cert_file), and reload it there");
            assertThat(primary.host().exists("/var/lib/postgresql/probe/PG_VERSION")).as("nothing cloned").isFalse();
        } finally {
            serve(primary, tls.server(), crtMode);
        }
        assertThat(ServerCertificate.of(primary.endpoint()).getNotAfter()).as("the valid certificate back")
                .isAfter(new java.util.Date());
        assertThat(primary.host().fileMode(key)).isEqualTo("600");
    }

    @Test
    @Order(8)
    void anExpiredClientCertificateIsTheExpiredKindForTheLibraryAndForAStandby() throws Exception {
        ClusterNode primary = cluster().primary();
        ClusterNode.TlsMaterial tls = primary.tls().orElseThrow();
        TestCa expiredCa = expiredCa(tls.ca());
        TestCa.Issued admin = expiredCa.issueClient("postgres");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("expired-admin");
        java.nio.file.Path crt = java.nio.file.Files.writeString(dir.resolve("admin.crt"), admin.certificatePem());
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("admin.key"), admin.privateKeyPem());
        try (Replication r = Replication.primary(Primary.at(primary.internalEndpoint()).withName("primary")
                .withAdminEndpoint(primary.endpoint()).withAdmin("postgres", primary.password())
                .withTls(Tls.off().withAdmin(adminClient(tls, crt, key)))).load()) {
            assertThatThrownBy(r::status)
                    .hasMessageContaining("The certificate: CN=postgres issued by CN=pgreplication testkit CA")
                    .hasMessageContaining("This client's certificate (sslcert) is outside its validity")
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> assertThat(e.kind())
                            .as("the server's alert, or the client's own file").isEqualTo(Kind.TLS_EXPIRED));
        } finally {
            java.nio.file.Files.deleteIfExists(crt);
            java.nio.file.Files.deleteIfExists(key);
            java.nio.file.Files.deleteIfExists(dir);
        }
        TestCa.Issued replication = expiredCa.issueClient("replicator");
        primary.host().writeFiles(java.util.Map.of(ClusterTls.DIR + "/expired.key", replication.privateKeyPem(),
                ClusterTls.DIR + "/expired.crt", replication.certificatePem()), "0600");
        Tls expiredClient = Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.ROOT)
                .withCertificate(ClusterTls.DIR + "/expired.crt", ClusterTls.DIR + "/expired.key"));
        assertThatThrownBy(() -> join(primary.internalEndpoint(), expiredClient))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("alert certificate expired")
                .hasMessageContaining("The standby's certificate (its sslcert) is outside its validity")
                .satisfies(e -> assertThat(((ConnectionFailedException) e.getCause()).kind())
                        .isEqualTo(Kind.TLS_EXPIRED));
    }

    @Test
    @Order(9)
    void scramWithChannelBindingRequiredStreamsOverTls() {
        ClusterNode primary = cluster().primary();
        String hba = primary.dataDirectory() + "/pg_hba.conf";
        String rules = primary.host().readFile(hba).orElseThrow();
        primary.query("CREATE ROLE scram_replicator WITH REPLICATION LOGIN PASSWORD 'bound-secret'");
        // First match wins: this role by SCRAM over TLS, before the cluster's own rules.
        primary.host().writeFile(hba, "hostssl replication scram_replicator samenet scram-sha-256\n" + rules, "0600");
        primary.query("SELECT pg_reload_conf()");
        Standby standby = Standby.named("bound").withHost(primary.host())
                .withDataDirectory("/var/lib/postgresql/bound").withService(ServiceControl.pgCtl()).withPort(5498)
                .withTls(Tls.off().withReplication(Tls.Client.verifyFull(ClusterTls.ROOT).withChannelBinding(true)));
        try (StandbyJoin join = Replication.standbyOf(primary.internalEndpoint(),
                ReplicationRole.named("scram_replicator").withPassword(io.github.pgreplication.Secret.of(
                        "bound-secret"))).streamingTimeout(Duration.ofSeconds(30)).addStandby(standby).load()) {
            join.apply();
            // libpq with channel_binding=require refuses any exchange but SCRAM-SHA-256-PLUS bound to this TLS
            // session: streaming is the proof.
            assertThat(primary.query("SELECT s.ssl::text || ':' || coalesce(s.client_dn, 'no certificate')"
                    + " FROM pg_stat_replication r JOIN pg_stat_ssl s ON s.pid = r.pid WHERE r.usename ="
                    + " 'scram_replicator'")).as("a password over TLS, no client certificate")
                    .isEqualTo("true:no certificate");
            String conninfo = primary.host().run(io.github.pgreplication.host.Command.of("psql", "-X", "-A", "-t",
                    "-p", "5498", "-d", "postgres", "-c", "SHOW primary_conninfo")).stdout();
            assertThat(conninfo).contains("channel_binding=require", "sslmode='verify-full'")
                    .doesNotContain("bound-secret");
        } finally {
            if (primary.host().exists("/var/lib/postgresql/bound/postmaster.pid")) {
                primary.host().run(io.github.pgreplication.host.Command.of("pg_ctl", "-D",
                        "/var/lib/postgresql/bound", "-m", "immediate", "stop").withTimeout(Duration.ofSeconds(30)));
            }
            primary.host().run(io.github.pgreplication.host.Command.of("rm", "-rf", "--", "/var/lib/postgresql/bound",
                    "/var/lib/postgresql/.pgpass-bound"));
            primary.host().writeFile(hba, rules, "0600");
            primary.query("SELECT pg_reload_conf()");
            primary.query("DROP ROLE scram_replicator");
        }
        Waits.until("the probe's WAL sender gone", Duration.ofSeconds(10),
                () -> primary.query("SELECT count(*) FROM pg_stat_replication").equals("2"));
    }

    @Test
    @Order(10)
    void aSwitchoverThenAFailoverKeepTlsAndTheNewPrimaryServesItsOwnCertificate() throws Exception {
        ReplicationCluster c = cluster();
        c.switchover("standby1");
        ClusterNode first = c.primary();
        assertThat(first.name()).isEqualTo("standby1");
        Waits.until("both stream from standby1 over TLS", Duration.ofSeconds(60),
                () -> first.query(WAL_SENDERS_ENCRYPTED).lines().count() == 2);
        assertThat(first.query(WAL_SENDERS_ENCRYPTED).lines().toList())
                .containsExactly("primary:true:/CN=replicator", "standby2:true:/CN=replicator");
        assertThat(ServerCertificate.of(first.endpoint()).getSubjectX500Principal().getName())
                .as("verify-full towards standby1 passes only with standby1's own certificate")
                .isEqualTo("CN=standby1");
        assertThat(first.tls().orElseThrow().server().subject()).isEqualTo("CN=standby1");

        first.kill9();
        c.failover(Failover.to("standby2"));
        ClusterNode second = c.primary();
        assertThat(second.name()).isEqualTo("standby2");
        Waits.until("the old primary streams from standby2 over TLS", Duration.ofSeconds(60),
                () -> second.query(WAL_SENDERS_ENCRYPTED).lines().count() == 1);
        assertThat(second.query(WAL_SENDERS_ENCRYPTED)).isEqualTo("primary:true:/CN=replicator");
        assertThat(ServerCertificate.of(second.endpoint()).getSubjectX500Principal().getName())
                .isEqualTo("CN=standby2");
        try (Connection conn = c.primaryDataSource().getConnection(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the multi-host URL with verify-full finds the new primary").isTrue();
        }
    }

    /** @return the mean time to open and close a session at the URL, over 20 after 3 to warm up */
    private static long connectNanos(String url, ClusterNode node) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", node.username());
        p.setProperty("password", node.password().reveal().orElseThrow());
        long total = 0;
        for (int i = 0; i < 23; i++) {
            long t0 = System.nanoTime();
            try (Connection c = java.sql.DriverManager.getConnection(url, p)) {
                c.isValid(1);
            }
            if (i >= 3) {
                total += System.nanoTime() - t0;
            }
        }
        return total / 20;
    }

    /** @return a CA issuing with the validity of two days ago until yesterday: expired certificates */
    private static TestCa expiredCa(TestCa ca) {
        java.time.Instant now = java.time.Instant.now();
        return ca.validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    }

    /** Installs a server certificate and key at the primary's paths and reloads, as an operator renewing it would. */
    private static void serve(ClusterNode node, TestCa.Issued server, String certificateMode) {
        node.host().writeFile(ClusterTls.DIR + "/server.key", server.privateKeyPem(), "0600");
        node.host().writeFile(ClusterTls.DIR + "/server.crt", server.certificatePem(), "0" + certificateMode);
        assertThat(node.query("SELECT pg_reload_conf()")).isEqualTo("t");
        assertThat(node.query("SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL")).isEqualTo("0");
        String served = server.certificatePem().replaceAll("-----[A-Z ]+-----|\\s", "");
        Waits.until("the reloaded server serves " + server.subject(), Duration.ofSeconds(10), () -> {
            try {
                return java.util.Base64.getEncoder().encodeToString(ServerCertificate.of(node.endpoint())
                        .getEncoded()).equals(served);
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                return false;
            }
        });
    }

    private static Tls.Client adminClient(ClusterNode.TlsMaterial tls, java.nio.file.Path crt,
            java.nio.file.Path key) {
        return Tls.Client.verifyFull(tls.rootCertificateFile().toString()).withCertificate(crt.toString(),
                key.toString());
    }

    private static String containerIp(ClusterNode node) {
        return node.container().getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next()
                .getIpAddress();
    }

    private static void join(Endpoint primary, Tls tls) {
        ClusterNode host = cluster.primary();
        Standby standby = Standby.named("probe").withHost(host.host()).withDataDirectory("/var/lib/postgresql/probe")
                .withService(ServiceControl.pgCtl()).withPort(5499).withTls(tls);
        try (StandbyJoin join = Replication.standbyOf(primary, ReplicationRole.named("replicator"))
                .streamingTimeout(Duration.ofSeconds(20)).addStandby(standby).load()) {
            join.apply();
        }
    }

    private static java.time.Instant notAfter(String pem) throws java.security.GeneralSecurityException {
        return ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
                .getNotAfter().toInstant();
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
