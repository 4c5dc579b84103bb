package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.pgbackrest.internal.KnownHosts.PublicKey;

/** Reads and edits OpenSSH {@code authorized_keys} text. Pure functions over strings. */
public final class AuthorizedKeys {
    private AuthorizedKeys() {
    }

    /**
     * @param content authorized_keys text, possibly with option prefixes ({@code from="..." ssh-ed25519 AAAA...})
     * @param key     a public key
     * @return whether a line authorizes that key
     */
    public static boolean contains(String content, PublicKey key) {
        for (String line : content.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals(key.type()) && f[i + 1].equals(key.blob())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param content authorized_keys text, possibly empty or without a final newline
     * @param line    the public key line to add
     * @return the text with the line appended on its own line
     */
    public static String append(String content, String line) {
        String c = content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
        return c + line.strip() + "\n";
    }
}
