package io.github.pgreplication.internal;

import io.github.pgreplication.ConnectionFailedException;
import io.github.pgreplication.ConnectionFailedException.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PSQLException;

/**
 * Turns the exception of a failed connection attempt (the driver's, or a pool's that wraps it) into a
 * {@link ConnectionFailedException} saying what it is: the pool's "Connection is not available, request timed out"
 * is never the message, the driver's exception behind it is.
 */
final class ConnectionFailures {
    /** The advice when the client's certificate expired (the server's alert certificate_expired, or its file). */
    private static final String CLIENT_EXPIRED = "This client's certificate (sslcert) is outside its validity, and"
            + " the server refuses it: issue a new one from the CA in the server's ssl_ca_file, with the same CN,"
            + " and give it with Tls.Client.withCertificate(cert, key).";

    private ConnectionFailures() {
    }

    /**
     * @param node   the node's name
     * @param target where the connection went, e.g. {@code user postgres, database postgres at db1:5432}
     * @param failed what getConnection() threw
     * @return the typed failure, with the driver's exception as its cause
     */
    static ConnectionFailedException of(String node, String target, SQLException failed) {
        return of(node, target, failed, false);
    }

    /**
     * @param node       the node's name
     * @param target     where the connection went, e.g. {@code user postgres, database postgres at db1:5432}
     * @param failed     what getConnection() threw
     * @param withoutTls whether the client was told not to use TLS (sslmode=disable): the server's refusal for
     *                   "no encryption" is then a server that admits TLS only ({@link Kind#TLS_REQUIRED})
     * @return the typed failure, with the driver's exception as its cause
     */
    static ConnectionFailedException of(String node, String target, SQLException failed, boolean withoutTls) {
        return of(node, target, failed, withoutTls, null);
    }

