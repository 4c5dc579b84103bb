package io.github.pgreplication;

import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The primary server: where standbys connect ({@link #endpoint()}), how the library connects to administer it
 * (a superuser, over {@link #adminEndpoint()} or a caller-supplied {@link DataSource}), where its files live
 * ({@link #host()}: pg_hba.conf is edited there) and how it is restarted ({@link #service()}; null means "fail
 * with a clear message when a restart is needed").
 *
 * <pre>{@code
 * Primary primary = Primary.at(Endpoint.of("eshua.ghelew.ch", 5432))
 *         .withName("eshua")
 *         .withAdmin("postgres", Secret.none())
 *         .withHost(LocalHost.runAs("postgres"))
 *         .withService(ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")));
 * }</pre>
 *
 * @param name          name used in logs, the runbook and messages
 * @param endpoint      the address standbys connect to
 * @param adminEndpoint the address the library connects to (defaults to {@code endpoint})
 * @param adminUser     superuser the library connects as; default {@code postgres}
 * @param adminPassword its password, or {@link Secret#none()}
 * @param database      database the library connects to; default {@code postgres}
 * @param host          where commands run and files are edited; default {@link LocalHost#current()}
 * @param service       how the server is restarted; may be null
 * @param dataSource    a caller-supplied connection source used instead of {@code adminEndpoint}; may be null
 */
public record Primary(String name, Endpoint endpoint, Endpoint adminEndpoint, String adminUser, Secret adminPassword,
        String database, Host host, ServiceControl service, DataSource dataSource) {

    /** Checks for nulls where a value is required. */
    public Primary {
        Objects.requireNonNull(name, "primary name must not be null: give one, e.g. .withName(\"eshua\")");
        Objects.requireNonNull(endpoint, "primary endpoint must not be null: give Endpoint.of(\"db.example.com\","
                + " 5432)");
        Objects.requireNonNull(adminEndpoint, "primary admin endpoint must not be null: give"
                + " Endpoint.of(\"localhost\", 5432)");
        Objects.requireNonNull(adminUser, "primary admin user must not be null: give e.g. .withAdmin(\"postgres\","
                + " Secret.none())");
        Objects.requireNonNull(adminPassword, "primary admin password must not be null: give Secret.none() for no"
                + " password");
        Objects.requireNonNull(database, "primary database must not be null: give e.g."
                + " .withDatabase(\"postgres\")");
        Objects.requireNonNull(host, "primary host must not be null: give e.g. LocalHost.current()");
    }

    /**
     * @param endpoint where standbys (and, by default, the library) connect
     * @return a primary named after the endpoint's host, administered as {@code postgres} without password,
     *         on this machine, with no service control
     */
    public static Primary at(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint must not be null: give Endpoint.of(\"db.example.com\", 5432)");
        return new Primary(endpoint.host(), endpoint, endpoint, "postgres", Secret.none(), "postgres",
                LocalHost.current(), null, null);
    }

    /** @param newName name for logs and messages @return a copy */
    public Primary withName(String newName) {
        return new Primary(newName, endpoint, adminEndpoint, adminUser, adminPassword, database, host, service,
                dataSource);
    }

    /** @param newEndpoint where the library connects, when it differs from where standbys connect @return a copy */
    public Primary withAdminEndpoint(Endpoint newEndpoint) {
        return new Primary(name, endpoint, newEndpoint, adminUser, adminPassword, database, host, service,
                dataSource);
    }

    /** @param user superuser name @param password its password or {@link Secret#none()} @return a copy */
    public Primary withAdmin(String user, Secret password) {
        return new Primary(name, endpoint, adminEndpoint, user, password, database, host, service, dataSource);
    }

    /** @param newDatabase database to connect to for administration @return a copy */
    public Primary withDatabase(String newDatabase) {
        return new Primary(name, endpoint, adminEndpoint, adminUser, adminPassword, newDatabase, host, service,
                dataSource);
    }

    /** @param newHost where commands run and files are edited @return a copy */
    public Primary withHost(Host newHost) {
        return new Primary(name, endpoint, adminEndpoint, adminUser, adminPassword, database, newHost, service,
                dataSource);
    }

    /** @param newService how to restart the server @return a copy */
    public Primary withService(ServiceControl newService) {
        return new Primary(name, endpoint, adminEndpoint, adminUser, adminPassword, database, host, newService,
                dataSource);
    }

    /** @param newDataSource connections to use instead of opening a pool to adminEndpoint @return a copy */
    public Primary withDataSource(DataSource newDataSource) {
        return new Primary(name, endpoint, adminEndpoint, adminUser, adminPassword, database, host, service,
                newDataSource);
    }
}
