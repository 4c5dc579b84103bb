package io.github.pgreplication;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server address: host name or IP address, and TCP port. Validated by
 * {@link Replication.Builder#load()} (non-empty host, port 1 to 65535).
 *
 * @param host host name or IP address
 * @param port TCP port
 */
public record Endpoint(String host, int port) {
    /** PostgreSQL's default port. */
    public static final int DEFAULT_PORT = 5432;
    private static final Pattern HOST = Pattern.compile("\\[?[A-Za-z0-9_.:%-]+]?");

    /**
     * Checks for null; the rest is checked by load().
     *
     * @param host host name or IP address
     * @param port TCP port
     */
    public Endpoint {
        Objects.requireNonNull(host, "host must not be null: give a host name or IP address, e.g."
                + " Endpoint.of(\"db.example.com\", 5432)");
    }

    /**
     * @param host host name or IP
     * @param port TCP port
     * @return the endpoint
     */
    public static Endpoint of(String host, int port) {
        return new Endpoint(host, port);
    }

    /**
     * @param host host name or IP
     * @return the endpoint on port 5432
     */
    public static Endpoint of(String host) {
        return new Endpoint(host, DEFAULT_PORT);
    }

    /**
     * Builds a PgJDBC URL that carries only host, port and database: the database name is percent-encoded (PgJDBC
     * decodes it), so a name holding {@code ?}, {@code &} or {@code /} cannot add driver parameters. Give
     * connection properties as properties, not in the URL.
     *
     * @param database database name
     * @return a PgJDBC URL for this endpoint
     * @throws IllegalArgumentException when the host is not a plain host name or IP address
     */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database must not be null: give e.g. \"postgres\"");
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host '" + io.github.pgreplication.internal.Text.printable(host)
                    + "' is not a plain host name or IP address, so it cannot go into a JDBC URL. Write only the"
                    + " host, e.g. Endpoint.of(\"db.example.com\", 5432)");
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
