package io.github.pgreplication.pgbackrest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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

    /**
     * Copies the options and checks for nulls.
     *
     * @param name         the stanza name: letters, digits, {@code _}, {@code -} and {@code .}
     * @param pgPath       {@code pg1-path}: the cluster's data directory on this host; required
     * @param pgPort       {@code pg1-port}, or null for pgBackRest's default 5432
     * @param pgSocketPath {@code pg1-socket-path}: the directory holding PostgreSQL's Unix socket, or null for the
     *                     default
     * @param options      other options of the section, e.g. {@code pg1-user}
     */
    public StanzaSection {
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * @param name stanza name, e.g. {@code psql}
     * @return a section without options yet
     */
    public static StanzaSection named(String name) {
        return new StanzaSection(name, null, null, null, Map.of());
    }

    /**
     * @param path {@code pg1-path}: absolute path of the data directory
     * @return a copy
     */
    public StanzaSection withPgPath(String path) {
        return copy(c -> c.pgPath = path);
    }

    /**
     * @param port {@code pg1-port}
     * @return a copy
     */
    public StanzaSection withPgPort(int port) {
        return copy(c -> c.pgPort = port);
    }

    /**
     * @param path {@code pg1-socket-path}: absolute directory of the Unix socket
     * @return a copy
     */
    public StanzaSection withPgSocketPath(String path) {
        return copy(c -> c.pgSocketPath = path);
    }

    /**
     * The escape hatch for any other option of the section.
     *
     * @param option full option name, e.g. {@code pg1-user}
     * @param value  its value
     * @return a copy
     */
    public StanzaSection withOption(String option, String value) {
        return copy(c -> c.options.put(Objects.requireNonNull(option, "option"),
                Objects.requireNonNull(value, "value")));
    }

    /** Makes a section of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private StanzaSection copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new StanzaSection(c.name, c.pgPath, c.pgPort, c.pgSocketPath, c.options);
    }

    /** This section's fields, for a wither to change before {@link #copy} makes a section of them. */
    private final class Copy {
        String name = StanzaSection.this.name;
        String pgPath = StanzaSection.this.pgPath;
        Integer pgPort = StanzaSection.this.pgPort;
        String pgSocketPath = StanzaSection.this.pgSocketPath;
        Map<String, String> options = new LinkedHashMap<>(StanzaSection.this.options);
    }
}
