package io.github.pgreplication.pgbackrest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One stanza section of pgbackrest.conf: a PostgreSQL cluster pgBackRest backs up or restores. Immutable; checked
 * by {@link PgBackRestConfig.Builder#build()}.
 *
 * <pre>{@code
 * StanzaSection.named("psql").withPgPath("/var/lib/postgresql/15/main").withPgPort(5432);
 * }</pre>
 *
 * @param name         the stanza name: letters, digits, {@code _}, {@code -} and {@code .}
 * @param pgPath       {@code pg1-path}: the cluster's data directory on this host; required
 * @param pgPort       {@code pg1-port}, or null for pgBackRest's default 5432
 * @param pgSocketPath {@code pg1-socket-path}: the directory holding PostgreSQL's Unix socket, or null for the
 *                     default
 * @param options      other options of the section, e.g. {@code pg1-user}
 */
public record StanzaSection(String name, String pgPath, Integer pgPort, String pgSocketPath,
        Map<String, String> options) {

    /** Copies the options and checks for nulls. */
    public StanzaSection {
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** @param name stanza name, e.g. {@code psql} @return a section without options yet */
    public static StanzaSection named(String name) {
        return new StanzaSection(name, null, null, null, Map.of());
    }

    /** @param path {@code pg1-path}: absolute path of the data directory @return a copy */
    public StanzaSection withPgPath(String path) {
        return new StanzaSection(name, path, pgPort, pgSocketPath, options);
    }

    /** @param port {@code pg1-port} @return a copy */
    public StanzaSection withPgPort(int port) {
        return new StanzaSection(name, pgPath, port, pgSocketPath, options);
    }

    /** @param path {@code pg1-socket-path}: absolute directory of the Unix socket @return a copy */
    public StanzaSection withPgSocketPath(String path) {
        return new StanzaSection(name, pgPath, pgPort, path, options);
    }

    /**
     * The escape hatch for any other option of the section.
     *
     * @param option full option name, e.g. {@code pg1-user}
     * @param value  its value
     * @return a copy
     */
    public StanzaSection withOption(String option, String value) {
        Map<String, String> o = new LinkedHashMap<>(options);
        o.put(Objects.requireNonNull(option, "option"), Objects.requireNonNull(value, "value"));
        return new StanzaSection(name, pgPath, pgPort, pgSocketPath, o);
    }
}
