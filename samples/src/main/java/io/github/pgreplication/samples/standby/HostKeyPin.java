package io.github.pgreplication.samples.standby;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRestException;
import io.github.pgreplication.pgbackrest.SshTrust;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Pins the repository host's SSH host key in the standby's known_hosts (in the .ssh volume): the key given in
 * BACKREST_PRIMARY_KNOWN_HOSTS, else the one the host presents the first time (trust on first use), logged with its
 * fingerprint. A key pinned once is kept: a different key later is refused by ssh (and by {@link SshTrust}).
 */
final class HostKeyPin {
    private HostKeyPin() {
    }

    /**
     * @param trust      the trust set-up
     * @param host       the standby's host
     * @param knownHosts the given key line, or null for trust on first use
     * @param log        where to say what was done
     * @return the trust set-up, with the key given (so later checks compare against it)
     */
    static SshTrust pin(SshTrust trust, Host host, String knownHosts, Consumer<String> log) {
        if (knownHosts != null) {
            // Given out of band: it replaces a key pinned earlier (the primary reinstalled), as the variable says.
            SshTrust given = trust.withHostKey(keyPart(knownHosts)).withReplaceChangedHostKey(true);
            if (given.pinHostKey(host)) {
                log.accept("pinned the host key of " + trust.repository().address() + " given in"
                        + " BACKREST_PRIMARY_KNOWN_HOSTS: " + fingerprint(keyPart(knownHosts)));
            }
            return given;
        }
        String knownHostsFile = trust.keyPath(host).replaceAll("/[^/]+$", "") + "/known_hosts";
        if (host.execute(Command.of("ssh-keygen", "-F", trust.hostPattern(), "-f", knownHostsFile)).succeeded()) {
            return trust; // pinned earlier: ssh compares, and refuses a changed key
        }
        CommandResult scan = host.execute(Command.of("ssh-keyscan", "-T", "10", "-t", "ed25519", "-p",
                Integer.toString(trust.repository().port()), trust.repository().address()));
        String line = scan.stdout().lines().filter(l -> !l.startsWith("#") && l.contains("ssh-ed25519")).findFirst()
                .orElseThrow(() -> new PgBackRestException(PgBackRestException.Kind.SSH_CONNECTION, "No SSH server"
                        + " answered at " + trust.repository().address() + ":" + trust.repository().port()
                        + " (ssh-keyscan: " + scan.tail(3).strip() + "). Check BACKREST_PRIMARY_HOST, that sshd runs"
                        + " there, and the network between this container and it."));
        String key = keyPart(line);
        SshTrust scanned = trust.withHostKey(key);
        scanned.pinHostKey(host);
        log.accept("trusted on first use and pinned in " + knownHostsFile + ": the host key of "
                + trust.repository().address() + " is " + fingerprint(key) + " (compare with ssh-keygen -lf"
                + " /etc/ssh/ssh_host_ed25519_key.pub on it; set BACKREST_PRIMARY_KNOWN_HOSTS to pin it up front)");
        return scanned;
    }

    /** @return "type base64" from a known_hosts line ("host type base64 [comment]") or a public key line */
    static String keyPart(String line) {
        String[] f = line.strip().split("\\s+");
        // A key's base64 blob starts with AAAA (the length of its type name): that tells "type blob" from
        // "host type blob", whatever the host is called (ssh-gw.example.com).
        int i = f.length >= 2 && keyType(f[0]) && blob(f[1]) ? 0 : 1;
        if (f.length < i + 2 || !keyType(f[i]) || !blob(f[i + 1])) {
            throw new ReplicationException("'" + line + "' is not a known_hosts or public key line");
        }
        return f[i] + " " + f[i + 1];
    }

    private static boolean keyType(String field) {
        return field.matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.+-]+");
    }

    private static boolean blob(String field) {
        if (!field.startsWith("AAAA") || !field.matches("[A-Za-z0-9+/]+={0,2}")) {
            return false;
        }
        try {
            Base64.getDecoder().decode(field);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the name a key of that host and port is pinned under in known_hosts, for ssh-keygen -R */
    static String pattern(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** @return the key's SHA256 fingerprint as ssh-keygen -l prints it */
    static String fingerprint(String key) {
        try {
            byte[] blob = Base64.getDecoder().decode(key.split(" ")[1].getBytes(StandardCharsets.US_ASCII));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return key.split(" ")[0] + " SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return key.split(" ")[0] + " (unreadable key)";
        }
    }
}
