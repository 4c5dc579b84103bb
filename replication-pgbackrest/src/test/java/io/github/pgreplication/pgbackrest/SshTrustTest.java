package io.github.pgreplication.pgbackrest;

import static io.github.pgreplication.pgbackrest.FakeHost.fail;
import static io.github.pgreplication.pgbackrest.FakeHost.ok;
import static io.github.pgreplication.pgbackrest.Kinds.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pgreplication.audit.PosixAudit;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSH trust logic, against fake hosts that record commands; real sshd behaviour is for integration tests. */
class SshTrustTest {
    static final String KEY = "/var/lib/postgresql/.ssh/id_ed25519";
    static final String STANDBY_PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBT0JcRkd/wPjlFyP20ecKy0haF3+2M27hXHvxZ+3bfb"
            + " postgres@eshub";
    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3ATBVp6dJ7G6rM/4GwuGXZk83sicP0xBh5G/Bs9"
            + " root@eshua";
    static final String HOST_KEY_FILE = "/etc/ssh/ssh_host_ed25519_key.pub";

    /** A standby whose ssh-keygen creates the key pair, and whose ssh answers with {@code ssh}'s result. */
    static FakeHost standby() {
        FakeHost standby = FakeHost.postgres("eshub");
        standby.on(List.of("ssh-keygen", "-q"), c -> {
            standby.files.put(KEY, "-----BEGIN OPENSSH PRIVATE KEY-----");
            standby.files.put(KEY + ".pub", STANDBY_PUB + "\n");
            return ok("");
        });
        return standby;
    }

    static FakeHost repository() {
        return FakeHost.postgres("eshua").file(HOST_KEY_FILE, HOST_KEY + "\n");
    }

