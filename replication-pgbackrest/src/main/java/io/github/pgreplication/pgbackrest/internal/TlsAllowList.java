package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allow list of a repository host's TLS server ({@code tls-server-auth=CN=STANZA[,STANZA...]} lines of the
 * {@code [global]} and {@code [global:server]} sections of its pgbackrest.conf), read through its access Host so
 * that a standby whose certificate CN is not allowed is refused before its restore, with the line to add.
 */
public final class TlsAllowList {
    /** Where pgBackRest looks for its configuration when no path is given, in its order. */
    static final List<String> DEFAULT_PATHS = List.of("/etc/pgbackrest/pgbackrest.conf", "/etc/pgbackrest.conf");

    private TlsAllowList() {
    }

    /**
     * @param access     the repository host's access Host
     * @param configPath its configuration file, or null for pgBackRest's default places
     * @return client CN to stanzas, when the file has {@code tls-server-auth} lines; empty when it cannot be read or
     *         has none (the allow list is then not known: another file may hold it)
     */
    public static Optional<Map<String, List<String>>> read(Host access, String configPath) {
        for (String path : configPath != null ? List.of(configPath) : DEFAULT_PATHS) {
            Optional<String> text = access.readFile(path);
            if (text.isPresent()) {
                return parse(text.get());
            }
        }
        return Optional.empty();
    }

    /**
     * @param ini a pgbackrest.conf
     * @return its {@code tls-server-auth} entries in the sections the server reads, when there are any
     */
    static Optional<Map<String, List<String>>> parse(String ini) {
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        String section = "";
        for (String raw : ini.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (!(section.equals("global") || section.equals("global:server")) || eq < 0
                    || !line.substring(0, eq).strip().equals("tls-server-auth")) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            int cnEnd = value.indexOf('=');
            if (cnEnd <= 0) {
                continue;
            }
            List<String> stanzas = allowed.computeIfAbsent(value.substring(0, cnEnd).strip(), k -> new ArrayList<>());
            for (String s : value.substring(cnEnd + 1).split(",")) {
                if (!s.isBlank()) {
                    stanzas.add(s.strip());
                }
            }
        }
        return allowed.isEmpty() ? Optional.empty() : Optional.of(allowed);
    }
}
