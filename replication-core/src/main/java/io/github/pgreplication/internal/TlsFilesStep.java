package io.github.pgreplication.internal;

import io.github.pgreplication.Node;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Tls;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's server certificate, key and CA on its host, before TLS is turned on: contents the library installs are
 * written there (the key 0600, as the host's user, which is the server's), files already there are checked (present,
 * the key readable by its owner only). Done when every file is as wanted. The key's content is in no runbook line,
 * argument or log: it travels on standard input ({@link Host#writeFile}).
 */
final class TlsFilesStep extends Step {
    static final String KEY_MODE = "0600";
    static final String PUBLIC_MODE = "0644";

    private final Node node;
    private final Tls.Server server;

    TlsFilesStep(Node node) {
        super(node.name(), (node.tls().server().installs() ? "install" : "check") + " TLS files "
                + files(node.tls().server()) + " on " + node.name(), Kind.CHANGE, runbook(node.tls().server()));
        this.node = node;
        this.server = node.tls().server();
    }

    /** @return the server material's paths, for titles and messages */
    private static List<String> files(Tls.Server s) {
        List<String> out = new ArrayList<>(List.of(s.certificateFile(), s.keyFile()));
        if (s.caFile() != null) {
            out.add(s.caFile());
        }
        return out;
    }

    private static List<String> runbook(Tls.Server s) {
        List<String> lines = new ArrayList<>();
        if (s.installs()) {
            lines.add("# as the server's user; the key's content is not shown");
            lines.add("umask 077; cat > " + Command.shellQuote(s.keyFile()) + "   # the private key, PEM");
            lines.add("cat > " + Command.shellQuote(s.certificateFile()) + "   # the server certificate, PEM");
            if (s.caFile() != null) {
                lines.add("cat > " + Command.shellQuote(s.caFile()) + "   # the CA, PEM");
            }
            lines.add("chmod " + KEY_MODE + " " + Command.shellQuote(s.keyFile()));
        } else {
            lines.add("ls -l " + String.join(" ", files(s).stream().map(Command::shellQuote).toList())
                    + "   # present; the key " + KEY_MODE + " (or 0640 owned by root)");
        }
        return lines;
    }

    /** @return the files to write, path to content, in order: key first */
    private Map<String, String> contents() {
        Map<String, String> out = new LinkedHashMap<>();
        server.keyPem().reveal().ifPresent(k -> out.put(server.keyFile(), k));
        if (server.certificatePem() != null) {
            out.put(server.certificateFile(), server.certificatePem());
        }
        if (server.caPem() != null && server.caFile() != null) {
            out.put(server.caFile(), server.caPem());
        }
        return out;
    }

    @Override
    public boolean needsPrimary() {
        return false;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        Host host = node.host();
        if (server.installs()) {
            for (Map.Entry<String, String> e : contents().entrySet()) {
                Optional<String> have = host.readFile(e.getKey());
                if (have.isEmpty() || !have.get().equals(e.getValue())) {
                    return false;
                }
            }
            String mode = host.fileMode(server.keyFile());
            return mode != null && mode.endsWith("00"); // 0600 or 0400: its owner's only
        }
        for (String f : files(server)) {
            if (!host.exists(f)) {
                throw new ReplicationException("TLS file " + f + " of node '" + node.name() + "' is missing on "
                        + host.name() + ": ssl = on would fail to load it. Put it there, or give its content with"
                        + " Tls.Server.install(directory, certificatePem, keyPem, caPem).");
            }
        }
        keyProblem(host).ifPresent(p -> {
            throw new ReplicationException(p);
        });
        return true;
    }

    /** @return why the key's mode is refused: readable by others (PostgreSQL refuses it), or empty */
    private Optional<String> keyProblem(Host host) {
        String mode = host.fileMode(server.keyFile());
        if (mode != null && !mode.isEmpty() && !mode.endsWith("0")) {
            return Optional.of("TLS key " + server.keyFile() + " of node '" + node.name() + "' has mode " + mode
                    + ": readable by others, which PostgreSQL refuses ('private key file has group or world"
                    + " access'). Run chmod " + KEY_MODE + " " + server.keyFile() + " as its owner (0640 if root owns"
                    + " it and the server's group reads it).");
        }
        return Optional.empty();
    }

    @Override
    public String run(ApplyContext ctx) {
        Host host = node.host();
        Map<String, String> files = contents();
        for (String path : files.keySet()) {
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                host.createDirectories(path.substring(0, slash), "0700");
            }
        }
        // The key alone 0600; certificates 0644 (public). Each file atomically, the content on standard input.
        String key = files.remove(server.keyFile());
        if (key != null) {
            host.writeFile(server.keyFile(), key, KEY_MODE);
        }
        if (!files.isEmpty()) {
            host.writeFiles(files, PUBLIC_MODE);
        }
        return "wrote " + (key == null ? "" : server.keyFile() + " (" + KEY_MODE + ")" + (files.isEmpty() ? "" : ", "))
                + String.join(", ", files.keySet());
    }
}
