package io.github.pgreplication;

import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A standby server: its name (its {@code application_name} on the primary), its replication slot, where it runs,
 * its data directory, how it is cloned and started, and how the library reaches it to verify it streams.
 *
 * <p>The library reaches a standby through JDBC when {@link #adminEndpoint()} is set, else through {@code psql} on
 * its {@link #host()} over the local socket, so a standby that opens no inbound port still works.
 *
 * <pre>{@code
 * Standby eshub = Standby.named("eshub")
 *         .withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
 *         .withDataDirectory("/var/postgresql/data")
 *         .withService(ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")));
 * }</pre>
 *
 * @param name                      standby name; also its application_name
 * @param slotName                  physical slot; null means {@code <name>_slot}
 * @param host                      where it runs; default {@link LocalHost#current()}
 * @param dataDirectory             its PGDATA; required
 * @param service                   how it is started; default {@link ServiceControl#pgCtl()}
 * @param port                      the port it listens on (psql uses it); default 5432
 * @param adminEndpoint             JDBC address for verification; null means psql on the host
 * @param adminUser                 user for verification queries; default {@code postgres}
 * @param adminPassword             its password
 * @param cloneMethods              how its data directory is produced, tried in order; default pg_basebackup
 * @param emptyDataDirectoryAllowed whether a non-empty data directory that is not already this primary's standby
 *                                  may be emptied before cloning; default false
 * @param passfile                  where the replication password file is kept on the host; null means
 *                                  {@code <parent of dataDirectory>/.pgpass-<name>}
 * @param parameters                settings written to the standby's postgresql.auto.conf after cloning, e.g.
 *                                  {@code port}
 */
public record Standby(String name, String slotName, Host host, String dataDirectory, ServiceControl service,
        int port, Endpoint adminEndpoint, String adminUser, Secret adminPassword, List<CloneMethod> cloneMethods,
        boolean emptyDataDirectoryAllowed, String passfile, Map<String, String> parameters) {

    /** Copies collections and checks for nulls where a value is required. */
    public Standby {
        Objects.requireNonNull(name, "standby name must not be null: give one, e.g. Standby.named(\"eshub\")");
        Objects.requireNonNull(host, "standby host must not be null: give e.g. LocalHost.current() or"
                + " SshHost.to(\"postgres\", \"eshub.example.com\")");
        Objects.requireNonNull(service, "standby service must not be null: give e.g. ServiceControl.pgCtl()");
        Objects.requireNonNull(adminUser, "standby admin user must not be null: give e.g. \"postgres\"");
        Objects.requireNonNull(adminPassword, "standby admin password must not be null: give Secret.none() for no"
                + " password");
        Objects.requireNonNull(cloneMethods, "clone methods must not be null: give e.g. BaseBackup.defaults()");
        for (CloneMethod m : cloneMethods) {
            Objects.requireNonNull(m, "a clone method must not be null: give e.g. BaseBackup.defaults()");
        }
        cloneMethods = List.copyOf(cloneMethods);
        Objects.requireNonNull(parameters, "parameters must not be null: give Map.of()");
        parameters.forEach((k, v) -> {
            Objects.requireNonNull(k, "parameter name must not be null");
            Objects.requireNonNull(v, "value of parameter " + k + " must not be null: give the value as text");
        });
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** @param name standby name (letters, digits, underscores) @return a standby with defaults */
    public static Standby named(String name) {
        return new Standby(name, null, LocalHost.current(), null, ServiceControl.pgCtl(), Endpoint.DEFAULT_PORT,
                null, "postgres", Secret.none(), List.of(BaseBackup.defaults()), false, null, Map.of());
    }

    /** @return the slot name in effect: the one given, or {@code <name>_slot} made valid */
    public String effectiveSlotName() {
        return slotName != null ? slotName : SlotName.suggest(name + "_slot");
    }

    /** @return the passfile path in effect */
    public String effectivePassfile() {
        if (passfile != null) {
            return passfile;
        }
        String dir = dataDirectory == null || !dataDirectory.startsWith("/") ? ""
                : io.github.pgreplication.internal.PathRules.normalise(dataDirectory);
        int slash = dir.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : dir.substring(0, slash);
        return (parent.endsWith("/") ? parent : parent + "/") + ".pgpass-" + name;
    }

    /** @param slot the slot name @return a copy */
    public Standby withSlot(String slot) {
        return new Standby(name, slot, host, dataDirectory, service, port, adminEndpoint, adminUser, adminPassword,
                cloneMethods, emptyDataDirectoryAllowed, passfile, parameters);
    }

    /** @param newHost where the standby runs @return a copy */
    public Standby withHost(Host newHost) {
        return new Standby(name, slotName, newHost, dataDirectory, service, port, adminEndpoint, adminUser,
                adminPassword, cloneMethods, emptyDataDirectoryAllowed, passfile, parameters);
    }

    /** @param path absolute path of its PGDATA on its host @return a copy */
    public Standby withDataDirectory(String path) {
        return new Standby(name, slotName, host, path, service, port, adminEndpoint, adminUser, adminPassword,
                cloneMethods, emptyDataDirectoryAllowed, passfile, parameters);
    }

    /** @param newService how to start it @return a copy */
    public Standby withService(ServiceControl newService) {
        return new Standby(name, slotName, host, dataDirectory, newService, port, adminEndpoint, adminUser,
                adminPassword, cloneMethods, emptyDataDirectoryAllowed, passfile, parameters);
    }

    /**
     * Sets the port the standby listens on; also written as {@code port} in its postgresql.auto.conf when it
     * differs from 5432 (needed when several servers share a machine).
     *
     * @param newPort TCP port
     * @return a copy
     */
    public Standby withPort(int newPort) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        if (newPort == Endpoint.DEFAULT_PORT) {
            p.remove("port");
        } else {
            p.put("port", Integer.toString(newPort));
        }
        return new Standby(name, slotName, host, dataDirectory, service, newPort, adminEndpoint, adminUser,
                adminPassword, cloneMethods, emptyDataDirectoryAllowed, passfile, p);
    }

    /**
     * @param endpoint JDBC address to verify the standby through
     * @param user     user to connect as
     * @param password its password
     * @return a copy
     */
    public Standby withAdminEndpoint(Endpoint endpoint, String user, Secret password) {
        return new Standby(name, slotName, host, dataDirectory, service, port, endpoint, user, password,
                cloneMethods, emptyDataDirectoryAllowed, passfile, parameters);
    }

    /** @param methods clone methods, tried in order until one succeeds @return a copy */
    public Standby withCloneMethods(CloneMethod... methods) {
        Objects.requireNonNull(methods, "clone methods must not be null: give e.g. BaseBackup.defaults()");
        return new Standby(name, slotName, host, dataDirectory, service, port, adminEndpoint, adminUser,
                adminPassword, java.util.Arrays.asList(methods), emptyDataDirectoryAllowed, passfile, parameters);
    }

    /**
     * Allows the library to delete everything in a non-empty data directory before cloning, when that directory
     * is not already a standby of this primary. Off by default: without it a non-empty directory is an error
     * and is left untouched.
     *
     * @param allowed whether emptying is allowed
     * @return a copy
     */
    public Standby withEmptyDataDirectoryAllowed(boolean allowed) {
        return new Standby(name, slotName, host, dataDirectory, service, port, adminEndpoint, adminUser,
                adminPassword, cloneMethods, allowed, passfile, parameters);
    }

    /** @param path where to keep the replication passfile on the standby's host @return a copy */
    public Standby withPassfile(String path) {
        return new Standby(name, slotName, host, dataDirectory, service, port, adminEndpoint, adminUser,
                adminPassword, cloneMethods, emptyDataDirectoryAllowed, path, parameters);
    }

    /**
     * @param parameter a setting for this standby only, written to its postgresql.auto.conf after cloning
     * @param value     its value
     * @return a copy
     */
    public Standby withParameter(String parameter, String value) {
        Objects.requireNonNull(parameter, "parameter name must not be null: give e.g."
                + " \"max_standby_streaming_delay\"");
        Objects.requireNonNull(value, "value of parameter " + parameter + " must not be null: give the value as"
                + " text, e.g. \"30s\"");
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(parameter, value);
        return new Standby(name, slotName, host, dataDirectory, service, port, adminEndpoint, adminUser,
                adminPassword, cloneMethods, emptyDataDirectoryAllowed, passfile, p);
    }
}
