package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.SshHost;
import io.github.pgreplication.internal.WriteAtomically;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.internal.AuthorizedKeys;
import io.github.pgreplication.pgbackrest.internal.Diagnosis;
import io.github.pgreplication.pgbackrest.internal.Diagnostics;
import io.github.pgreplication.pgbackrest.internal.FileLocks;
import io.github.pgreplication.pgbackrest.internal.KnownHosts;
import io.github.pgreplication.pgbackrest.internal.KnownHosts.PublicKey;
import io.github.pgreplication.pgbackrest.internal.PgBackRestFailure;
import io.github.pgreplication.pgbackrest.internal.RepositoryFacts;
import io.github.pgreplication.pgbackrest.internal.StandbyProbe;
import io.github.pgreplication.pgbackrest.internal.Users;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSH trust from a standby to the repository host, as pgBackRest needs it: the standby's pgBackRest user has a key
 * pair, its public key is in the repository user's {@code authorized_keys}, the repository host's key is pinned in
 * the standby's {@code known_hosts}, and a non-interactive connection succeeds. Every step checks first and changes
 * nothing when already done.
 *
 * <p>Host keys are never trusted blindly: the key pinned is read from the repository host's own
 * {@code /etc/ssh/ssh_host_ed25519_key.pub} through its {@link Host} (an already authenticated channel), or given
 * by the caller. There is no {@code StrictHostKeyChecking=no} and no unchecked {@code ssh-keyscan}.
 *
 * <pre>{@code
 * SshTrust trust = SshTrust.to(RepositoryHost.at("eshua.ghelew.ch").withAccess(primary.host()));
 * trust.establish(standbyHost);              // key pair, authorized_keys, known_hosts, ssh ... true
 *
 * // Without access to the repository host, as in the runbook: print the key, install it by hand, then verify.
 * SshTrust outOfBand = SshTrust.to(RepositoryHost.at("eshua.ghelew.ch"))
 *         .withHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... root@eshua");
 * System.out.println(outOfBand.ensureKeyPair(standbyHost));
 * }</pre>
 *
 * <p>pgBackRest runs {@code ssh} without choosing a key or a known_hosts file, so the key pair is the default
 * {@code ~/.ssh/id_ed25519} of the standby host's user (the one its {@link Host} runs commands as), and the pin goes
 * to that user's {@code ~/.ssh/known_hosts}.
 */
public final class SshTrust {
    /** The repository host's public host key read by default. */
    public static final String DEFAULT_HOST_KEY_FILE = "/etc/ssh/ssh_host_ed25519_key.pub";
    private static final Logger LOG = LoggerFactory.getLogger(SshTrust.class);
    private static final String KEY_NAME = "id_ed25519";

    private final RepositoryHost repository;
    private final String hostKeyFile;
    private final String hostKey;
    private final boolean replaceChangedHostKey;

    private SshTrust(RepositoryHost repository, String hostKeyFile, String hostKey, boolean replaceChangedHostKey) {
        this.repository = Objects.requireNonNull(repository, "repository");
        try {
            // The same rules as every SSH host of the library: the address is written into known_hosts as a host
            // pattern (where '*', '?', ',' and '!' are wildcards or lists) and both reach ssh's argv.
            SshHost.to(repository.user(), repository.address()).withPort(repository.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the repository host cannot be trusted over SSH: " + e.getMessage()
                    .replace("SshHost.to(\"postgres\", \"db1.example.com\")",
                            "RepositoryHost.at(\"eshua.example.com\").withUser(\"postgres\")"), e);
        }
        this.hostKeyFile = hostKeyFile;
        this.hostKey = hostKey;
        this.replaceChangedHostKey = replaceChangedHostKey;
    }

    /**
     * @param repository the repository host the standby connects to
     * @return its trust set-up
     */
    public static SshTrust to(RepositoryHost repository) {
        return new SshTrust(repository, DEFAULT_HOST_KEY_FILE, null, false);
    }

