package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.Secret;
import io.github.pgreplication.pgbackrest.PgBackRestConfig;
import io.github.pgreplication.pgbackrest.Repository;
import io.github.pgreplication.pgbackrest.RepositoryHost;
import io.github.pgreplication.pgbackrest.StanzaSection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a {@link PgBackRestConfig} as pgBackRest's INI file, in a fixed order so that equal configurations give
 * equal text.
 */
public final class Ini {
    /** First line of every file the library writes. */
    public static final String HEADER = "# pgBackRest configuration written by pgreplication: edits here are replaced"
            + " when it is written again.";

    private Ini() {
    }

    /**
     * @param config  the configuration
     * @param reveal  whether to write secrets (for the file) or {@code ****} (for everything else)
     * @return the file's text, ending with a newline
     */
    public static String render(PgBackRestConfig config, boolean reveal) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        section(sb, "global", global(config, reveal));
        // tls-server-auth is a list: one line per client, the only option written more than once
        config.tlsServer().ifPresent(t -> t.allowed().forEach((cn, stanzas) -> sb.append("tls-server-auth=")
                .append(cn).append('=').append(String.join(",", stanzas)).append('\n')));
        for (StanzaSection s : config.stanzas()) {
            section(sb, s.name(), stanza(s));
        }
        return sb.toString();
    }

    /**
     * @param config the configuration
     * @param reveal whether to give secrets (for the file) or {@code ****} (for everything else)
     * @return the {@code [global]} options, in rendering order
     */
    public static Map<String, String> global(PgBackRestConfig config, boolean reveal) {
        Map<String, String> g = typedGlobal(config, reveal);
        g.putAll(config.globalOptions());
        return g;
    }

    /**
     * @param config the configuration
     * @param reveal whether to give secrets (for the file) or {@code ****} (for everything else)
     * @return the {@code [global]} options set by typed methods (no escape-hatch options)
     */
    public static Map<String, String> typedGlobal(PgBackRestConfig config, boolean reveal) {
        Map<String, String> g = new LinkedHashMap<>();
        config.repositoryHost().ifPresent(h -> repositoryHost(g, h));
        config.repository().ifPresent(r -> repository(g, r, reveal));
        config.processMax().ifPresent(v -> g.put("process-max", Integer.toString(v)));
        config.logPath().ifPresent(v -> g.put("log-path", v));
        config.tlsServer().ifPresent(t -> {
            g.put("tls-server-address", t.address());
            if (t.port() != RepositoryHost.TLS_PORT) {
                g.put("tls-server-port", Integer.toString(t.port()));
            }
            g.put("tls-server-cert-file", t.certFile());
            g.put("tls-server-key-file", t.keyFile());
            g.put("tls-server-ca-file", t.caFile());
        });
        config.compressType().ifPresent(v -> g.put("compress-type", v.toPgBackRest()));
        config.compressLevel().ifPresent(v -> g.put("compress-level", Integer.toString(v)));
        config.startFast().ifPresent(v -> g.put("start-fast", yesNo(v)));
        config.spoolPath().ifPresent(v -> {
            g.put("archive-async", "y");
            g.put("spool-path", v);
        });
        return g;
    }

    private static void repositoryHost(Map<String, String> g, RepositoryHost h) {
        g.put("repo1-host", h.address());
        if (h.isTls()) {
            g.put("repo1-host-type", "tls");
            if (h.port() != RepositoryHost.TLS_PORT) {
                g.put("repo1-host-port", Integer.toString(h.port()));
            }
            g.put("repo1-host-ca-file", h.tls().caFile());
            g.put("repo1-host-cert-file", h.tls().certFile());
            g.put("repo1-host-key-file", h.tls().keyFile());
        } else {
            g.put("repo1-host-user", h.user());
            if (h.port() != 22) {
                g.put("repo1-host-port", Integer.toString(h.port()));
            }
        }
        // Over TLS as over SSH, the process started for this standby reads the file the standby names.
        if (h.configPath() != null) {
            g.put("repo1-host-config", h.configPath());
        }
        if (!h.isTls() && h.command() != null) {
            g.put("repo1-host-cmd", h.command());
        }
    }

    private static void repository(Map<String, String> g, Repository r, boolean reveal) {
        g.put("repo1-type", r.type().toPgBackRest());
        if (r.path() != null) {
            g.put("repo1-path", r.path());
        }
        r.retentionFull().ifPresent(v -> g.put("repo1-retention-full", Integer.toString(v)));
        r.options().forEach((k, v) -> g.put("repo1-" + k, v));
        r.secrets().forEach((k, v) -> g.put("repo1-" + k, reveal ? v.reveal().orElse("") : mask(v)));
    }

    private static String mask(Secret s) {
        return s.isPresent() ? "****" : "";
    }

    /**
     * @param s the stanza section
     * @return a stanza section's options, in rendering order
     */
    public static Map<String, String> stanza(StanzaSection s) {
        Map<String, String> m = typedStanza(s);
        m.putAll(s.options());
        return m;
    }

    /**
     * @param s the stanza section
     * @return a stanza section's options set by typed methods
     */
    public static Map<String, String> typedStanza(StanzaSection s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s.pgPath() != null) {
            m.put("pg1-path", s.pgPath());
        }
        if (s.pgPort() != null) {
            m.put("pg1-port", Integer.toString(s.pgPort()));
        }
        if (s.pgSocketPath() != null) {
            m.put("pg1-socket-path", s.pgSocketPath());
        }
        return m;
    }

    private static void section(StringBuilder sb, String name, Map<String, String> options) {
        sb.append('\n').append('[').append(name).append("]\n");
        options.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    }

    private static String yesNo(boolean b) {
        return b ? "y" : "n";
    }
}