    /**
     * @param node                  the node's name
     * @param target                where the connection went
     * @param failed                what getConnection() threw
     * @param withoutTls            whether the client was told not to use TLS (sslmode=disable)
     * @param clientCertificateFile the client certificate the session presented ({@code sslcert}), or null: when
     *                              the failure is the server's refusal of it, or a handshake the server broke off
     *                              (PgJDBC over TLS 1.3 sees only the closed connection), and that file is outside
     *                              its validity, the failure is {@link Kind#TLS_EXPIRED} naming it
     * @return the typed failure, with the driver's exception as its cause
     */
    static ConnectionFailedException of(String node, String target, SQLException failed, boolean withoutTls,
            String clientCertificateFile) {
        List<Throwable> chain = chain(failed);
        Throwable root = driverException(chain, failed);
        String sqlState = serverSqlState(chain);
        Kind kind = tlsKind(chain, withoutTls).orElseGet(() -> kind(chain, sqlState));
        java.util.Optional<String> expiredClient = kind == Kind.OTHER || kind == Kind.CLIENT_CERTIFICATE
                || kind == Kind.TLS_EXPIRED ? outsideValidity(clientCertificateFile) : java.util.Optional.empty();
        boolean clientSide = expiredClient.isPresent() || (kind == Kind.TLS_EXPIRED && clientExpired(chain));
        if (clientSide) {
            kind = Kind.TLS_EXPIRED;
        }
        String words = words(root);
        String subject = expiredClient.or(() -> subject(chain)).map(s -> " The certificate: " + s + ".").orElse("");
        String message = "[" + node + "] cannot connect (" + target + "): " + words
                + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")")
                + (sqlState == null && words.endsWith(".") ? "" : ".") + subject + " "
                + (clientSide ? CLIENT_EXPIRED : advice(kind, sqlState));
        return new ConnectionFailedException(node, kind, sqlState, message, root);
    }

    /** @return the file's certificate, described, when it is outside its validity now; empty if valid or unreadable */
    static java.util.Optional<String> outsideValidity(String certificateFile) {
        if (certificateFile == null || certificateFile.isEmpty()) {
            return java.util.Optional.empty();
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(certificateFile))) {
            java.security.cert.Certificate c = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            if (!(c instanceof java.security.cert.X509Certificate x)) {
                return java.util.Optional.empty();
            }
            try {
                x.checkValidity();
                return java.util.Optional.empty();
            } catch (java.security.cert.CertificateExpiredException
                    | java.security.cert.CertificateNotYetValidException e) {
                return java.util.Optional.of(describe(x) + " (" + certificateFile + ")");
            }
        } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return java.util.Optional.empty(); // the driver reports a file it cannot read
        }
    }

    /**
     * @return the certificate's subject, issuer and end of validity, for a message; the names come from the peer, so
     *         their control and invisible characters are escaped
     */
    static String describe(java.security.cert.X509Certificate x) {
        return Text.printable(x.getSubjectX500Principal().getName()) + " issued by "
                + Text.printable(x.getIssuerX500Principal().getName()) + ", valid until " + x.getNotAfter().toInstant();
    }

    /** @return every throwable reachable through causes and SQLException.getNextException, each once, in order */
    static List<Throwable> chain(Throwable first) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>(List.of(first));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || seen.put(t, true) != null) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException sql) {
                todo.add(sql.getNextException());
            }
        }
        return out;
    }

    /** The driver's exception: the innermost PSQLException, else the first non-pool exception, else the given one. */
    private static Throwable driverException(List<Throwable> chain, SQLException failed) {
        Throwable found = null;
        for (Throwable t : chain) {
            if (t instanceof PSQLException) {
                found = t;
            }
        }
        if (found != null) {
            return found;
        }
        return chain.size() > 1 ? chain.get(1) : failed;
    }

    /** @return the SQLSTATE the server sent (classes 28, 3D, 53, 57), null when it did not answer */
    private static String serverSqlState(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().matches("28...|3D000|53300|57P0.")) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /**
     * The TLS failures, from PgJDBC's and the JDK's words (seen with PgJDBC 42.7.14 on Java 17 against PostgreSQL 15
     * and 17): "The server does not support SSL.", "PKIX path building failed", "The hostname X could not be
     * verified by hostnameverifier", a CertificateExpiredException, "Received fatal alert: certificate_expired" (the
     * server refused the client's expired certificate), "Received fatal alert: ..." (the server refused the client's
     * certificate in the handshake), and the server's FATALs "no encryption" (a hostssl rule only),
     * "connection requires a valid client certificate", "certificate authentication failed".
     */
    static java.util.Optional<Kind> tlsKind(List<Throwable> chain, boolean withoutTls) {
        for (Throwable t : chain) {
            if (t instanceof java.security.cert.CertificateExpiredException
                    || t instanceof java.security.cert.CertificateNotYetValidException) {
                return java.util.Optional.of(Kind.TLS_EXPIRED);
            }
        }
        StringBuilder all = new StringBuilder();
        chain.forEach(t -> all.append(t.getMessage()).append('\n'));
        String w = all.toString();
        if (w.contains("does not support SSL")) {
            return java.util.Optional.of(Kind.TLS_UNAVAILABLE);
        }
        if (w.contains("could not be verified by hostnameverifier") || w.contains("does not match host name")) {
            return java.util.Optional.of(Kind.TLS_NAME_MISMATCH);
        }
        if (w.contains("Received fatal alert: certificate_expired")) {
            return java.util.Optional.of(Kind.TLS_EXPIRED); // the server's alert: the client's certificate
        }
        if (w.contains("Received fatal alert") || w.contains("requires a valid client certificate")
                || w.contains("certificate authentication failed")) {
            return java.util.Optional.of(Kind.CLIENT_CERTIFICATE);
        }
        if (w.contains("PKIX path") || w.contains("unable to find valid certification path")
                || w.contains("certificate verify failed")) {
            return java.util.Optional.of(Kind.TLS_UNTRUSTED);
        }
        if (withoutTls && w.contains("no encryption")) {
            return java.util.Optional.of(Kind.TLS_REQUIRED);
        }
        return java.util.Optional.empty();
    }

    /** @return whether the server refused the client's certificate as expired (TLS alert certificate_expired) */
    private static boolean clientExpired(List<Throwable> chain) {
        return chain.stream().anyMatch(t -> t.getMessage() != null
                && t.getMessage().contains("Received fatal alert: certificate_expired"));
    }

    /** @return the subject of the certificate a failed check names, when the JDK's exception carries it */
    private static java.util.Optional<String> subject(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof java.security.cert.CertPathValidatorException v && v.getCertPath() != null
                    && !v.getCertPath().getCertificates().isEmpty()
                    && v.getCertPath().getCertificates().get(0) instanceof java.security.cert.X509Certificate x) {
                return java.util.Optional.of(describe(x));
            }
        }
        return java.util.Optional.empty();
    }

    private static Kind kind(List<Throwable> chain, String sqlState) {
        if (sqlState != null) {
            if (sqlState.startsWith("28")) {
                return Kind.AUTHENTICATION;
            }
            if (sqlState.equals("3D000")) {
                return Kind.UNKNOWN_DATABASE;
            }
            return Kind.NOT_READY;
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return Kind.UNKNOWN_HOST;
            }
            if (t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return Kind.UNREACHABLE;
            }
            if (t instanceof ConnectException) {
                return Kind.REFUSED;
            }
        }
        return Kind.OTHER;
    }

    private static String words(Throwable root) {
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof PSQLException && root.getCause() != null && root.getCause().getMessage() != null
                && !message.contains(root.getCause().getMessage())) {
            message += ": " + root.getCause().getMessage();
        }
        return message;
    }

    private static String advice(Kind kind, String sqlState) {
        return switch (kind) {
            case AUTHENTICATION -> "28P01".equals(sqlState)
                    ? "Check the admin password given with withAdmin(user, password) (or the DataSource's)."
                    : "Check the admin user name, and that a pg_hba.conf rule of the server admits it from this"
                            + " client's address for this database.";
            case UNKNOWN_DATABASE -> "Name an existing database with withDatabase(...) (the default is postgres);"
                    + " SELECT datname FROM pg_database lists them.";
            case UNKNOWN_HOST -> "Check the host name of the admin endpoint; it does not resolve from this machine.";
            case REFUSED -> "Nothing listens there: start the server, or check the port and its listen_addresses.";
            case UNREACHABLE -> "Check the address, the network and firewalls between this machine and the server.";
            case NOT_READY -> "The server is not accepting connections now; it is starting, stopping, or full"
                    + " (max_connections).";
            case TLS_UNTRUSTED -> "The server's certificate is not signed by the CA this client trusts: give the CA"
                    + " that signed it as the admin TLS's root certificate (Tls.Client.verifyFull(\"/path/root.crt\"))"
                    + ", or give the server a certificate of that CA.";
            case TLS_NAME_MISMATCH -> "The server's certificate does not name the host connected to"
                    + " (sslmode=verify-full): connect to a name among its subject alternative names, or issue it"
                    + " with this host's name.";
            case TLS_EXPIRED -> "A certificate expired: issue a new one (the server's: ssl_cert_file, then reload).";
            case TLS_UNAVAILABLE -> "The server has ssl = off: give the node its TLS material"
                    + " (Node.withTls(Tls.off().withServer(...))) and apply, or use an sslmode that does not"
                    + " require TLS.";
            case TLS_REQUIRED -> "The server's pg_hba.conf admits this user over TLS only (hostssl): connect with"
                    + " sslmode=verify-full (Node.withTls(Tls.off().withAdmin(Tls.Client.verifyFull(...))))";
            case CLIENT_CERTIFICATE -> "The server wants a client certificate signed by its ssl_ca_file whose CN is"
                    + " the user: give one with Tls.Client.withCertificate(cert, key), or check its CA and CN.";
            case OTHER -> "Check the server's log for this connection attempt.";
        };
    }
}
