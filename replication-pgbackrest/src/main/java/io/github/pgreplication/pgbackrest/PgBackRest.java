package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.internal.ConfigValidator;
import io.github.pgreplication.pgbackrest.internal.Diagnosis;
import io.github.pgreplication.pgbackrest.internal.Diagnostics;
import io.github.pgreplication.pgbackrest.internal.InfoParser;
import io.github.pgreplication.pgbackrest.internal.PgBackRestFailure;
import io.github.pgreplication.pgbackrest.internal.PgBackRestInfo;
import io.github.pgreplication.pgbackrest.internal.Users;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgBackRest commands for one stanza, run on a {@link Host} as its user (the user that owns the repository and runs
 * PostgreSQL, usually {@code postgres}). Every command is an argument list; failures are thrown as a
 * {@link PgBackRestException} whose kind and message say what to do. Immutable; {@code withX} returns a copy.
 *
 * <pre>{@code
 * PgBackRest pgBackRest = PgBackRest.on(LocalHost.runAs("postgres"), "psql");
 * pgBackRest.stanzaCreate();
 * pgBackRest.check();
 * BackupInfo full = pgBackRest.backup(BackupType.FULL);
 * StanzaInfo info = pgBackRest.info();
 * String archiveCommand = pgBackRest.archiveCommand();   // pgbackrest --stanza=psql archive-push %p
 * }</pre>
 *
 * <p>With {@link #withConfigPath(String)}, every command, and the archive and restore command strings, carry
 * {@code --config=PATH}; without it pgBackRest reads its default file ({@code /etc/pgbackrest/pgbackrest.conf}, or
 * {@code /etc/pgbackrest.conf} when that one does not exist).
 */
public final class PgBackRest {
    /** The program name used unless {@link #withExecutable(String)} says otherwise. */
    public static final String DEFAULT_EXECUTABLE = "pgbackrest";
    /** Default limit for backup, restore and stanza-create: 6 hours. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
    /** Limit for short commands (info, version, check, archive-get): 10 minutes. */
    public static final Duration SHORT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(PgBackRest.class);
    /** The identities OpenSSH's client offers when none is configured, in its order. */
    private static final List<String> DEFAULT_IDENTITIES = List.of("id_rsa", "id_ecdsa", "id_ecdsa_sk",
            "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa");

    private final Host host;
    private final String stanza;
    private final String configPath;
    private final String executable;
    private final Duration timeout;
    private final String nodeName;
    private final String repositoryHost;

    private PgBackRest(Host host, String stanza, String configPath, String executable, Duration timeout,
            String nodeName, String repositoryHost) {
        this.host = Objects.requireNonNull(host, "host");
        this.stanza = Objects.requireNonNull(stanza, "stanza");
        this.configPath = configPath;
        this.executable = Objects.requireNonNull(executable, "executable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.nodeName = nodeName;
        this.repositoryHost = repositoryHost;
    }

    /**
     * @param host   where pgBackRest runs, as the repository's or PostgreSQL's user
     * @param stanza the stanza name
     * @return commands for that stanza, reading pgBackRest's default configuration file
     * @throws IllegalArgumentException when the stanza name breaks pgBackRest's rules
     */
    public static PgBackRest on(Host host, String stanza) {
        ConfigValidator.requireStanza(stanza);
        return new PgBackRest(host, stanza, null, DEFAULT_EXECUTABLE, DEFAULT_TIMEOUT, null, null);
    }

    /**
     * @param path the configuration file on the host, e.g. where {@link PgBackRestConfig#writeTo(Host, String)}
     *             wrote it; null for pgBackRest's default
     * @return a copy whose commands pass {@code --config=PATH}
     */
    public PgBackRest withConfigPath(String path) {
        if (path != null) {
            ConfigValidator.requireConfigPath(path);
        }
        return copy(c -> c.configPath = path);
    }

    /**
     * @param program the pgbackrest program, e.g. {@code /usr/bin/pgbackrest}; default {@code pgbackrest}
     * @return a copy
     */
    public PgBackRest withExecutable(String program) {
        return copy(c -> c.executable = program);
    }

    /**
     * @param limit how long backup, restore and stanza-create may run, positive; default 6 hours
     * @return a copy
     */
    public PgBackRest withTimeout(Duration limit) {
        io.github.pgreplication.internal.Durations.positive("pgBackRest timeout", limit,
                ".withTimeout(Duration.ofHours(6))");
        return copy(c -> c.timeout = limit);
    }

    /**
     * @param name the node's name for log lines, e.g. {@code eshua}; default the host's name
     * @return a copy
     */
    public PgBackRest withNodeName(String name) {
        return copy(c -> c.nodeName = name);
    }

    /**
     * @param repository the repository host this host reaches over SSH, for error messages
     * @return a copy
     */
    public PgBackRest withRepositoryHost(RepositoryHost repository) {
        return copy(c -> c.repositoryHost = repository == null ? null : repository.display());
    }

    /** Makes commands of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private PgBackRest copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new PgBackRest(c.host, c.stanza, c.configPath, c.executable, c.timeout, c.nodeName, c.repositoryHost);
    }

    /** These commands' fields, for a wither to change before {@link #copy} makes commands of them. */
    private final class Copy {
        Host host = PgBackRest.this.host;
        String stanza = PgBackRest.this.stanza;
        String configPath = PgBackRest.this.configPath;
        String executable = PgBackRest.this.executable;
        Duration timeout = PgBackRest.this.timeout;
        String nodeName = PgBackRest.this.nodeName;
        String repositoryHost = PgBackRest.this.repositoryHost;
    }

    /** @return where commands run */
    public Host host() {
        return host;
    }

    /** @return the stanza */
    public String stanza() {
        return stanza;
    }

    /** @return the configuration file passed with {@code --config}, when set */
    public Optional<String> configPath() {
        return Optional.ofNullable(configPath);
    }

    /** @return the pgbackrest program */
    public String executable() {
        return executable;
    }

    /** @return the node name used in logs */
    public String nodeName() {
        return nodeName != null ? nodeName : host.name();
    }

    /**
     * Builds a pgBackRest command line for this stanza: {@code pgbackrest [--config=PATH] --stanza=S OPTIONS COMMAND
     * ARGUMENTS}.
     *
     * @param command   the pgBackRest command, e.g. {@code backup}
     * @param options   options, each one argument such as {@code --type=full}
     * @param arguments positional arguments after the command (archive-get's segment and destination)
     * @return the command, not run
     */
    public Command command(String command, List<String> options, String... arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        if (configPath != null) {
            argv.add("--config=" + configPath);
        }
        argv.add("--stanza=" + stanza);
        argv.addAll(options);
        argv.add(command);
        argv.addAll(List.of(arguments));
        return Command.of(argv).withTimeout(SHORT_TIMEOUT);
    }

    /**
     * Runs a pgBackRest command and maps a failure to the matching exception.
     *
     * @param command the command, e.g. from {@link #command(String, List, String...)}
     * @return its result when it exits with 0
     * @throws PgBackRestException when it fails, of the kind that names the cause when it is known
     */
    public CommandResult run(Command command) {
        CommandResult result = execute(command);
        if (!result.succeeded()) {
            throw failure(command, result);
        }
        return result;
    }

    private CommandResult execute(Command command) {
        try {
            return host.execute(command);
        } catch (CommandFailedException e) {
            if (!e.timedOut() && e.exitCode() == -1 && e.getMessage().contains("'" + executable + "'")) {
                throw new PgBackRestException(Kind.NOT_INSTALLED, executable + " cannot be started on " + host.name()
                        + ": it is not installed or not on the PATH." + System.lineSeparator() + "What to do: install"
                        + " it (apt-get install pgbackrest) or give its path with PgBackRest.withExecutable(...)."
                        + System.lineSeparator() + e.getMessage());
            }
            throw e;
        }
    }

    private PgBackRestException failure(Command command, CommandResult result) {
        return classify(Diagnostics.failure(host.name(), command, commandName(command), result));
    }

    private PgBackRestException classify(PgBackRestFailure f) {
        Diagnostics.Context context = new Diagnostics.Context(stanza, repositoryHost, archiveCommand());
        Diagnosis d = Diagnostics.classify(f, context);
        if (d.kind() == Kind.SSH_KEY_NOT_AUTHORIZED && d.publicKey() == null) {
            d = withStandbyKey(d, f, context);
        }
        return new PgBackRestException(d);
    }

    /**
     * The repository host refused this host's key: looks at the default identities ssh offers (this host's user's
     * {@code ~/.ssh/id_*}) to say that there is none (the runbook's key was never generated), or to name the public
     * key to install.
     */
    private Diagnosis withStandbyKey(Diagnosis refused, PgBackRestFailure f, Diagnostics.Context context) {
        try {
            String dir = Users.home(host, Users.current(host)).replaceAll("/+$", "") + "/.ssh";
            List<String> files = host.list(dir);
            Optional<String> identity = DEFAULT_IDENTITIES.stream().filter(files::contains).findFirst();
            String repo = Diagnostics.repository(f, context);
            if (identity.isEmpty()) {
                // ~/.ssh/config may name another IdentityFile: then the key is not known to be missing
                return files.contains("config") ? refused : Diagnostics.keyMissing(f, dir + "/id_ed25519", repo);
            }
            Optional<String> publicKey = host.readFile(dir + "/" + identity.get() + ".pub").map(String::strip)
                    .filter(k -> !k.isEmpty());
            Diagnosis named = publicKey.isEmpty() ? null : Diagnostics.ssh(f, f.errorMessage() + "\n"
                    + f.outputTail(), repo == null ? "the repository host" : repo, publicKey.get());
            return named != null ? named : refused;
        } catch (RuntimeException lookup) {
            LOG.debug("[{}] could not look for the SSH key pair after a refused key", nodeName(), lookup);
            return refused;
        }
    }

    private static String commandName(Command command) {
        for (String a : command.argv().subList(1, command.argv().size())) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return "pgbackrest";
    }

    /**
     * Creates the stanza in the repository ({@code stanza-create}); pgBackRest does nothing when it already exists
     * and is valid.
     */
    public void stanzaCreate() {
        LOG.info("[{}] pgBackRest stanza-create {}", nodeName(), stanza);
        run(command("stanza-create", List.of()).withTimeout(timeout));
    }

    /**
     * Checks the configuration and that archiving works ({@code check}): the primary switches WAL and pgBackRest
     * waits until the segment reaches the repository.
     *
     * @throws PgBackRestException of kind {@link Kind#ARCHIVE_TIMEOUT} when WAL does not arrive in time
     */
    public void check() {
        LOG.info("[{}] pgBackRest check {}", nodeName(), stanza);
        run(command("check", List.of()));
    }

    /**
     * Takes a backup and returns it, as {@code info} reports it afterwards.
     *
     * @param type full, diff or incr (diff and incr fall back to full when there is none)
     * @return the new backup
     */
    public BackupInfo backup(BackupType type) {
        LOG.info("[{}] pgBackRest {} backup of {}", nodeName(), type.toPgBackRest(), stanza);
        run(command("backup", List.of("--type=" + type.toPgBackRest())).withTimeout(timeout));
        BackupInfo latest = info().latestBackup().orElseThrow(() -> new PgBackRestException(Kind.OTHER,
                "pgbackrest backup succeeded on " + host.name() + " but info lists no backup for stanza '" + stanza
                        + "'. Check that backup and info read the same configuration (--config) and repository."));
        LOG.info("[{}] pgBackRest backup {} done: {} bytes, WAL {} to {}", nodeName(), latest.label(),
                latest.databaseSize(), latest.walStart(), latest.walStop());
        return latest;
    }

    /**
     * @return this stanza as {@code pgbackrest info --output=json} reports it; a stanza that was never created has
     *         status {@link StanzaInfo.Status#MISSING_STANZA_PATH} rather than an error
     * @throws PgBackRestException of the kind that names the cause when info cannot read the repository (status
     *                             {@link StanzaInfo.Status#OTHER}): an ssh failure, a permission problem, a version
     *                             mismatch
     */
    public StanzaInfo info() {
        Command c = command("info", List.of("--output=json"));
        CommandResult r = run(c);
        PgBackRestInfo info = InfoParser.parse(r.stdout());
        StanzaInfo s = info.stanza(stanza).orElseThrow(() -> new PgBackRestException(Kind.OTHER,
                "pgbackrest info on " + host.name() + " did not report stanza '" + stanza + "' (it reported "
                        + info.stanzas().stream().map(StanzaInfo::name).toList() + ")."));
        if (s.status().code() == StanzaInfo.Status.OTHER) {
            // info exits with 0 even when it cannot read the repository (ssh, permissions, versions): the error is
            // only in the JSON, and hiding it behind "status 99" would leave the caller guessing
            throw classify(Diagnostics.infoFailure(host.name(), c, s.status().message()));
        }
        return s;
    }

    /**
     * Restores into a data directory; PostgreSQL must not run there.
     *
     * @param options what and where to restore
     */
    public void restore(RestoreOptions options) {
        restore(options, null);
    }

    /**
     * Restores into a data directory, passing each output line to a listener.
     *
     * @param options  what and where to restore
     * @param listener receives pgBackRest's output lines (use {@code --log-level-console=detail} in
     *                 {@link RestoreOptions#withOption(String)} for per-file progress); may be null
     */
    public void restore(RestoreOptions options, Consumer<String> listener) {
        LOG.info("[{}] pgBackRest restore of {} into {}", nodeName(), stanza, options.pgPath());
        Command c = command("restore", options.toArguments()).withTimeout(timeout);
        run(listener == null ? c : c.withOutputListener(listener));
    }

    /**
     * Fetches one WAL segment from the archive, as a standby's {@code restore_command} does.
     *
     * @param walSegment  segment name, e.g. {@code 000000010000000000000007}
     * @param destination where to write it on the host
     * @param pgPath      {@code --pg1-path} (archive-get reads the cluster's pg_control there), or null to use the
     *                    configuration's
     * @return whether the segment was found (pgBackRest exits with 1 when it is not in the archive)
     * @throws PgBackRestException on any other failure
     */
    public boolean archiveGet(String walSegment, String destination, String pgPath) {
        List<String> options = pgPath == null ? List.of() : List.of("--pg1-path=" + pgPath);
        Command c = command("archive-get", options, walSegment, destination);
        CommandResult r = execute(c);
        if (r.exitCode() == 1 && !r.stderr().contains("ERROR:")) {
            return false;
        }
        if (!r.succeeded()) {
            throw failure(c, r);
        }
        return true;
    }

    /** @return the installed version, from {@code pgbackrest version} */
    public Version version() {
        Command c = Command.of(executable, "version").withTimeout(SHORT_TIMEOUT);
        CommandResult r = run(c);
        return Version.parse(r.stdout());
    }

    /**
     * @return the {@code archive_command} for this stanza: {@code pgbackrest [--config=PATH] --stanza=NAME
     *         archive-push %p}
     */
    public String archiveCommand() {
        return shellPrefix() + " archive-push %p";
    }

    /**
     * @return the {@code restore_command} for this stanza: {@code pgbackrest [--config=PATH] --stanza=NAME
     *         archive-get %f "%p"}. A restore with {@code --type=standby} writes an equivalent one itself.
     */
    public String restoreCommand() {
        return shellPrefix() + " archive-get %f \"%p\"";
    }

    /** @return {@code pgbackrest [--config=PATH] --stanza=NAME}, quoted for a POSIX shell */
    String shellPrefix() {
        return Command.shellQuote(executable) + (configPath == null ? "" : " " + Command.shellQuote("--config="
                + configPath)) + " --stanza=" + Command.shellQuote(stanza);
    }

    /**
     * @param stanza a stanza name
     * @return {@code pgbackrest --stanza=NAME archive-push %p}, for pgBackRest's default configuration file
     */
    public static String archiveCommand(String stanza) {
        return on(LocalHost.current(), stanza).archiveCommand();
    }

    /**
     * @param stanza a stanza name
     * @return {@code pgbackrest --stanza=NAME archive-get %f "%p"}, for pgBackRest's default configuration file
     */
    public static String restoreCommand(String stanza) {
        return on(LocalHost.current(), stanza).restoreCommand();
    }

    /**
     * Checks that two hosts run the same pgBackRest version, as its SSH protocol requires.
     *
     * @param first  one side, e.g. the standby
     * @param second the other side, e.g. the repository host
     * @return the common version
     * @throws PgBackRestException of kind {@link Kind#VERSION_MISMATCH}, naming both versions and hosts, when they
     *                             differ
     */
    public static Version requireSameVersion(PgBackRest first, PgBackRest second) {
        Version a = first.version();
        Version b = second.version();
        if (!a.equals(b)) {
            throw new PgBackRestException(Diagnostics.versionMismatch(null, a.toString(), b.toString(),
                    first.nodeName(), second.nodeName()));
        }
        LOG.debug("[{}] pgBackRest {} on both {} and {}", first.nodeName(), a, first.nodeName(), second.nodeName());
        return a;
    }

    @Override
    public String toString() {
        return "PgBackRest[" + stanza + " on " + host.name() + (configPath == null ? "" : " --config=" + configPath)
                + "]";
    }

    /**
     * A pgBackRest version, as printed by {@code pgbackrest version} ({@code pgBackRest 2.45},
     * {@code pgBackRest 2.55.1}, {@code pgBackRest 2.56.0dev}).
     *
     * @param major  major number (2)
     * @param minor  minor number (45)
     * @param patch  patch number, -1 when absent (2.45); compared as 0
     * @param suffix anything after the numbers, e.g. {@code dev}; empty for releases
     */
    public record Version(int major, int minor, int patch, String suffix) implements Comparable<Version> {
        private static final Pattern VERSION =
                Pattern.compile("(?:pgBackRest\\s+)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(\\S*)");

        /**
         * Checks for nulls.
         *
         * @param major  major number (2)
         * @param minor  minor number (45)
         * @param patch  patch number, -1 when absent (2.45); compared as 0
         * @param suffix anything after the numbers, e.g. {@code dev}; empty for releases
         */
        public Version {
            Objects.requireNonNull(suffix, "suffix");
        }

        /**
         * @param text the output of {@code pgbackrest version}, or a bare version such as {@code 2.45}
         * @return the version
         * @throws IllegalArgumentException when no version is found
         */
        public static Version parse(String text) {
            Matcher m = VERSION.matcher(text == null ? "" : text.strip());
            if (!m.find()) {
                throw new IllegalArgumentException("'" + Text.printable(text) + "' holds no pgBackRest version:"
                        + " expected output like 'pgBackRest 2.45' from 'pgbackrest version'");
            }
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? -1 : Integer.parseInt(m.group(3)), m.group(4));
        }

        /**
         * @param other another version
         * @return whether this one is at least {@code other}
         */
        public boolean isAtLeast(Version other) {
            return compareTo(other) >= 0;
        }

        @Override
        public int compareTo(Version o) {
            int c = Integer.compare(major, o.major);
            if (c == 0) {
                c = Integer.compare(minor, o.minor);
            }
            if (c == 0) {
                c = Integer.compare(Math.max(patch, 0), Math.max(o.patch, 0));
            }
            if (c == 0 && !suffix.equals(o.suffix)) {
                // a release sorts after its pre-releases (2.56.0dev < 2.56.0)
                c = suffix.isEmpty() ? 1 : o.suffix.isEmpty() ? -1 : suffix.compareTo(o.suffix);
            }
            return c;
        }

        /** @return the version as pgBackRest prints it, e.g. {@code 2.45} or {@code 2.55.1} */
        @Override
        public String toString() {
            return major + "." + minor + (patch < 0 ? "" : "." + patch) + suffix;
        }
    }
}