    @Test
    void refusesAddressesAndUsersThatKnownHostsOrSshWouldReadOtherwise() {
        for (String address : List.of("*", "db?", "a,b", "!eshua", "-oProxyCommand=x", "eshua example", "u@eshua", "")) {
            assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at(address)))
                    .as(address).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the repository host cannot be trusted over SSH: ssh address")
                    .hasMessageContaining("RepositoryHost.at(\"eshua.example.com\").withUser(\"postgres\")");
        }
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua").withUser("-oProxyCommand=x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh user '-oProxyCommand=x' is not a login name");
        assertThat(SshTrust.to(RepositoryHost.at("eshua.example").withUser("pgbackrest")).repository().address())
                .isEqualTo("eshua.example");
    }

    @Test
    void generatesTheKeyPairOnlyWhenAbsent() {
        FakeHost standby = standby();
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example"));
        assertThat(trust.publicKey(standby)).isEmpty();

        assertThat(trust.ensureKeyPair(standby)).isEqualTo(STANDBY_PUB);
        assertThat(trust.ensureKeyPair(standby)).isEqualTo(STANDBY_PUB);

        assertThat(standby.programs()).as("ssh-keygen ran once, with an empty passphrase as its own argument")
                .containsExactly(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", KEY));
        assertThat(standby.modes.get("/var/lib/postgresql/.ssh")).isEqualTo("0700");
        assertThat(trust.keyPath(standby)).isEqualTo(KEY);
    }

    @Test
    void rebuildsAMissingPublicKeyFromThePrivateKey() {
        FakeHost standby = standby().file(KEY, "private")
                .on(List.of("ssh-keygen", "-y"), c -> ok(STANDBY_PUB + "\n"));
        assertThat(SshTrust.to(RepositoryHost.at("eshua")).ensureKeyPair(standby)).isEqualTo(STANDBY_PUB);
        assertThat(standby.files.get(KEY + ".pub")).isEqualTo(STANDBY_PUB + "\n");
    }

    @Test
    void onlyTheKeyItselfReachesAuthorizedKeysNeverASecondLineOrOptions() {
        FakeHost repo = repository().file("/var/lib/postgresql/.ssh/authorized_keys", "ssh-rsa AAAAB3Nza other");
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repo));
        String key = STANDBY_PUB.split(" ")[0] + " " + STANDBY_PUB.split(" ")[1];

        assertThatThrownBy(() -> trust.authorizeKey(key + " c\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAttacker"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a line break")
                .hasMessageContaining("one key, one line");
        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys")).as("untouched")
                .isEqualTo("ssh-rsa AAAAB3Nza other");
        assertThatThrownBy(() -> trust.authorizeKey("command=\"sh\" " + key)).as("options first")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an SSH public key");

        assertThat(trust.authorizeKey(key + " a comment with spaces")).isTrue();
        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys")).as("the comment is not one word: dropped")
                .isEqualTo("ssh-rsa AAAAB3Nza other\n" + key + "\n");
        assertThat(trust.authorizeKey(key + " postgres@eshub")).as("the same key: already there").isFalse();
    }

    @Test
    void authorizesTheKeyOnceWithStrictPermissions() {
        FakeHost standby = standby();
        FakeHost repo = repository().file("/var/lib/postgresql/.ssh/authorized_keys", "ssh-rsa AAAAB3Nza other");
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repo));
        trust.ensureKeyPair(standby);

        assertThat(trust.authorize(standby)).isTrue();
        assertThat(trust.authorize(standby)).as("idempotent").isFalse();

        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys"))
                .isEqualTo("ssh-rsa AAAAB3Nza other\n" + STANDBY_PUB + "\n");
        assertThat(repo.modes.get("/var/lib/postgresql/.ssh/authorized_keys")).isEqualTo("0600");
        assertThat(repo.modes.get("/var/lib/postgresql/.ssh")).isEqualTo("0700");
        assertThat(repo.argvs()).noneMatch(a -> a.get(0).equals("chown"));
    }

    /**
     * A host whose writeFile rewrites a file where it lies (the testkit's container host: Docker removes the file and
     * writes it anew) must not be used for authorized_keys: another standby's ssh check may read it meanwhile and
     * miss its own key. The key is added by the atomic command, renamed into place, on any host.
     */
    @Test
    void authorizedKeysIsRenamedIntoPlaceEvenWhereTheHostWritesInPlace() {
        FakeHost repo = repository().file("/var/lib/postgresql/.ssh/authorized_keys", "ssh-rsa AAAAB3Nza other");
        Host inPlace = new Host() {
            @Override
            public String name() {
                return repo.name();
            }

            @Override
            public CommandResult execute(Command c) {
                return repo.execute(c);
            }

            @Override
            public void writeFile(String path, String content, String mode) {
                throw new AssertionError("rewritten in place: " + path);
            }
        };
        assertThat(SshTrust.to(RepositoryHost.at("eshua.example").withAccess(inPlace)).authorizeKey(STANDBY_PUB))
                .isTrue();
        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys"))
                .isEqualTo("ssh-rsa AAAAB3Nza other\n" + STANDBY_PUB + "\n");
        assertThat(repo.argvs()).filteredOn(FakeHost::isAtomicWrite).singleElement()
                .satisfies(a -> assertThat(a.get(4)).isEqualTo("/var/lib/postgresql/.ssh/authorized_keys"));
    }

    @Test
    void standbysAuthorizedInParallelAreAllKept() throws Exception {
        FakeHost repo = repository();
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repo));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStandby" + i + " postgres@standby" + i;
                done.add(pool.submit(() -> trust.authorizeKey(key)));
            }
            for (java.util.concurrent.Future<Boolean> f : done) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys").lines()).hasSize(16);
    }

    @Test
    void authorizingAsRootGivesTheFilesToTheRepositoryUser() {
        FakeHost repo = new FakeHost("eshua", "root", "/root");
        SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repo)).authorizeKey(STANDBY_PUB);
        assertThat(repo.files).containsKey("/var/lib/postgresql/.ssh/authorized_keys");
        assertThat(repo.argvs()).as("POSIX's OWNER:GROUP, the group asked with id -g -n")
                .containsSubsequence(List.of("id", "-g", "-n", "--", "postgres"), List.of("chown",
                        "postgres:postgres", "--", "/var/lib/postgresql/.ssh",
                        "/var/lib/postgresql/.ssh/authorized_keys"));
        assertThat(PosixAudit.commandFindings(repo.commands)).as("POSIX forms only (chown postgres: was GNU's)")
                .isEmpty();
    }

    @Test
    void authorizingWithoutAccessSaysHow() {
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua.example")).authorizeKey(STANDBY_PUB))
                .hasMessageContaining("Cannot install the standby's public key on eshua.example")
                .hasMessageContaining("RepositoryHost.withAccess(primary.host())");
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua.example")).authorize(standby()))
                .satisfies(kind(Kind.SSH_KEY_MISSING));
    }

    @Test
    void pinsTheHostKeyReadThroughTheRepositorysOwnHost() {
        FakeHost standby = standby();
        FakeHost repo = repository();
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withPort(2222).withAccess(repo));

        assertThat(trust.pinHostKey(standby)).isTrue();
        assertThat(trust.pinHostKey(standby)).as("idempotent").isFalse();

        assertThat(repo.argvs()).contains(List.of("cat", "--", HOST_KEY_FILE));
        assertThat(standby.files.get("/var/lib/postgresql/.ssh/known_hosts")).isEqualTo("[eshua.example]:2222"
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3ATBVp6dJ7G6rM/4GwuGXZk83sicP0xBh5G/Bs9\n");
        assertThat(standby.programs()).as("no ssh-keyscan, no connection to learn the key").isEmpty();
    }

    @Test
    void aDifferentPinnedKeyIsNotReplacedSilently() {
        FakeHost standby = standby().file("/var/lib/postgresql/.ssh/known_hosts", "eshua.example " + STANDBY_PUB);
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repository()));
        assertThatThrownBy(() -> trust.pinHostKey(standby))
                .satisfies(kind(Kind.SSH_HOST_KEY))
                .satisfies(e -> assertThat(((PgBackRestException) e).hostKeyFingerprint())
                        .as("the key the repository host has")
                        .contains("SHA256:M/Ac16n5YRkB5p2IAr3Llsdwr670kPJ9ghIfSw5E80g"))
                .hasMessageContaining("pins another host key for eshua.example than the one the repository host has"
                        + " (ssh-ed25519 SHA256:M/Ac16n5YRkB5p2IAr3Llsdwr670kPJ9ghIfSw5E80g)")
                .hasMessageContaining("SshTrust.withReplaceChangedHostKey(true)")
                .hasMessageContaining("ssh-keygen -R eshua.example -f /var/lib/postgresql/.ssh/known_hosts");

        assertThat(trust.withReplaceChangedHostKey(true).pinHostKey(standby)).isTrue();
        assertThat(standby.files.get("/var/lib/postgresql/.ssh/known_hosts")).doesNotContain("AAAAIBT0")
                .contains("AAAAIHzIl3");
    }

    @Test
    void hostKeyGivenOutOfBand() {
        FakeHost standby = standby();
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example")).withHostKey(HOST_KEY);
        assertThat(trust.pinHostKey(standby)).isTrue();
        assertThat(standby.files.get("/var/lib/postgresql/.ssh/known_hosts")).startsWith("eshua.example ssh-ed25519");
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua.example")).pinHostKey(standby))
                .satisfies(kind(Kind.SSH_HOST_KEY))
                .hasMessageContaining("it was not given and the repository host has no access Host")
                .hasMessageContaining("never accepted blindly");
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua.example")).withHostKey("not a key"))
                .hasMessageContaining("not an SSH public key");
    }

    @Test
    void verifyConnectsNonInteractivelyWithStrictHostKeys() {
        FakeHost standby = standby().file(KEY, "k").file(KEY + ".pub", STANDBY_PUB);
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withPort(2222));
        trust.verify(standby);
        assertThat(standby.programs()).containsExactly(List.of("ssh", "-o", "BatchMode=yes", "-o",
                "StrictHostKeyChecking=yes", "-o", "PasswordAuthentication=no", "-o", "ConnectTimeout=15", "-p",
                "2222", "--", "postgres@eshua.example", "true"));
    }

    @Test
    void verifyWithoutKeySaysToGenerateIt() {
        PgBackRestException e = catchThrowableOfType(PgBackRestException.class,
                () -> SshTrust.to(RepositoryHost.at("eshua.example")).verify(standby()));
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_MISSING);
        assertThat(e.keyPath()).contains(KEY);
        assertThat(e.getMessage()).contains("has no SSH key pair at " + KEY)
                .contains("ssh-keygen -t ed25519 -N \"\" -f " + KEY)
                .contains("~postgres/.ssh/authorized_keys on eshua.example");
    }

    @Test
    void verifyFailuresAreDiagnosed() {
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example"));
        FakeHost denied = standby().file(KEY, "k").file(KEY + ".pub", STANDBY_PUB)
                .on(List.of("ssh"), c -> fail(255, "postgres@eshua.example: Permission denied (publickey).\n"));
        PgBackRestException e = catchThrowableOfType(PgBackRestException.class, () -> trust.verify(denied));
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_NOT_AUTHORIZED);
        assertThat(e.publicKey()).contains(STANDBY_PUB);
        assertThat(e.getMessage()).contains("~postgres/.ssh/authorized_keys")
                .contains("On the repository host, as postgres:\n  install -d -m 0700 ~/.ssh && echo '"
                        + STANDBY_PUB + "' >> ~/.ssh/authorized_keys && chmod 0600 ~/.ssh/authorized_keys");
        assertThat(e.command()).contains("ssh");

        FakeHost refused = standby().file(KEY, "k").file(KEY + ".pub", STANDBY_PUB)
                .on(List.of("ssh"), c -> fail(255, "ssh: connect to host eshua.example port 22: Connection refused"));
        assertThatThrownBy(() -> trust.verify(refused)).satisfies(kind(Kind.SSH_CONNECTION))
                .hasMessageContaining("(Connection refused)")
                .hasMessageContaining("ssh said (exit code 255):\n  ssh: connect to host eshua.example port 22");

        FakeHost unknown = standby().file(KEY, "k").file(KEY + ".pub", STANDBY_PUB)
                .on(List.of("ssh"), c -> fail(255, "Host key verification failed.\n"));
        assertThatThrownBy(() -> trust.verify(unknown)).satisfies(kind(Kind.SSH_HOST_KEY));

        FakeHost other = standby().file(KEY, "k").file(KEY + ".pub", STANDBY_PUB)
                .on(List.of("ssh"), c -> fail(255, "Received disconnect: 2: Too many sessions"));
        assertThatThrownBy(() -> trust.verify(other)).satisfies(kind(Kind.SSH_OTHER))
                .hasMessageContaining("Too many sessions").hasMessageContaining("with -v");
    }

    @Test
    void establishWithAccessDoesEverythingOnce() {
        FakeHost standby = standby();
        FakeHost repo = repository();
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example").withAccess(repo));

        assertThat(trust.establish(standby)).isEqualTo(STANDBY_PUB);
        int before = standby.commands.size();
        trust.establish(standby);

        assertThat(repo.files.get("/var/lib/postgresql/.ssh/authorized_keys")).isEqualTo(STANDBY_PUB + "\n");
        assertThat(standby.files.get("/var/lib/postgresql/.ssh/known_hosts")).startsWith("eshua.example ");
        assertThat(standby.argvs().subList(before, standby.commands.size()))
                .as("second run writes nothing and generates nothing")
                .noneMatch(a -> a.get(0).equals("ssh-keygen") || FakeHost.isAtomicWrite(a));
        assertThat(standby.argvs()).as("host keys are never accepted blindly")
                .noneMatch(a -> a.contains("StrictHostKeyChecking=no") || a.contains("ssh-keyscan"));
    }

    @Test
    void establishOutOfBandHandsBackTheKeyToInstall() {
        FakeHost standby = standby()
                .on(List.of("ssh"), c -> fail(255, "postgres@eshua.example: Permission denied (publickey).\n"));
        SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.example")).withHostKey(HOST_KEY);
        PgBackRestException e = catchThrowableOfType(PgBackRestException.class, () -> trust.establish(standby));
        assertThat(e.kind()).isEqualTo(Kind.SSH_KEY_NOT_AUTHORIZED);
        assertThat(e.publicKey()).contains(STANDBY_PUB);
        assertThat(e.getMessage()).contains(STANDBY_PUB);
    }

    @Test
    void establishOutOfBandWithoutAnyHostKeyStopsBeforeConnecting() {
        FakeHost standby = standby();
        assertThatThrownBy(() -> SshTrust.to(RepositoryHost.at("eshua.example")).establish(standby))
                .satisfies(kind(Kind.SSH_HOST_KEY));
        assertThat(standby.programs()).noneMatch(a -> a.get(0).equals("ssh"));
    }

    @Test
    void establishOutOfBandAcceptsAnAlreadyPinnedHost() {
        FakeHost standby = standby().file("/var/lib/postgresql/.ssh/known_hosts", "eshua.example " + HOST_KEY);
        SshTrust.to(RepositoryHost.at("eshua.example")).establish(standby);
        assertThat(standby.programs()).last().satisfies(a -> assertThat(a).startsWith("ssh").endsWith("true"));
    }

    @Test
    void runbookShowsTheManualSteps() {
        List<String> lines = SshTrust.to(RepositoryHost.at("eshua.example")).withHostKey(HOST_KEY).runbook();
        assertThat(lines).contains("test -e ~/.ssh/id_ed25519 || ssh-keygen -t ed25519 -N '' -f ~/.ssh/id_ed25519")
                .contains("cat ~/.ssh/id_ed25519.pub")
                .anyMatch(l -> l.startsWith("echo 'eshua.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzIl3")
                        && l.endsWith(">> ~/.ssh/known_hosts"))
                .anyMatch(l -> l.startsWith("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes"))
                .noneMatch(l -> l.contains("StrictHostKeyChecking=no"));
    }
}