    /**
     * @param path public host key file on the repository host; default ed25519
     * @return a copy
     */
    public SshTrust withHostKeyFile(String path) {
        return copy(c -> c.hostKeyFile = path);
    }

    /**
     * @param publicKeyLine the repository host's public host key, obtained out of band (the contents of its
     *                      {@code /etc/ssh/ssh_host_ed25519_key.pub}); used instead of reading the file
     * @return a copy
     */
    public SshTrust withHostKey(String publicKeyLine) {
        PublicKey.parse(publicKeyLine);
        return copy(c -> c.hostKey = publicKeyLine.strip());
    }

    /**
     * @param replace whether a different key already pinned for the repository host is replaced (after a
     *                reinstall) instead of failing; default false
     * @return a copy
     */
    public SshTrust withReplaceChangedHostKey(boolean replace) {
        return copy(c -> c.replaceChangedHostKey = replace);
    }

    /** Makes a trust set-up of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private SshTrust copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new SshTrust(c.repository, c.hostKeyFile, c.hostKey, c.replaceChangedHostKey);
    }

    /** This trust set-up's fields, for a wither to change before {@link #copy} makes a trust set-up of them. */
    private final class Copy {
        RepositoryHost repository = SshTrust.this.repository;
        String hostKeyFile = SshTrust.this.hostKeyFile;
        String hostKey = SshTrust.this.hostKey;
        boolean replaceChangedHostKey = SshTrust.this.replaceChangedHostKey;
    }

    /** @return the repository host */
    public RepositoryHost repository() {
        return repository;
    }

    /** @return the name ssh looks the repository host up by in known_hosts */
    public String hostPattern() {
        return KnownHosts.hostPattern(repository.address(), repository.port());
    }

    private static String sshDir(Host host) {
        return Users.home(host, Users.current(host)).replaceAll("/+$", "") + "/.ssh";
    }

    /**
     * @param standby the standby's host
     * @return the private key path pgBackRest's ssh uses there, e.g. {@code /var/lib/postgresql/.ssh/id_ed25519}
     */
    public String keyPath(Host standby) {
        return sshDir(standby) + "/" + KEY_NAME;
    }

    /**
     * Generates the standby's key pair if it has none ({@code ssh-keygen -t ed25519 -N "" -f ~/.ssh/id_ed25519}, as
     * the runbook's first start does), and returns the public key. The public key is logged at INFO, as the runbook
     * prints it for users who install it by hand.
     *
     * @param standby the standby's host
     * @return the public key line, e.g. {@code ssh-ed25519 AAAA... postgres@eshub}
     */
    public String ensureKeyPair(Host standby) {
        return ensureKeyPairIn(standby, sshDir(standby));
    }

    private String ensureKeyPairIn(Host standby, String sshDir) {
        String key = sshDir + "/" + KEY_NAME;
        return FileLocks.locked(standby, key, () -> ensureKeyPair(standby, key));
    }

