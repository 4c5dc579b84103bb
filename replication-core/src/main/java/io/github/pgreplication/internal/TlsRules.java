package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Node;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Problem;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Tls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a node's {@link Tls} material becomes: server settings, libpq keywords for the connections its standby side
 * makes, the problems {@code load()} reports (no I/O: only what the description and any certificate content given
 * say), and the pg_hba lines the library writes when the primary serves TLS.
 */
public final class TlsRules {
    private static final int DNS = 2;
    private static final int IP = 7;

    private TlsRules() {
    }

    /**
     * @param server a node's server material
     * @return the parameters that turn TLS on with it: {@code ssl}, {@code ssl_cert_file}, {@code ssl_key_file},
     *         {@code ssl_ca_file} when there is a CA ({@code ssl} is reloadable since PostgreSQL 10: no restart)
     */
    public static Map<String, String> serverSettings(Tls.Server server) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("ssl", "on");
        out.put("ssl_cert_file", server.certificateFile());
        out.put("ssl_key_file", server.keyFile());
        if (server.caFile() != null) {
            out.put("ssl_ca_file", server.caFile());
        }
        return out;
    }

    /**
     * @param client what a client presents; null for libpq's defaults
     * @param withCertificate whether its certificate goes too (not for a connection as another user than the one it
     *                        names, e.g. pg_rewind's as the admin user)
     * @return the libpq keywords: sslmode, sslrootcert, sslcert, sslkey, channel_binding; empty for null
     */
    public static Map<String, String> keywords(Tls.Client client, boolean withCertificate) {
        Map<String, String> out = new LinkedHashMap<>();
        if (client == null) {
            return out;
        }
        out.put("sslmode", client.mode().keyword());
        if (client.rootCertificateFile() != null) {
            out.put("sslrootcert", client.rootCertificateFile());
        }
        if (withCertificate && client.certificateFile() != null) {
            out.put("sslcert", client.certificateFile());
            out.put("sslkey", client.keyFile());
        }
        if (client.channelBinding()) {
            out.put("channel_binding", "require");
        }
        return out;
    }

    /**
     * The rules as the library writes them: when the primary serves TLS, a {@code host} rule for replication becomes
     * {@code hostssl}, so that no standby replicates in clear text (the plan shows the line written).
     *
     * @param primary the primary
     * @param rules   the rules described
     * @return the rules to write
     */
    public static List<HbaRule> written(Primary primary, List<HbaRule> rules) {
        if (!primary.node().tls().serves()) {
            return rules;
        }
        List<HbaRule> out = new ArrayList<>();
        for (HbaRule r : rules) {
            out.add(r.type().equals("host") && r.database().equals("replication")
                    ? new HbaRule("hostssl", r.database(), r.user(), r.address(), r.method(), r.options()) : r);
        }
        return out;
    }

    /**
     * @param rule a rule to write
     * @param tls  whether the primary serves TLS
     * @return the safer line to use, for a rule accepted but weak: {@code md5} (a hash a sniffer can replay against
     *         other servers with the same password), {@code password} (clear text), or {@code trust} from a network
     */
    public static Optional<String> saferLine(HbaRule rule, boolean tls) {
        boolean network = !rule.type().equals("local");
        boolean weak = rule.method().equals("md5") || rule.method().equals("password")
                || (rule.method().equals("trust") && network && !loopback(rule.address()));
        if (!weak) {
            return Optional.empty();
        }
        String type = tls && network ? "hostssl" : rule.type();
        String method = tls && network && rule.method().equals("trust") ? "cert" : "scram-sha-256";
        HbaRule safer = new HbaRule(type, rule.database(), rule.user(), rule.address(), method, Map.of());
        return Optional.of("# accepted, but weak (" + rule.method() + (network ? " over a network" : "")
                + "); safer: " + safer.toLine());
    }

    private static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1/128") || address.equals("::1")
                || address.equals("localhost") || address.equals("samehost");
    }

    /**
     * @param config the description
     * @return the problems of its TLS material, in order; empty when valid
     */
    static List<Problem> problems(ReplicationConfig config) {
        List<Problem> out = new ArrayList<>();
        Primary primary = config.primary();
        boolean serves = primary.node().tls().serves();
        // A description without any TLS material leaves ssl to the server's own configuration, which load() cannot
        // see (apply's pg_hba check reports a hostssl rule the server cannot match); with TLS described on some node,
        // a primary without it is TLS off.
        boolean described = config.nodes().stream().anyMatch(n -> !n.tls().equals(Tls.off()));
        for (HbaRule rule : config.hbaRules()) {
            if (described && !serves && (rule.type().equals("hostssl") || rule.method().equals("cert"))) {
                out.add(new Problem("pg_hba rule '" + Text.printable(rule.toString()) + "'", "a hostssl rule (and the"
                        + " cert method) matches only TLS connections, and primary '" + primary.name() + "' has no"
                        + " TLS: PostgreSQL reports 'hostssl record cannot match because SSL is disabled'",
                        "Give the primary its TLS material: .withTls(Tls.off().withServer(Tls.Server.files(cert, key,"
                                + " ca))), or use a host rule with scram-sha-256"));
            } else if (serves && (rule.method().equals("cert") || rule.options().containsKey("clientcert"))
                    && primary.node().tls().server().caFile() == null) {
                // PostgreSQL: "client certificates can only be checked if a root certificate store is available"
                out.add(new Problem("pg_hba rule '" + Text.printable(rule.toString()) + "'", (rule.method()
                        .equals("cert") ? "the cert method" : "clientcert") + " checks the client's certificate"
                        + " against the CA of ssl_ca_file, and primary '" + primary.name() + "' names no CA"
                        + " (ssl_ca_file), so PostgreSQL refuses the rule",
                        "Give the CA: Tls.Server.files(cert, key, \"/path/root.crt\")"));
            }
        }
        for (Node node : config.nodes()) {
            String who = "node '" + Text.printable(node.name()) + "'";
            Tls tls = node.tls();
            if (tls.server() != null) {
                server(who, tls.server(), out);
            }
            client(who + " replication TLS", tls.replication(), "withReplication", out);
            client(who + " admin TLS", tls.admin(), "withAdmin", out);
            X509Certificate own = tls.server() == null ? null : certificate(who, tls.server(), out);
            if (own != null && tls.admin() != null && tls.admin().mode() == Tls.Mode.VERIFY_FULL
                    && node.adminEndpoint() != null) {
                names(who + " admin endpoint", node.adminEndpoint(), own, out);
            }
        }
        X509Certificate primaryCertificate = primary.node().tls().server() == null ? null
                : parse(primary.node().tls().server().certificatePem());
        for (Standby s : config.standbys()) {
            Tls.Client c = s.node().tls().replication();
            if (c != null && c.mode() == Tls.Mode.VERIFY_FULL && primaryCertificate != null) {
                names("standby '" + Text.printable(s.name()) + "' connecting with sslmode=verify-full to primary '"
                        + primary.name() + "'", primary.endpoint(), primaryCertificate, out);
            }
        }
        return out;
    }

    private static void server(String who, Tls.Server s, List<Problem> out) {
        path(who + " ssl_cert_file", s.certificateFile(), out);
        path(who + " ssl_key_file", s.keyFile(), out);
        if (s.caFile() != null) {
            path(who + " ssl_ca_file", s.caFile(), out);
        }
        if (s.installs() && (s.certificatePem() == null || !s.keyPem().isPresent())) {
            out.add(new Problem(who + " server TLS to install", "the certificate and its key are installed together:"
                    + " one without the other leaves a pair that does not match", "Give both contents:"
                    + " Tls.Server.install(directory, certificatePem, Secret.of(keyPem), caPem)"));
        }
        if (s.caFile() != null && s.installs() && s.caPem() == null) {
            out.add(new Problem(who + " ssl_ca_file " + s.caFile(), "the certificate and key are installed, the CA"
                    + " not", "Give the CA's content too, or Tls.Server.files(...) for files already there"));
        }
    }

    private static void client(String who, Tls.Client c, String wither, List<Problem> out) {
        if (c == null) {
            return;
        }
        if (c.mode().verifies() && c.rootCertificateFile() == null) {
            out.add(new Problem(who + " sslmode=" + c.mode().keyword(), "it checks the server's certificate against"
                    + " a CA, and names none (sslrootcert)",
                    "Use ." + wither + "(Tls.Client.verifyFull(\"/path/root.crt\"))"));
        }
        if ((c.certificateFile() == null) != (c.keyFile() == null)) {
            out.add(new Problem(who + " sslcert " + c.certificateFile() + ", sslkey " + c.keyFile(), "a client"
                    + " certificate goes with its key", "Give both: .withCertificate(\"/path/user.crt\","
                    + " \"/path/user.key\")"));
        }
        if (c.rootCertificateFile() != null) {
            path(who + " sslrootcert", c.rootCertificateFile(), out);
        }
        if (c.certificateFile() != null) {
            path(who + " sslcert", c.certificateFile(), out);
        }
        if (c.keyFile() != null) {
            path(who + " sslkey", c.keyFile(), out);
        }
    }

    private static void path(String who, String path, List<Problem> out) {
        if (Text.hasControl(path) || !path.startsWith("/") || path.contains("'")) {
            out.add(new Problem(who + " '" + Text.printable(path) + "'", "a TLS file is named by an absolute path on"
                    + " one line, without a single quote (it goes into postgresql.auto.conf and connection strings)",
                    "Give an absolute path such as /etc/postgresql/tls/server.crt"));
        }
    }

    private static X509Certificate certificate(String who, Tls.Server s, List<Problem> out) {
        if (s.certificatePem() == null) {
            return null;
        }
        X509Certificate c = parse(s.certificatePem());
        if (c == null) {
            out.add(new Problem(who + " server certificate content", "it is not an X.509 certificate in PEM",
                    "Give the PEM text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----"));
        } else if (c.getNotAfter().before(new Date())) {
            out.add(new Problem(who + " server certificate " + c.getSubjectX500Principal().getName(), "it expired on "
                    + c.getNotAfter().toInstant() + ": every client that checks it refuses it",
                    "Issue a new certificate and give its content"));
        }
        return c;
    }

    /** @return the certificate, or null when the text is absent or not one */
    static X509Certificate parse(String pem) {
        if (pem == null) {
            return null;
        }
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            return null;
        }
    }

    private static void names(String who, Endpoint endpoint, X509Certificate certificate, List<Problem> out) {
        List<String> names = alternativeNames(certificate);
        if (!nameMatches(endpoint.host(), names)) {
            out.add(new Problem(who + " at '" + Text.printable(endpoint.host()) + "'", "sslmode=verify-full checks"
                    + " that the server's certificate names the host connected to, and "
                    + certificate.getSubjectX500Principal().getName() + " names only " + names,
                    "Connect to one of those names, or issue the certificate with '" + Text.printable(endpoint.host())
                            + "' among its subject alternative names"));
        }
    }

    /**
     * @param text a host as given
     * @return its address bytes when it is an IPv4 or IPv6 literal (brackets allowed), else null; never a lookup
     */
    private static byte[] ipLiteral(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(t).getAddress(); // a literal: parsed, not resolved
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** @return the certificate's DNS and IP subject alternative names, or its CN when it has none (libpq's rule) */
    static List<String> alternativeNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    int type = (Integer) entry.get(0);
                    if (type == DNS || type == IP) {
                        out.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        if (out.isEmpty()) {
            String dn = certificate.getSubjectX500Principal().getName();
            for (String part : dn.split(",")) {
                if (part.startsWith("CN=")) {
                    out.add(part.substring(3));
                }
            }
        }
        return out;
    }

    /** @return whether a host name or address is among the names, a wildcard covering one left-most label */
    static boolean nameMatches(String host, List<String> names) {
        String h = host.toLowerCase(Locale.ROOT);
        byte[] address = ipLiteral(h);
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(h)) {
                return true;
            }
            // The JDK gives an IPv6 SAN in full (fd00:0:0:0:0:0:0:10): compared as addresses, not as text.
            byte[] other = address == null ? null : ipLiteral(name);
            if (other != null && java.util.Arrays.equals(address, other)) {
                return true;
            }
            if (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(name.substring(1))) {
                return true;
            }
        }
        return false;
    }
}
