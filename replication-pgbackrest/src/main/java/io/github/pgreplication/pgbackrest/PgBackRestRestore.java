package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Problem;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.clone.ContributedStep;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import io.github.pgreplication.pgbackrest.internal.AutoConf;
import io.github.pgreplication.pgbackrest.internal.Certificates;
import io.github.pgreplication.pgbackrest.internal.ConfigFiles;
import io.github.pgreplication.pgbackrest.internal.ConfigValidator;
import io.github.pgreplication.pgbackrest.internal.Diagnostics;
import io.github.pgreplication.pgbackrest.internal.RepositoryFacts;
import io.github.pgreplication.pgbackrest.internal.StandbyProbe;
import io.github.pgreplication.pgbackrest.internal.TlsAllowList;
import io.github.pgreplication.pgbackrest.internal.RestoreProgress;
import io.github.pgreplication.internal.ProgressReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clones a standby by restoring the latest pgBackRest backup on the standby's host, as in the second runbook:
 * {@code pgbackrest --stanza=S --type=standby --delta --pg1-path=PGDATA --recovery-option=primary_conninfo=...
 * --recovery-option=primary_slot_name=SLOT restore}. pgBackRest writes {@code standby.signal} and a
 * {@code restore_command} running {@code archive-get} with the same configuration, so the standby streams from the
 * primary (as {@code application_name} = its name, password from the passfile) and falls back to the archive.
 * {@link #withDelta(boolean)} re-syncs an existing data directory in place, copying only the files that changed.
 *
 * <p>{@link #from(RepositoryHost, String)} also prepares the standby: SSH trust to the repository host
 * ({@link SshTrust#establish}), a pgbackrest.conf naming that host ({@code repo1-host}, {@code repo1-host-user}),
 * and the same pgBackRest version on both ends. After the restore it proves that {@code archive-get} works by
 * fetching the first WAL segment of the restored backup.
 *
 * <pre>{@code
 * RepositoryHost repository = RepositoryHost.at("eshua.ghelew.ch").withAccess(primary.host());
 * Standby eshub = Standby.named("eshub")
 *         .withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
 *         .withDataDirectory("/var/lib/postgresql/data")
 *         .withCloneMethods(PgBackRestRestore.from(repository, "psql")
 *                         .withRepositoryPreparedBy(PgBackRest.on(primary.host(), "psql")),
 *                 BaseBackup.defaults());               // fallback when the restore fails
 * }</pre>
 */
public final class PgBackRestRestore implements CloneMethod {
    /** This clone method's name in plans and results. */
    public static final String NAME = "pgbackrest-restore";
    private static final Logger LOG = LoggerFactory.getLogger(PgBackRestRestore.class);
    private static final String CHECK_FILE = "pgreplication-archive-get-check";

    private final String stanza;
    private final RepositoryHost repository;
    private final String configPath;
    private final PgBackRestConfig config;
    private final SshTrust trust;
    private final Integer processMax;
    private final Duration timeout;
    private final String executable;
    private final Consumer<CloneProgress> listener;
    private final boolean archiveGetCheck;
    private final PgBackRest preparer;
    /** How the delta restore matches files, or null for a restore into an emptied directory. */
    private final DeltaMatch delta;

    private PgBackRestRestore(String stanza, RepositoryHost repository, String configPath, PgBackRestConfig config,
            SshTrust trust, Integer processMax, Duration timeout, String executable, Consumer<CloneProgress> listener,
            boolean archiveGetCheck, PgBackRest preparer, DeltaMatch delta) {
        this.stanza = stanza;
        this.repository = repository;
        this.configPath = configPath;
        this.config = config;
        this.trust = trust;
        this.processMax = processMax;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.executable = Objects.requireNonNull(executable, "executable");
        this.listener = listener;
        this.archiveGetCheck = archiveGetCheck;
        this.preparer = preparer;
        this.delta = delta;
    }

    /**
     * A restore from a repository on another host, reached over SSH: sets up SSH trust, writes the standby's
     * pgbackrest.conf ({@code [global]} repo1-host..., {@code [STANZA]} pg1-path = the data directory) to
     * {@link PgBackRestConfig#DEFAULT_PATH}, checks versions, restores, and checks archive-get.
     *
     * @param repository the repository host, with an access Host when the library may install the standby's key
     *                   and read the host key itself
     * @param stanza     the stanza
     * @return the clone method
     */
    public static PgBackRestRestore from(RepositoryHost repository, String stanza) {
        Objects.requireNonNull(repository, "repository");
        return new PgBackRestRestore(ConfigValidator.requireStanza(stanza), repository, PgBackRestConfig.DEFAULT_PATH,
                null, repository.isTls() ? null : SshTrust.to(repository), null, PgBackRest.DEFAULT_TIMEOUT,
                PgBackRest.DEFAULT_EXECUTABLE, null, true, null, null);
    }

    /**
     * A restore that relies on the standby's pgBackRest configuration and SSH set-up as they are (nothing is
     * written before restoring).
     *
     * @param stanza the stanza
     * @return the clone method, reading pgBackRest's default configuration file on the standby
     */
    public static PgBackRestRestore using(String stanza) {
        return new PgBackRestRestore(ConfigValidator.requireStanza(stanza), null, null, null, null, null,
                PgBackRest.DEFAULT_TIMEOUT, PgBackRest.DEFAULT_EXECUTABLE, null, true, null, null);
    }

    /**
     * @param path the standby's pgbackrest.conf: written there by {@link #from}, read with {@code --config=PATH};
     *             e.g. {@code /var/lib/postgresql/pgbackrest.conf} when the user cannot write {@code /etc}
     * @return a copy
     */
    public PgBackRestRestore withConfigPath(String path) {
        if (path == null && repository != null) {
            throw new IllegalArgumentException("config path 'null': must be an absolute path (from(...) writes the"
                    + " standby's configuration there)");
        }
        if (path != null) {
            ConfigValidator.requireConfigPath(path);
        }
        return copy(c -> c.configPath = path);
    }

    /**
     * @param standbyConfig the standby's whole configuration, written instead of the generated one (it must name
     *                      the repository host and have the stanza's section); only with {@link #from}
     * @return a copy
     * @throws IllegalArgumentException with {@link #using}, which writes no configuration, or when the configuration
     *                                  has no section for the stanza
     */
    public PgBackRestRestore withConfig(PgBackRestConfig standbyConfig) {
        if (repository == null) {
            throw new IllegalArgumentException("withConfig: this restore was made with using(\"" + stanza + "\"),"
                    + " which restores with the standby's configuration as it is and writes none. Use"
                    + " from(RepositoryHost, \"" + stanza + "\").withConfig(...) to have this configuration written"
                    + " before the restore, or write it yourself with PgBackRestConfig.writeTo(host, path)");
        }
        if (standbyConfig.stanza(stanza).isEmpty()) {
            throw new IllegalArgumentException("the standby configuration has no [" + stanza + "] section: add"
                    + " StanzaSection.named(\"" + stanza + "\").withPgPath(<data directory>)");
        }
        return copy(c -> c.config = standbyConfig);
    }

    /**
     * @param sshTrust how SSH trust is set up, e.g. with a host key given out of band; null to skip it
     * @return a copy
     * @throws IllegalArgumentException when the repository host is reached through its TLS server, where there is no
     *                                  SSH to trust
     */
    public PgBackRestRestore withSshTrust(SshTrust sshTrust) {
        if (sshTrust != null && repository != null && repository.isTls()) {
            throw new IllegalArgumentException("withSshTrust: " + repository.display() + " is reached through"
                    + " pgBackRest's TLS server (RepositoryHost.withTls), not over SSH: there is no key pair or host"
                    + " key to set up. Drop withSshTrust, or drop withTls to restore over SSH");
        }
        return copy(c -> c.trust = sshTrust);
    }

    /**
     * Re-syncs a standby's existing data directory in place with pgBackRest's {@code --delta}: the files that match
     * the backup (by checksum) are kept and only the others travel, so a standby that fell behind, or a clone cut
     * half-way, costs what changed rather than the whole database. The library keeps a non-empty data directory for
     * this method only when the standby allows it to be overwritten
     * ({@code Standby...withEmptyDataDirectoryAllowed(true)}; without it, the directory is refused and left
     * untouched), only when the directory holds PostgreSQL ({@code PG_VERSION}), and only when this method is the
     * standby's first ({@link CloneMethod#keepsDataDirectory()}). PostgreSQL must be stopped in it (pgBackRest
     * refuses otherwise). Files pgBackRest does not know (not in the backup) are deleted, as in any delta restore.
     * Matching by checksum reads every file of the directory; {@link #withDelta(DeltaMatch)} chooses otherwise.
     *
     * @param on whether to re-sync in place, matching files by checksum ({@link DeltaMatch#CHECKSUM}); default
     *           false (the directory is emptied first, with permission)
     * @return a copy
     */
    public PgBackRestRestore withDelta(boolean on) {
        return copy(c -> c.delta = on ? DeltaMatch.CHECKSUM : null);
    }

    /**
     * Re-syncs in place as {@link #withDelta(boolean) withDelta(true)} does, matching the files of the kept
     * directory as {@code how} says. {@link DeltaMatch#SIZE_AND_TIMESTAMP} ({@code --delta --force}) reads none of
     * them, so a stale standby costs only what changed, but keeps a file whose content changed while its size and
     * time did not: see {@link DeltaMatch#SIZE_AND_TIMESTAMP} for when that is unsafe.
     *
     * @param how how files are matched
     * @return a copy
     * @throws IllegalArgumentException for null
     */
    public PgBackRestRestore withDelta(DeltaMatch how) {
        if (how == null) {
            throw new IllegalArgumentException("delta match null: give DeltaMatch.CHECKSUM (safe, reads every file)"
                    + " or DeltaMatch.SIZE_AND_TIMESTAMP (reads none; unsafe for a directory whose files may have"
                    + " changed without their size or time changing); withDelta(false) for no delta");
        }
        return copy(c -> c.delta = how);
    }

    /** @return whether this restore re-syncs a kept data directory in place ({@link #withDelta(boolean)}) */
    @Override
    public boolean keepsDataDirectory() {
        return delta != null;
    }

    /**
     * @param n {@code --process-max} for the restore: parallel transfer processes, 1 to 999; default the
     *          standby's configuration's (pgBackRest's default 1)
     * @return a copy
     * @throws IllegalArgumentException outside 1 to 999
     */
    public PgBackRestRestore withProcessMax(int n) {
        if (n < 1 || n > 999) {
            throw new IllegalArgumentException("process-max " + n + " must be between 1 and 999");
        }
        return copy(c -> c.processMax = n);
    }

    /**
     * @param limit how long the restore may take, positive; default 6 hours
     * @return a copy
     */
    public PgBackRestRestore withTimeout(Duration limit) {
        io.github.pgreplication.internal.Durations.positive("pgBackRest restore timeout", limit,
                ".withTimeout(Duration.ofHours(6))");
        return copy(c -> c.timeout = limit);
    }

    /**
     * @param program the pgbackrest program on the standby; default {@code pgbackrest}
     * @return a copy
     */
    public PgBackRestRestore withExecutable(String program) {
        return copy(c -> c.executable = program);
    }

    /**
     * @param progress receives progress parsed from pgBackRest's per-file output
     * @return a copy
     */
    public PgBackRestRestore withProgressListener(Consumer<CloneProgress> progress) {
        return copy(c -> c.listener = progress);
    }

    /**
     * @param on whether to prove after the restore that archive-get works, by fetching the first WAL segment of the
     *           restored backup into the data directory and deleting it; default true
     * @return a copy
     */
    public PgBackRestRestore withArchiveGetCheck(boolean on) {
        return copy(c -> c.archiveGetCheck = on);
    }

    /**
     * Makes sure the repository has the stanza and a backup before any standby is restored: adds one step to the
     * plan of {@code apply()}, on the repository host, after the primary is prepared and before the clones, that
     * runs {@link PgBackRestPrimary#prepare(PgBackRest)} through the repository host's pgBackRest (see
     * {@link #contributedSteps(CloneContext)}). Every standby given the same {@code repositorySide} shares that
     * step, which runs once. Lets one {@code apply()} set up both the repository and the standbys.
     *
     * @param repositorySide pgBackRest on the repository host (the primary), or null not to prepare
     * @return a copy
     */
    public PgBackRestRestore withRepositoryPreparedBy(PgBackRest repositorySide) {
        return copy(c -> c.preparer = repositorySide);
    }

    /** Makes a clone method of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private PgBackRestRestore copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new PgBackRestRestore(c.stanza, c.repository, c.configPath, c.config, c.trust, c.processMax, c.timeout,
                c.executable, c.listener, c.archiveGetCheck, c.preparer, c.delta);
    }

    /** This clone method's fields, for a wither to change before {@link #copy} makes a clone method of them. */
    private final class Copy {
        String stanza = PgBackRestRestore.this.stanza;
        RepositoryHost repository = PgBackRestRestore.this.repository;
        String configPath = PgBackRestRestore.this.configPath;
        PgBackRestConfig config = PgBackRestRestore.this.config;
        SshTrust trust = PgBackRestRestore.this.trust;
        Integer processMax = PgBackRestRestore.this.processMax;
        Duration timeout = PgBackRestRestore.this.timeout;
        String executable = PgBackRestRestore.this.executable;
        Consumer<CloneProgress> listener = PgBackRestRestore.this.listener;
        boolean archiveGetCheck = PgBackRestRestore.this.archiveGetCheck;
        PgBackRest preparer = PgBackRestRestore.this.preparer;
        DeltaMatch delta = PgBackRestRestore.this.delta;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param context the standby being planned
     * @return with {@link #withRepositoryPreparedBy(PgBackRest)}, the repository's step (stanza-create when missing,
     *         check, first full backup when there is none) on the repository host, the same for every standby of
     *         that repository; otherwise none
     */
    @Override
    public List<ContributedStep> contributedSteps(CloneContext context) {
        return preparer == null ? List.of() : List.of(new StanzaPreparationStep(preparer));
    }

    /**
     * @param context the standby being cloned
     * @return pgBackRest for the standby's host, with this method's configuration path and options
     */
    public PgBackRest pgBackRest(CloneContext context) {
        return PgBackRest.on(context.host(), stanza).withConfigPath(configPath).withExecutable(executable)
                .withTimeout(timeout).withNodeName(context.standby().name()).withRepositoryHost(repository);
    }

    /**
     * @param context the standby being cloned
     * @return the configuration {@link #from} writes on the standby, or null with {@link #using}
     */
    public PgBackRestConfig standbyConfig(CloneContext context) {
        if (config != null || repository == null) {
            return config;
        }
        StanzaSection section = StanzaSection.named(stanza).withPgPath(context.dataDirectory());
        if (context.standby().port() != Endpoint.DEFAULT_PORT) {
            section = section.withPgPort(context.standby().port());
        }
        return PgBackRestConfig.builder().repositoryHost(repository).addStanza(section).build();
    }

    /** @return the recovery options: primary_conninfo (no password: a passfile) and primary_slot_name */
    private Map<String, String> recoveryOptions(CloneContext context) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("primary_conninfo", context.primaryConninfo());
        if (!context.slot().isEmpty()) {
            m.put("primary_slot_name", context.slot());
        }
        return m;
    }

    /**
     * @param context the standby being cloned
     * @return the restore options: standby type, delta, the data directory, the recovery options pgBackRest can
     *         write safely, per-file progress
     */
    public RestoreOptions restoreOptions(CloneContext context) {
        RestoreOptions o = RestoreOptions.standby(context.dataDirectory());
        for (Map.Entry<String, String> e : recoveryOptions(context).entrySet()) {
            if (AutoConf.safeForPgBackRest(e.getValue())) {
                o = o.withRecoveryOption(e.getKey(), e.getValue());
            }
        }
        if (processMax != null) {
            o = o.withProcessMax(processMax);
        }
        if (delta != null) {
            o = o.withDelta(delta);
        }
        return o.withOption("--log-level-console=detail");
    }

    /**
     * @param context the standby being cloned
     * @return the restore command, not run; it never holds a password
     */
    public Command restoreCommand(CloneContext context) {
        return pgBackRest(context).command("restore", restoreOptions(context).toArguments()).withTimeout(timeout)
                .withRedacted(context.role().password());
    }

    private Map<String, String> unsafeRecoveryOptions(CloneContext context) {
        Map<String, String> m = new LinkedHashMap<>();
        recoveryOptions(context).forEach((k, v) -> {
            if (!AutoConf.safeForPgBackRest(v)) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Override
    public List<String> runbook(CloneContext context) {
        List<String> lines = new ArrayList<>();
        if (repository != null && trust != null) {
            lines.addAll(trust.runbook());
        }
        if (repository != null && repository.isTls()) {
            RepositoryHost.Tls t = repository.tls();
            lines.add("# on the standby, as the user that runs pgBackRest: its CA, client certificate and key for "
                    + repository.display() + " (the key mode 0600; its CN allowed by the server's tls-server-auth)");
            lines.add("test -r " + Command.shellQuote(t.caFile()) + " && test -r " + Command.shellQuote(t.certFile())
                    + " && test -r " + Command.shellQuote(t.keyFile()));
        }
        PgBackRestConfig c = standbyConfig(context);
        if (c != null) {
            lines.add("# on the standby: pgBackRest configuration naming the repository host");
            lines.addAll(c.runbook(configPath));
        }
        if (repository != null && repository.access() != null) {
            lines.add("pgbackrest version   # on both hosts: the versions must be equal");
        }
        if (delta == DeltaMatch.CHECKSUM) {
            lines.add("# --delta on a kept data directory (PostgreSQL stopped): files that match the backup stay,"
                    + " the others are copied");
        } else if (delta == DeltaMatch.SIZE_AND_TIMESTAMP) {
            lines.add("# --delta --force on a kept data directory (PostgreSQL stopped): files whose size and"
                    + " modification time match the backup stay unread, the others are copied (unsafe where a file"
                    + " may change without its size or time changing)");
        }
        lines.add(restoreCommand(context).toCommandLine());
        unsafeRecoveryOptions(context).forEach((k, v) -> lines.add("echo " + Command.shellQuote(k + " = "
                + AutoConf.quote(v)) + " >> " + Command.shellQuote(context.dataDirectory() + "/postgresql.auto.conf")));
        if (archiveGetCheck) {
            lines.add(pgBackRest(context).command("archive-get", List.of("--pg1-path=" + context.dataDirectory()),
                    "<first WAL segment of the backup>", context.dataDirectory() + "/" + CHECK_FILE)
                    .toCommandLine() + "   # proves restore_command works; delete the file afterwards");
        }
        return lines;
    }

    @Override
    public void cloneInto(CloneContext context) {
        String node = context.standby().name();
        Host host = context.host();
        PgBackRest pg = pgBackRest(context);
        LOG.info("[{}] pgBackRest restore of stanza {} from {} into {}", node, stanza,
                repository == null ? "the repository in its configuration" : repository.display(),
                context.dataDirectory());
        if (repository != null) {
            standbyConfig(context); // checked whole before any command reads or writes on either host
        }
        String clientCn = repository == null ? null : prepareStandby(context, pg);
        RestoreProgress progress = new RestoreProgress(node, listener);
        try {
            pg.run(restoreCommand(context).withOutputListener(progress));
        } catch (PgBackRestException e) {
            if (e.kind() == Kind.TLS_CLIENT_REFUSED && clientCn != null) {
                throw new PgBackRestException(Kind.TLS_CLIENT_REFUSED, "The TLS server of " + repository.display()
                        + " refused the client certificate CN '" + clientCn + "' of " + node + " for stanza '"
                        + stanza + "'." + System.lineSeparator() + "What to do: on " + repository.address()
                        + ", add the line tls-server-auth=" + clientCn + "=" + stanza + " to [global] of its"
                        + " pgbackrest.conf (PgBackRestConfig.TlsServer.allow(\"" + clientCn + "\", \"" + stanza
                        + "\")) and restart its pgbackrest server; or give " + node + " a certificate whose CN it"
                        + " allows." + System.lineSeparator() + e.getMessage(), e);
            }
            throw e;
        }
        Map<String, String> unsafe = unsafeRecoveryOptions(context);
        if (!unsafe.isEmpty()) {
            String path = context.dataDirectory() + "/postgresql.auto.conf";
            String content = host.readFile(path).orElse("");
            host.writeFile(path, AutoConf.set(content, unsafe), "0600");
            LOG.info("[{}] wrote {} to {} with PostgreSQL quoting", node, unsafe.keySet(), path);
        }
        if (archiveGetCheck) {
            checkArchiveGet(pg, context, progress.label());
        }
        LOG.info("[{}] pgBackRest restore done (backup {}): {} copied, {} kept as they matched the backup", node,
                progress.label(), ProgressReporter.human(progress.copiedBytes()),
                ProgressReporter.human(progress.matchedBytes()));
    }

    /**
     * What {@link #from} does before the restore, in as few round trips as it can (issue 24): one command on the
     * standby ({@link StandbyProbe}) reads its SSH set-up and configuration file, its pgBackRest version, and
     * connects to the repository host, which prints its own version. When that connection works, the standby trusts
     * the repository host already and nothing else runs unless the configuration file differs (then it is written).
     * Otherwise the trust is set up ({@link SshTrust}), with what the repository host tells once for all the standbys
     * of an apply ({@link RepositoryFacts}), and checked by the same connection.
     *
     * @return over TLS, the CN of the standby's client certificate (for messages); else null
     */
    private String prepareStandby(CloneContext context, PgBackRest pg) {
        if (repository.isTls()) {
            return prepareTlsStandby(context, pg);
        }
        Host host = context.host();
        String node = context.standby().name();
        String remoteExecutable = repository.command() != null ? repository.command() : executable;
        StandbyProbe.Probe probe = StandbyProbe.command(configPath, executable,
                trust == null ? List.of() : trust.versionCommand(remoteExecutable).argv());
        StandbyProbe.Result found = probe.parse(host.run(probe.command()).stdout());
        String local = found.localVersion().orElseGet(() -> "pgBackRest " + pg.version());
        Optional<String> remote = found.remoteVersion();
        if (trust != null && !found.connected()) {
            String sshDir = found.sshDir().orElseThrow(() -> new PgBackRestException(Kind.SSH_OTHER, "The user "
                    + found.user() + " that runs pgBackRest on " + host.name() + " has no home directory (not in"
                    + " getent passwd nor /etc/passwd), so ssh has nowhere to keep its key. Give it one."));
            CommandResult r = trust.establishForRestore(host, sshDir, found.publicKey(), found.knownHosts(),
                    remoteExecutable);
            remote = r.succeeded() ? StandbyProbe.versionLine(r.stdout()) : Optional.empty();
        } else if (found.connected()) {
            LOG.info("[{}] SSH to {} works", node, repository.display());
        }
        writeConfig(context, found);
        requireSameVersion(node, local, remote);
        return null;
    }

    /** Writes the standby's configuration unless the probe found it as it should be. */
    private void writeConfig(CloneContext context, StandbyProbe.Result found) {
        PgBackRestConfig standbyConfig = standbyConfig(context);
        if (!found.config().equals(Optional.of(standbyConfig.toIni()))) {
            ConfigValidator.requireConfigPath(configPath);
            ConfigFiles.write(context.host(), configPath, standbyConfig.toIni(), standbyConfig.fileMode(),
                    found.config());
        } else {
            LOG.debug("[{}] {} already up to date", context.standby().name(), configPath);
        }
    }

    /**
     * Compares the standby's version with the repository host's, as printed through ssh or else read through the
     * access Host (once for all the standbys, {@link RepositoryFacts}); nothing when neither is known.
     */
    private void requireSameVersion(String node, String local, Optional<String> printed) {
        Optional<String> remote = printed;
        String remoteExecutable = repository.command() != null ? repository.command() : executable;
        if (remote.isEmpty() && repository.access() != null) {
            Host access = repository.access();
            remote = Optional.of("pgBackRest " + RepositoryFacts.get(access, "pgbackrest version " + remoteExecutable,
                    () -> PgBackRest.on(access, stanza).withExecutable(remoteExecutable)
                            .withNodeName(repository.address()).version()));
        }
        if (remote.isPresent()) {
            PgBackRest.Version a = PgBackRest.Version.parse(local);
            PgBackRest.Version b = PgBackRest.Version.parse(remote.get());
            if (!a.equals(b)) {
                throw new PgBackRestException(Diagnostics.versionMismatch(null, a.toString(), b.toString(), node,
                        repository.address()));
            }
            LOG.debug("[{}] pgBackRest {} on both {} and {}", node, a, node, repository.address());
        }
    }

    /**
     * {@link #prepareStandby} through pgBackRest's TLS server: the probe checks that the standby's user can read its
     * CA, certificate and key and prints the certificate (never the key); each missing or unreadable file is a
     * numbered problem ({@link Kind#TLS_FILES}). When the library can read the repository host's configuration
     * (an access Host), its allow list ({@code tls-server-auth}) must name the certificate's CN for the stanza
     * ({@link Kind#TLS_CLIENT_REFUSED}); else the server's own refusal says so during the restore.
     *
     * @return the certificate's CN, when it has one
     */
    private String prepareTlsStandby(CloneContext context, PgBackRest pg) {
        Host host = context.host();
        String node = context.standby().name();
        RepositoryHost.Tls tls = repository.tls();
        List<String> files = List.of(tls.caFile(), tls.certFile(), tls.keyFile());
        StandbyProbe.Probe probe = StandbyProbe.command(configPath, executable, tls.certFile(), files, List.of());
        StandbyProbe.Result found = probe.parse(host.run(probe.command()).stdout());
        List<Problem> problems = new ArrayList<>();
        List<String> options = List.of("repo1-host-ca-file", "repo1-host-cert-file", "repo1-host-key-file");
        List<String> what = List.of("the CA certificate that signed " + repository.address() + "'s server"
                + " certificate", "the standby's client certificate", "the client certificate's private key");
        for (int i = 0; i < files.size(); i++) {
            int status = i < found.files().size() ? found.files().get(i) : StandbyProbe.MISSING;
            String mode = i == 2 ? "0600" : "0644";
            if (status == StandbyProbe.MISSING) {
                problems.add(new Problem(options.get(i) + " '" + files.get(i) + "'",
                        "does not exist on " + host.name() + " (" + what.get(i) + ")", "Install it there, owned by "
                        + found.user() + " with mode " + mode + ", or give its path in RepositoryHost.withTls(...)"));
            } else if (status == StandbyProbe.UNREADABLE) {
                problems.add(new Problem(options.get(i) + " '" + files.get(i) + "'",
                        "cannot be read by " + found.user() + ", the user pgBackRest runs as on " + host.name(),
                        "chown " + found.user() + " " + Command.shellQuote(files.get(i)) + " && chmod " + mode + " "
                        + Command.shellQuote(files.get(i))));
            }
        }
        String cn = null;
        if (found.certificate().isPresent()) {
            try {
                cn = Certificates.subjectCn(found.certificate().get())
                        .orElse(null);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("repo1-host-cert-file '" + tls.certFile() + "'",
                        "is " + e.getMessage(), "Give the PEM certificate (BEGIN CERTIFICATE) the CA issued for "
                        + node + ", not its key or a request"));
            }
        }
        if (!problems.isEmpty()) {
            throw new PgBackRestException(Kind.TLS_FILES, "The standby " + node + " cannot present its client"
                    + " certificate to the TLS server of " + repository.display(), problems);
        }
        if (cn != null && repository.access() != null) {
            requireAllowed(cn, node);
        }
        writeConfig(context, found);
        requireSameVersion(node, found.localVersion().orElseGet(() -> "pgBackRest " + pg.version()),
                Optional.empty());
        return cn;
    }

    /** Refuses a client CN the repository host's allow list, when the library can read it, does not name. */
    private void requireAllowed(String cn, String node) {
        Host access = repository.access();
        Optional<Map<String, List<String>>> allowed = RepositoryFacts.get(access, "tls-server-auth "
                + repository.configPath(), () -> TlsAllowList.read(access, repository.configPath()));
        if (allowed.isEmpty()) {
            LOG.debug("[{}] no tls-server-auth found on {}: the server decides", node, repository.address());
            return;
        }
        List<String> stanzas = allowed.get().get(cn);
        if (stanzas != null && (stanzas.contains(stanza) || stanzas.contains("*"))) {
            LOG.debug("[{}] {}'s tls-server-auth allows {} for {}", node, repository.address(), cn, stanza);
            return;
        }
        throw new PgBackRestException(Kind.TLS_CLIENT_REFUSED, "The TLS server of " + repository.display()
                + " does not allow the client certificate CN '" + cn + "' of " + node + " for stanza '" + stanza
                + "': its tls-server-auth allows " + (allowed.get().isEmpty() ? "no client" : allowed.get())
                + ", so it would refuse the restore." + System.lineSeparator() + "What to do: on "
                + repository.address() + ", add the line tls-server-auth=" + cn + "=" + stanza + " to [global] of its"
                + " pgbackrest.conf (PgBackRestConfig.TlsServer.allow(\"" + cn + "\", \"" + stanza + "\")) and restart"
                + " its pgbackrest server; or give " + node + " a client certificate whose CN is allowed.");
    }

    private void checkArchiveGet(PgBackRest pg, CloneContext context, String label) {
        StanzaInfo info = pg.info();
        BackupInfo backup = (label == null ? info.latestBackup() : info.backup(label).or(info::latestBackup))
                .orElseThrow(() -> new PgBackRestException(Kind.NO_BACKUP, "After the restore, pgbackrest info on "
                        + context.host().name() + " lists no backup for stanza '" + stanza + "'. Check that the"
                        + " standby's configuration points at the same repository as the restore."));
        String segment = backup.walStart();
        String target = context.dataDirectory() + "/" + CHECK_FILE;
        try {
            if (!pg.archiveGet(segment, target, context.dataDirectory())) {
                throw new PgBackRestException(Kind.ARCHIVE_GET, "archive-get on " + context.host().name()
                        + " cannot find WAL segment " + segment + ", the first one backup " + backup.label()
                        + " needs, in the archive: the standby could not recover from the archive."
                        + System.lineSeparator() + "What to do: check the primary's archive_command (pgbackrest"
                        + " --stanza=" + stanza + " check on the primary) and that the standby reads the same"
                        + " repository (repo1-host, repo1-path).");
            }
            LOG.info("[{}] archive-get works: fetched {} from the repository", context.standby().name(), segment);
        } finally {
            context.host().deleteFile(target);
        }
    }

    @Override
    public String toString() {
        return NAME + "(" + stanza + (repository == null ? "" : " from " + repository.display()) + ")";
    }
}