    private String ensureKeyPair(Host standby, String key) {
        Optional<String> generated = Optional.empty();
        if (!standby.exists(key)) {
            // mkdir -p leaves an existing directory as it is: no need to look first
            standby.createDirectories(key.substring(0, key.lastIndexOf('/')), "0700");
            LOG.info("[{}] generating SSH key pair {} (ed25519, no passphrase)", standby.name(), key);
            standby.run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key));
            generated = standby.readFile(key + ".pub").map(String::strip).filter(k -> !k.isEmpty());
        } else if (!standby.exists(key + ".pub")) {
            String pub = standby.run(Command.of("ssh-keygen", "-y", "-f", key)).stdout().strip();
            standby.writeFile(key + ".pub", pub + "\n", "0644");
        }
        String pub = generated.or(() -> publicKeyAt(standby, key)).orElseThrow(() -> new PgBackRestException(
                Diagnosis.keyMissing(
                "ssh-keygen left no public key at " + key + ".pub on " + standby.name() + ". Check that the user can"
                        + " write " + key.substring(0, key.lastIndexOf('/')) + ".", key, null)));
        LOG.info("[{}] SSH public key for {}'s authorized_keys: {}", standby.name(), repository.display(), pub);
        return pub;
    }

    /**
     * @param standby the standby's host
     * @return its pgBackRest user's public key line, when the key pair exists
     */
    public Optional<String> publicKey(Host standby) {
        return publicKeyAt(standby, keyPath(standby));
    }

    private static Optional<String> publicKeyAt(Host standby, String key) {
        if (!standby.exists(key)) {
            return Optional.empty();
        }
        return standby.readFile(key + ".pub").map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * Installs the standby's public key into the repository user's {@code ~/.ssh/authorized_keys} (see
     * {@link #authorizeKey(String)}); the key pair must exist.
     *
     * @param standby the standby's host
     * @return whether authorized_keys changed
     */
    public boolean authorize(Host standby) {
        String key = publicKey(standby).orElseThrow(() -> keyMissing(standby));
        return authorizeKey(key);
    }

    /**
     * Adds a public key to the repository user's {@code ~/.ssh/authorized_keys} through the repository host's
     * access {@link Host}, unless it is already there; {@code ~/.ssh} is made 0700 and the file 0600, owned by the
     * repository user.
     *
     * <p>What is written is the key's type and base64 blob, and its comment when that is one plain word: never the
     * line as given, which could carry options ({@code command=}, {@code from=}) or a second key after a line break.
     *
     * @param publicKeyLine the key line, e.g. from {@link #ensureKeyPair(Host)}
     * @return whether authorized_keys changed
     * @throws ReplicationException when the repository host has no access {@link Host}
     * @throws IllegalArgumentException when the line is not one SSH public key on one line
     */
    public boolean authorizeKey(String publicKeyLine) {
        if (publicKeyLine != null && io.github.pgreplication.internal.Text.hasControl(publicKeyLine.strip())) {
            throw new IllegalArgumentException("the public key given for " + repository.address() + "'s"
                    + " authorized_keys holds a line break or another control character: one key, one line, e.g."
                    + " the content of ~/.ssh/id_ed25519.pub (it is not written)");
        }
        PublicKey key = PublicKey.parse(publicKeyLine);
        String[] fields = publicKeyLine.strip().split("\\s+");
        String line = key + (fields.length == 3 && fields[2].matches("[A-Za-z0-9@._+-]{1,100}") ? " " + fields[2]
                : "");
        Host access = access("install the standby's public key");
        String user = repository.user();
        String dir = RepositoryFacts.get(access, "home of " + user, () -> Users.home(access, user))
                .replaceAll("/+$", "") + "/.ssh";
        String file = dir + "/authorized_keys";
        return FileLocks.locked(access, file, () -> authorizeKey(access, user, dir, file, key, line));
    }

    private boolean authorizeKey(Host access, String user, String dir, String file, PublicKey key,
            String publicKeyLine) {
        if (!access.exists(dir)) {
            access.createDirectories(dir, "0700");
        }
        access.run(Command.of("chmod", "0700", "--", dir));
        String content = access.readFile(file).orElse("");
        boolean changed = !AuthorizedKeys.contains(content, key);
        if (changed) {
            LOG.info("[{}] adding the standby's key {} to {}", access.name(), key.fingerprint(), file);
            // Renamed into place on every host, the testkit's container host too (whose writeFile rewrites a file
            // where it lies): another standby's ssh check may be reading this file now, and must find its key.
            access.run(WriteAtomically.command(file, AuthorizedKeys.append(content, publicKeyLine), "0600"));
        } else {
            LOG.debug("[{}] {} already authorizes {}", access.name(), file, key.fingerprint());
            access.run(Command.of("chmod", "0600", "--", file));
        }
        if (!RepositoryFacts.get(access, "current user", () -> Users.current(access)).equals(user)) {
            // POSIX chown takes OWNER[:GROUP]; "user:" (the user's login group) is GNU's and the BSDs' extension
            String group = RepositoryFacts.get(access, "group of " + user,
                    () -> access.run(Command.of("id", "-g", "-n", "--", user)).stdout().strip());
            access.run(Command.of("chown", group.isEmpty() ? user : user + ":" + group, "--", dir, file));
        }
        return changed;
    }

    /**
     * Pins the repository host's key in the standby's {@code ~/.ssh/known_hosts}, under {@link #hostPattern()}. The
     * key is the one given with {@link #withHostKey(String)}, else read from the repository host's
     * {@code /etc/ssh/ssh_host_ed25519_key.pub} through its access {@link Host}.
     *
     * @param standby the standby's host
     * @return whether known_hosts changed
     * @throws PgBackRestException of kind {@link Kind#SSH_HOST_KEY} when another key is pinned for that host
     *                             (unless replacing was allowed), or when the key can be neither read nor was
     *                             given
     */
    public boolean pinHostKey(Host standby) {
        return pinHostKeyIn(standby, sshDir(standby));
    }

    private boolean pinHostKeyIn(Host standby, String sshDir) {
        PublicKey key = PublicKey.parse(hostKeyLine());
        String file = sshDir + "/known_hosts";
        return FileLocks.locked(standby, file, () -> pinHostKey(standby, file, key));
    }

    private boolean pinHostKey(Host standby, String file, PublicKey key) {
        String content = standby.readFile(file).orElse("");
        String pattern = hostPattern();
        switch (KnownHosts.lookup(content, pattern, key)) {
            case PINNED:
                LOG.debug("[{}] {} already pins {} for {}", standby.name(), file, key.fingerprint(), pattern);
                return false;
            case CONFLICT:
                if (!replaceChangedHostKey) {
                    throw new PgBackRestException(Diagnosis.hostKey(file + " on " + standby.name() + " pins another"
                            + " host key for " + pattern + " than the one the repository host has (" + key.type()
                            + " " + key.fingerprint() + "). If the repository host was reinstalled, allow replacing"
                            + " it: SshTrust.withReplaceChangedHostKey(true), or remove the old entry: ssh-keygen -R "
                            + Command.shellQuote(pattern) + " -f " + Command.shellQuote(file) + ". Otherwise find"
                            + " out why the key changed before connecting.", key.fingerprint(), null));
                }
                LOG.warn("[{}] replacing the host key pinned for {} in {} with {} (allowed by"
                        + " withReplaceChangedHostKey)", standby.name(), pattern, file, key.fingerprint());
                break;
            default:
                LOG.info("[{}] pinning {}'s host key {} in {}", standby.name(), pattern, key.fingerprint(), file);
        }
        String dir = file.substring(0, file.lastIndexOf('/'));
        if (!standby.exists(dir)) {
            standby.createDirectories(dir, "0700");
        }
        standby.writeFile(file, KnownHosts.pin(content, pattern, key), "0644");
        return true;
    }

    private String hostKeyLine() {
        if (hostKey != null) {
            return hostKey;
        }
        Host access = repository.access();
        if (access == null) {
            throw new PgBackRestException(Kind.SSH_HOST_KEY, "Cannot pin the host key of " + repository.address()
                    + ": it was not given and the repository host has no access Host to read " + hostKeyFile
                    + " through. Give it: SshTrust.withHostKey(\"<contents of " + hostKeyFile + " on "
                    + repository.address() + ">\"), or RepositoryHost.withAccess(host). Unknown host keys are never"
                    + " accepted blindly.");
        }
        return RepositoryFacts.get(access, "host key " + hostKeyFile, () -> access.readFile(hostKeyFile)
                .map(String::strip).filter(s -> !s.isEmpty()).orElseThrow(() -> new PgBackRestException(
                        Kind.SSH_HOST_KEY, "The repository host " + access.name()
                        + " has no " + hostKeyFile + ": is the OpenSSH server installed with its host keys"
                        + " (ssh-keygen -A)? Or name another key file:"
                        + " SshTrust.withHostKeyFile(\"/etc/ssh/ssh_host_ecdsa_key.pub\").")));
    }

    /**
     * @return the ssh command the standby runs to check the connection: {@code ssh -o BatchMode=yes -o
     *         StrictHostKeyChecking=yes ... -p PORT -- USER@ADDRESS true}
     */
    public Command verifyCommand() {
        return sshCommand("true");
    }

    /**
     * @param executable the pgbackrest program on the repository host
     * @return the ssh command that checks the connection as {@link #verifyCommand()} does and prints the repository
     *         host's pgBackRest version: one round trip for both (issue 24)
     */
    Command versionCommand(String executable) {
        return sshCommand(Command.shellQuote(executable) + " version");
    }

    /** @param remote the remote command, a shell line sshd runs (constant, or quoted) */
    private Command sshCommand(String remote) {
        return Command.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o",
                "PasswordAuthentication=no", "-o", "ConnectTimeout=15", "-p", Integer.toString(repository.port()),
                "--", repository.user() + "@" + repository.address(), remote).withTimeout(Duration.ofMinutes(1));
    }

    /**
     * Connects from the standby to the repository host non-interactively, as pgBackRest will.
     *
     * @param standby the standby's host
     * @throws PgBackRestException of kind {@link Kind#SSH_KEY_MISSING} when the standby has no key pair,
     *                             {@link Kind#SSH_KEY_NOT_AUTHORIZED} when the key is refused (with the key to
     *                             install), {@link Kind#SSH_HOST_KEY} when the host key is not pinned or differs,
     *                             {@link Kind#SSH_CONNECTION} when the SSH server cannot be reached,
     *                             {@link Kind#SSH_OTHER} for any other ssh failure
     */
    public void verify(Host standby) {
        verify(standby, publicKeyAt(standby, keyPath(standby)));
    }

    private void verify(Host standby, Optional<String> key) {
        Command c = verifyCommand();
        CommandResult r = connect(standby, key, c);
        if (!r.succeeded()) {
            failed(standby, key.get(), c, r);
        }
    }

    /**
     * Runs an ssh command from the standby to the repository host and explains its failure.
     *
     * @param key the standby's public key, when it has one
     * @return the command's result, when ssh connected (the remote command may still have failed)
     */
    private CommandResult connect(Host standby, Optional<String> key, Command c) {
        if (key.isEmpty()) {
            throw keyMissing(standby);
        }
        CommandResult r = standby.execute(c);
        if (r.exitCode() != StandbyProbe.SSH_FAILED) {
            LOG.info("[{}] SSH to {} works", standby.name(), repository.display());
            return r;
        }
        return failed(standby, key.get(), c, r);
    }

    /**
     * @param standby the standby
     * @param key     its public key
     * @param c       the ssh command that failed
     * @param r       its result
     * @return never: throws the diagnosis
     */
    CommandResult failed(Host standby, String key, Command c, CommandResult r) {
        PgBackRestFailure f = Diagnostics.failure(standby.name(), c, "ssh", r);
        Diagnosis d = Diagnostics.ssh(f, f.errorMessage() + "\n" + f.outputTail(), repository.display(), key);
        throw new PgBackRestException(d != null ? d : Diagnosis.of(Kind.SSH_OTHER, "ssh from " + standby.name()
                + " to " + repository.display() + " failed with exit code " + r.exitCode() + ": " + f.outputTail()
                + System.lineSeparator() + "What to do: run the command by hand on the standby as its pgBackRest"
                + " user with -v to see why: " + c.toCommandLine(), f));
    }

    /**
     * Does everything: key pair, authorized_keys (when the repository host has an access Host), host key pin, and
     * a verified connection.
     *
     * @param standby the standby's host
     * @return the standby's public key line
     * @throws PgBackRestException of kind {@link Kind#SSH_KEY_NOT_AUTHORIZED} without an access Host when the key
     *                             is not installed yet; its message holds the key and the command to run on the
     *                             repository host
     */
    public String establish(Host standby) {
        String sshDir = sshDir(standby);
        String key = trust(standby, sshDir, Optional.empty(), Optional.empty());
        verify(standby, Optional.of(key));
        return key;
    }

    /**
     * {@link #establish(Host)} for a restore, in as few round trips as it can (issue 24): with what
     * {@link StandbyProbe} already read, and the connection check that also prints the repository host's
     * pgBackRest version.
     *
     * @param standby    the standby's host
     * @param sshDir     its user's ssh directory
     * @param publicKey  its public key, when the probe found the key pair
     * @param knownHosts its known_hosts as the probe read it
     * @param executable the pgbackrest program on the repository host
     * @return the check's result: its exit code is 0 with the version in its output, or another than ssh's 255
     *         when the remote command failed
     */
    CommandResult establishForRestore(Host standby, String sshDir, Optional<String> publicKey,
            Optional<String> knownHosts, String executable) {
        String key = trust(standby, sshDir, publicKey.filter(k -> !k.isEmpty()), knownHosts);
        return connect(standby, Optional.of(key), versionCommand(executable));
    }

    private String trust(Host standby, String sshDir, Optional<String> publicKey, Optional<String> knownHosts) {
        String key = publicKey.isPresent() ? publicKey.get() : ensureKeyPairIn(standby, sshDir);
        if (repository.access() != null) {
            authorizeKey(key);
        }
        if (hostKey != null || repository.access() != null) {
            pinHostKeyIn(standby, sshDir);
        } else {
            String content = knownHosts.isPresent() ? knownHosts.get()
                    : standby.readFile(sshDir + "/known_hosts").orElse("");
            if (!KnownHosts.knows(content, hostPattern())) {
                hostKeyLine(); // throws: explains how to give the key
            }
        }
        return key;
    }

    private PgBackRestException keyMissing(Host standby) {
        String key = keyPath(standby);
        return new PgBackRestException(Diagnosis.keyMissing("The standby " + standby.name() + " has no SSH key pair at "
                + key + ", so it cannot authenticate to " + repository.display() + "." + System.lineSeparator()
                + "What to do: generate it as the user that runs pgBackRest: ssh-keygen -t ed25519 -N \"\" -f "
                + Command.shellQuote(key) + " (SshTrust.ensureKeyPair(standbyHost) does it), then install its .pub"
                + " line in ~" + repository.user() + "/.ssh/authorized_keys on " + repository.address() + ".", key,
                null));
    }

    private Host access(String purpose) {
        Host access = repository.access();
        if (access == null) {
            throw new ReplicationException("Cannot " + purpose + " on " + repository.address() + ": the repository"
                    + " host has no access Host. Give one with RepositoryHost.withAccess(primary.host()), or install"
                    + " the key by hand (see SshTrust.runbook()).");
        }
        return access;
    }

    /** @return the shell steps a person would follow to set up the same trust by hand */
    public List<String> runbook() {
        String dest = repository.user() + "@" + repository.address();
        List<String> lines = new ArrayList<>();
        lines.add("# on the standby, as the user that runs pgBackRest:");
        lines.add("test -e ~/.ssh/" + KEY_NAME + " || ssh-keygen -t ed25519 -N '' -f ~/.ssh/" + KEY_NAME);
        lines.add("cat ~/.ssh/" + KEY_NAME + ".pub");
        lines.add("# on " + repository.address() + ", as " + repository.user() + ": authorize that key (once)");
        lines.add("install -d -m 0700 ~/.ssh && echo '<standby public key>' >> ~/.ssh/authorized_keys && chmod 0600"
                + " ~/.ssh/authorized_keys");
        lines.add("# on the standby: pin " + repository.address() + "'s host key, read from " + hostKeyFile + " on "
                + repository.address() + " (never ssh-keyscan without checking it)");
        lines.add("echo " + Command.shellQuote(hostPattern() + " " + (hostKey != null ? PublicKey.parse(hostKey)
                : "<contents of " + hostKeyFile + ">")) + " >> ~/.ssh/known_hosts");
        lines.add(verifyCommand().toCommandLine() + "   # must print nothing and exit 0 (" + dest + ")");
        return lines;
    }

    @Override
    public String toString() {
        return "SshTrust[" + repository.display() + "]";
    }
}
