package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.internal.Text;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads and edits OpenSSH {@code known_hosts} text: plain and hashed ({@code |1|salt|hash}) host fields, markers
 * skipped. Pure functions over strings, so the logic is tested without a host.
 */
public final class KnownHosts {
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private KnownHosts() {
    }

    /** What a known_hosts file says about one host and key. */
    public enum Lookup {
        /** The exact key is pinned for the host. */
        PINNED,
        /** Another key of the same type is pinned for the host: the host key changed, or a stale entry. */
        CONFLICT,
        /** No key of that type is pinned for the host. */
        ABSENT
    }

    /**
     * A public key as written in {@code .pub} files and known_hosts: type and base64 blob.
     *
     * @param type e.g. {@code ssh-ed25519}
     * @param blob the base64 key
     */
    public record PublicKey(String type, String blob) {
        /**
         * @param line a {@code .pub} line: {@code TYPE BASE64 [comment]}
         * @return the key
         * @throws IllegalArgumentException when the line is not a public key
         */
        public static PublicKey parse(String line) {
            String[] f = line == null ? new String[0] : line.strip().split("\\s+");
            if (f.length < 2 || !(f[0].startsWith("ssh-") || f[0].startsWith("ecdsa-") || f[0].startsWith("sk-"))
                    || !BASE64.matcher(f[1]).matches()) {
                throw new IllegalArgumentException("not an SSH public key: '" + abbreviate(line) + "' (expected"
                        + " 'ssh-ed25519 AAAA... comment', as in /etc/ssh/ssh_host_ed25519_key.pub)");
            }
            return new PublicKey(f[0], f[1]);
        }

        /** @return {@code SHA256:...} as ssh-keygen -l prints it */
        public String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return "SHA256:?";
            }
        }

        /** @return {@code TYPE BLOB} */
        @Override
        public String toString() {
            return type + " " + blob;
        }
    }

    /**
     * @param address host name or address as given to ssh
     * @param port    SSH port
     * @return the name ssh looks up: {@code address} for port 22, else {@code [address]:port}
     */
    public static String hostPattern(String address, int port) {
        String a = address.toLowerCase(Locale.ROOT);
        return port == 22 ? a : "[" + a + "]:" + port;
    }

    /**
     * @param content known_hosts text
     * @param pattern the host as from {@link #hostPattern}
     * @param key     the expected key
     * @return whether that key is pinned, another one of its type is, or none
     */
    public static Lookup lookup(String content, String pattern, PublicKey key) {
        boolean conflict = false;
        for (String[] f : entries(content)) {
            if (matches(f[0], pattern) && f[1].equals(key.type())) {
                if (f[2].equals(key.blob())) {
                    return Lookup.PINNED;
                }
                conflict = true;
            }
        }
        return conflict ? Lookup.CONFLICT : Lookup.ABSENT;
    }

    /**
     * @param content known_hosts text
     * @param pattern the host
     * @return whether any key is pinned for the host
     */
    public static boolean knows(String content, String pattern) {
        return entries(content).stream().anyMatch(f -> matches(f[0], pattern));
    }

    /**
     * @param content known_hosts text, possibly empty
     * @param pattern the host
     * @param key     the key to pin
     * @return the text with {@code pattern TYPE BLOB} appended, and any other key of that type for the host removed
     */
    public static String pin(String content, String pattern, PublicKey key) {
        StringBuilder sb = new StringBuilder();
        for (String line : content.split("\\R", -1)) {
            String[] f = fields(line);
            if (f != null && matches(f[0], pattern) && f[1].equals(key.type())) {
                continue;
            }
            if (!line.isEmpty()) {
                sb.append(line).append('\n');
            }
        }
        return sb.append(pattern).append(' ').append(key.type()).append(' ').append(key.blob()).append('\n')
                .toString();
    }

    private static List<String[]> entries(String content) {
        List<String[]> out = new ArrayList<>();
        for (String line : content.split("\\R")) {
            String[] f = fields(line);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** @return host field, key type, key blob; null for blank, comment and marker lines */
    private static String[] fields(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#") || l.startsWith("@")) {
            return null;
        }
        String[] f = l.split("\\s+");
        return f.length < 3 ? null : new String[] {f[0], f[1], f[2]};
    }

    /**
     * @param hostField the first field of a known_hosts line: comma-separated names, or {@code |1|salt|hash}
     * @param pattern   the host looked up
     * @return whether the line is for that host (negations and wildcards are not interpreted)
     */
    static boolean matches(String hostField, String pattern) {
        if (hostField.startsWith("|1|")) {
            String[] parts = hostField.split("\\|");
            if (parts.length != 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
                byte[] hash = mac.doFinal(pattern.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(hash, Base64.getDecoder().decode(parts[3]));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
        for (String name : hostField.split(",")) {
            if (name.equalsIgnoreCase(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return Text.printable(s);
    }
}
