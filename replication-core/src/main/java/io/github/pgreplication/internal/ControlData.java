package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code pg_controldata} says of a data directory, read on its host: whether the server was shut down cleanly,
 * where its last checkpoint is, on which timeline, its system identifier, and the settings pg_rewind needs.
 *
 * @param fields every {@code key: value} line, as printed with {@code LC_ALL=C}
 */
public record ControlData(Map<String, String> fields) {
    /** A clean primary shutdown. */
    public static final String SHUT_DOWN = "shut down";
    /** A clean standby shutdown. */
    public static final String SHUT_DOWN_IN_RECOVERY = "shut down in recovery";

    /**
     * @param text pg_controldata's output
     * @return its fields
     */
    public static ControlData parse(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                f.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return new ControlData(Map.copyOf(f));
    }

    /**
     * @param host          the node's host
     * @param dataDirectory its data directory
     * @return its control data
     */
    public static ControlData read(Host host, String dataDirectory) {
        return parse(host.run(Command.of("pg_controldata", "-D", dataDirectory).withEnvironment("LC_ALL", "C")
                .withTimeout(Duration.ofSeconds(30))).stdout());
    }

    /**
     * @param key a field name
     * @return its value, or empty text
     */
    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    /** @return e.g. {@code shut down}, {@code in production}, {@code shut down in recovery} */
    public String state() {
        return get("Database cluster state");
    }

    /** @return whether the server stopped cleanly, as a primary or as a standby */
    public boolean cleanlyShutDown() {
        return SHUT_DOWN.equals(state()) || SHUT_DOWN_IN_RECOVERY.equals(state());
    }

    /** @return where the last checkpoint record starts */
    public Lsn checkpoint() {
        return Lsn.parse(get("Latest checkpoint location"));
    }

    /** @return the last checkpoint's redo position */
    public Lsn redo() {
        return Lsn.parse(get("Latest checkpoint's REDO location"));
    }

    /** @return the timeline of the last checkpoint */
    public long timeline() {
        return Long.parseLong(get("Latest checkpoint's TimeLineID"));
    }

    /** @return the system identifier */
    public String systemId() {
        return get("Database system identifier");
    }

    /** @return whether wal_log_hints was on at the last checkpoint */
    public boolean walLogHints() {
        return "on".equals(get("wal_log_hints setting"));
    }

    /** @return whether data pages carry checksums */
    public boolean checksums() {
        String v = get("Data page checksum version");
        return !v.isEmpty() && !"0".equals(v);
    }

    /** @return whether full_page_writes was on at the last checkpoint */
    public boolean fullPageWrites() {
        return "on".equals(get("Latest checkpoint's full_page_writes"));
    }
}
