package io.github.pgreplication;

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

    /** @param host host name or IP @param port TCP port @return the endpoint */
    public static Endpoint of(String host, int port) {
        return new Endpoint(host, port);
    }

    /** @param host host name or IP @return the endpoint on port 5432 */
    public static Endpoint of(String host) {
        return new Endpoint(host, DEFAULT_PORT);
    }

    /** @param database database name @return a PgJDBC URL for this endpoint */
    public String jdbcUrl(String database) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
