package io.github.pgreplication.pgbackrest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.pgbackrest.internal.KnownHosts.Lookup;
import io.github.pgreplication.pgbackrest.internal.KnownHosts.PublicKey;
import org.junit.jupiter.api.Test;

class KnownHostsTest {
    /** A real host key (ssh-keygen -t ed25519) and its fingerprint as ssh-keygen -l prints it. */
    private static final String HOST_KEY = "ssh-ed25519"
            + " AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3ATBVp6dJ7G6rM/4GwuGXZk83sicP0xBh5G/Bs9 root@vm";
    private static final String OTHER_KEY = "ssh-ed25519"
            + " AAAAC3NzaC1lZDI1NTE5AAAAIBT0JcRkd/wPjlFyP20ecKy0haF3+2M27hXHvxZ+3bfb";
    /** Lines hashed by ssh-keygen -H for "eshua.example" and "[10.0.0.5]:2222" with HOST_KEY. */
    private static final String HASHED = "|1|sBFIGRmrODYeyrGhJtm9N+GMd/4=|zJdPMyH1NnAXUtJzh9BB3nOAkRY= ssh-ed25519"
            + " AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3ATBVp6dJ7G6rM/4GwuGXZk83sicP0xBh5G/Bs9\n"
            + "|1|bDACcYer9ydIPdEh2lBdm77gwaQ=|lqg4BuECQ456k02lrgWFG87bh4Y= ssh-ed25519"
            + " AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3ATBVp6dJ7G6rM/4GwuGXZk83sicP0xBh5G/Bs9\n";

    @Test
    void patternUsesBracketsForOtherPorts() {
        assertThat(KnownHosts.hostPattern("Eshua.example", 22)).isEqualTo("eshua.example");
        assertThat(KnownHosts.hostPattern("10.0.0.5", 2222)).isEqualTo("[10.0.0.5]:2222");
    }

    @Test
    void parsesPublicKeysAndFingerprints() {
        PublicKey k = PublicKey.parse(HOST_KEY);
        assertThat(k.type()).isEqualTo("ssh-ed25519");
        assertThat(k.fingerprint()).isEqualTo("SHA256:M/Ac16n5YRkB5p2IAr3Llsdwr670kPJ9ghIfSw5E80g");
        assertThatThrownBy(() -> PublicKey.parse("-----BEGIN OPENSSH PRIVATE KEY-----"))
                .hasMessageContaining("not an SSH public key");
    }

    @Test
    void findsPlainEntriesAmongSeveralNames() {
        String content = "# comment\n\nother.example,eshua.example,10.0.0.4 " + HOST_KEY + "\n";
        assertThat(KnownHosts.lookup(content, "eshua.example", PublicKey.parse(HOST_KEY))).isEqualTo(Lookup.PINNED);
        assertThat(KnownHosts.lookup(content, "eshua.example", PublicKey.parse(OTHER_KEY)))
                .isEqualTo(Lookup.CONFLICT);
        assertThat(KnownHosts.lookup(content, "[eshua.example]:2222", PublicKey.parse(HOST_KEY)))
                .as("another port is another host").isEqualTo(Lookup.ABSENT);
        assertThat(KnownHosts.knows(content, "10.0.0.4")).isTrue();
    }

    @Test
    void findsHashedEntries() {
        assertThat(KnownHosts.lookup(HASHED, "eshua.example", PublicKey.parse(HOST_KEY))).isEqualTo(Lookup.PINNED);
        assertThat(KnownHosts.lookup(HASHED, "[10.0.0.5]:2222", PublicKey.parse(HOST_KEY))).isEqualTo(Lookup.PINNED);
        assertThat(KnownHosts.lookup(HASHED, "10.0.0.5", PublicKey.parse(HOST_KEY))).isEqualTo(Lookup.ABSENT);
        assertThat(KnownHosts.lookup(HASHED, "eshua.example", PublicKey.parse(OTHER_KEY)))
                .isEqualTo(Lookup.CONFLICT);
    }

    @Test
    void markersAreNotPins() {
        assertThat(KnownHosts.lookup("@revoked eshua.example " + HOST_KEY + "\n", "eshua.example",
                PublicKey.parse(HOST_KEY))).isEqualTo(Lookup.ABSENT);
    }

    @Test
    void pinAppendsAndReplacesOnlyTheSameHostAndType() {
        String content = "eshua.example " + OTHER_KEY + "\nother.example " + OTHER_KEY + "\n"
                + "eshua.example ecdsa-sha2-nistp256 AAAAE2VjZHNh";
        String pinned = KnownHosts.pin(content, "eshua.example", PublicKey.parse(HOST_KEY));
        assertThat(pinned).isEqualTo("other.example " + OTHER_KEY + "\n"
                + "eshua.example ecdsa-sha2-nistp256 AAAAE2VjZHNh\n"
                + "eshua.example " + PublicKey.parse(HOST_KEY) + "\n");
        assertThat(KnownHosts.pin("", "[10.0.0.5]:2222", PublicKey.parse(HOST_KEY)))
                .isEqualTo("[10.0.0.5]:2222 " + PublicKey.parse(HOST_KEY) + "\n");
    }

    @Test
    void authorizedKeysMatchWithOptionsAndAppendOnItsOwnLine() {
        PublicKey k = PublicKey.parse(HOST_KEY);
        assertThat(AuthorizedKeys.contains("from=\"10.0.0.0/8\",no-pty " + HOST_KEY + "\n", k)).isTrue();
        assertThat(AuthorizedKeys.contains("# " + HOST_KEY + "\n" + OTHER_KEY, k)).isFalse();
        assertThat(AuthorizedKeys.append("ssh-rsa AAAAB3 x", HOST_KEY + "\n"))
                .isEqualTo("ssh-rsa AAAAB3 x\n" + HOST_KEY + "\n");
        assertThat(AuthorizedKeys.append("", HOST_KEY)).isEqualTo(HOST_KEY + "\n");
    }

    @Test
    void homeComesFromThePasswordDatabase() {
        String passwd = "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator,,,:"
                + "/var/lib/postgresql:/bin/bash\n";
        assertThat(Users.homeField(passwd, "postgres")).contains("/var/lib/postgresql");
        assertThat(Users.homeField(passwd, "nobody")).isEmpty();
    }
}
