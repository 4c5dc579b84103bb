package io.github.pgreplication.pgbackrest.internal;

import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.ARCHIVE_COMMAND_INVALID;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.ARCHIVE_DISABLED;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.ARCHIVE_MISMATCH;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.ARCHIVE_TIMEOUT;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.BACKUP_MISMATCH;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.BACKUP_SET_INVALID;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.CONFIG;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.DB_CONNECT;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.DB_MISMATCH;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.FILE_MISSING;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.HOST_CONNECT;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.LOCK_ACQUIRE;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.OPTION_REQUIRED;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.PATH_NOT_EMPTY;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.PG_RUNNING;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.PROTOCOL;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.REPO_INVALID;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.STOP;
import static io.github.pgreplication.pgbackrest.internal.ErrorCodes.TLS_CRYPTO;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed pgBackRest (or ssh) command into the exception that says what to do. Classification reads
 * pgBackRest's {@code ERROR: [NNN]:} code (see {@link ErrorCodes}) and the text of its error and warning blocks,
 * because one code covers several causes: [103] is a missing stanza or a permission problem, [125] is any failure
 * of the ssh client that carries pgBackRest's protocol.
 */
public final class Diagnostics {
    private static final Pattern ERROR_CODE = Pattern.compile("(?m)(?:^|\\s)ERROR: \\[(\\d{3})\\]: ");
    private static final Pattern BLOCK_START = Pattern.compile("^(ERROR|WARN|ASSERT): .*");
    private static final String HARMLESS_DELTA_WARNING = "--delta or --force specified but unable to find";
    private static final Pattern REMOTE = Pattern.compile("remote-\\d+ process on '([^']+)' terminated unexpectedly"
            + " \\[(\\d+)\\]");
    private static final Pattern VERSION_GREETING =
            Pattern.compile("expected value '([^']*)' for greeting key 'version' but got '([^']*)'");
    private static final Pattern POSTMASTER = Pattern.compile("presence of 'postmaster.pid' in '([^']+)'");
    private static final Pattern RESTORE_PATH = Pattern.compile("unable to restore to path '([^']+)'");
    private static final Pattern WAL_SEGMENT = Pattern.compile("WAL segment (\\S+) was not archived");
    private static final Pattern DENIED_FILE =
            Pattern.compile("'([^']+)'[^'\\n]*: \\[13\\] Permission denied");
    private static final Pattern CHANGED_HOST = Pattern.compile("Host key for (\\S+) has changed");
    private static final Pattern SENT_HOST_KEY =
            Pattern.compile("key sent by the remote host is\\s+(SHA256:[A-Za-z0-9+/]+)");
    private static final Pattern ERROR_CLASS = Pattern.compile("^\\[(\\w+Error)\\]");
    private static final int TAIL_LINES = 40;

    private Diagnostics() {
    }

    /**
     * What the diagnostics know besides the command's output.
     *
     * @param stanza         the stanza, or null
     * @param repositoryHost the repository host as {@code user@address[:port]} when it is remote, or null
     * @param archiveCommand the archive_command this stanza needs, for hints, or null
     */
    public record Context(String stanza, String repositoryHost, String archiveCommand) {
        /** @return a context with nothing known */
        public static Context none() {
            return new Context(null, null, null);
        }

        String stanzaOr(String fallback) {
            return stanza == null ? fallback : stanza;
        }
    }

    /**
     * @param host      where it ran
     * @param command   what ran (its registered secrets are removed from the output)
     * @param name      the pgBackRest command name, e.g. {@code restore}, or {@code ssh}
     * @param result    what it returned
     * @return the failure record: exit code, pgBackRest's error code, its error and warning blocks, output tail
     */
    public static PgBackRestFailure failure(String host, Command command, String name, CommandResult result) {
        String stderr = command.redact(result.stderr() == null ? "" : result.stderr());
        String stdout = command.redact(result.stdout() == null ? "" : result.stdout());
        Matcher m = ERROR_CODE.matcher(stderr + "\n" + stdout);
        int code = m.find() ? Integer.parseInt(m.group(1)) : -1;
        String blocks = blocks(stderr.isBlank() ? stdout : stderr);
        String tail = command.redact(new CommandResult(result.exitCode(), stdout, stderr).tail(TAIL_LINES));
        return new PgBackRestFailure(host, command.toCommandLine(), name, result.exitCode(), code,
                blocks.isBlank() ? lastLines(tail, 10) : blocks, tail);
    }

    /**
     * The failure behind an {@code info} status 99, which pgBackRest reports inside the JSON with exit code 0.
     *
     * @param host    where info ran
     * @param command the info command
     * @param message the repository's error message, e.g. {@code [ProtocolError] expected value '2.45' for
     *                greeting key 'version' but got '2.55.1'}
     * @return the failure, with the code of the error class in brackets when it is known
     */
    public static PgBackRestFailure infoFailure(String host, Command command, String message) {
        String text = command.redact(message == null ? "" : message.strip());
        Matcher m = ERROR_CLASS.matcher(text);
        int code = m.find() ? ErrorCodes.byName(m.group(1)) : -1;
        return new PgBackRestFailure(host, command.toCommandLine(), "info", 0, code, text, text);
    }

    /**
     * @param f   a failure
     * @param ctx what else is known
     * @return the repository host as {@link #classify} names it: the context's, else the host of pgBackRest's
     *         remote process, else null
     */
    public static String repository(PgBackRestFailure f, Context ctx) {
        if (ctx.repositoryHost() != null) {
            return ctx.repositoryHost();
        }
        Matcher remote = REMOTE.matcher(f.errorMessage() + "\n" + f.outputTail());
        return remote.find() ? remote.group(1) : null;
    }

    /**
     * For a {@code Permission denied (publickey)} when the standby has no key pair at all.
     *
     * @param f       the failure
     * @param keyPath the key ssh-keygen should create, e.g. {@code /var/lib/postgresql/.ssh/id_ed25519}
     * @param repo    the repository host, e.g. {@code postgres@eshua}, or null
     * @return the exception
     */
    public static Diagnosis keyMissing(PgBackRestFailure f, String keyPath, String repo) {
        String where = repo == null ? "the repository host" : repo;
        String user = repo != null && repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : "postgres";
        String address = repo == null ? "the repository host" : repo.substring(repo.indexOf('@') + 1);
        return Diagnosis.keyMissing(render(f, "The standby " + f.host() + " has no SSH key pair (no default"
                + " identity such as " + keyPath + "), so " + where + " refused it (Permission denied (publickey))",
                "Generate it as the user that runs pgBackRest: ssh-keygen -t ed25519 -N \"\" -f "
                        + Command.shellQuote(keyPath) + " (SshTrust.ensureKeyPair(standbyHost) does it), then install"
                        + " its .pub line in ~" + user + "/.ssh/authorized_keys on " + address + ":"
                        + " SshTrust.to(repository.withAccess(primaryHost)).authorize(standbyHost), or by hand."),
                keyPath, f);
    }

    /** @return pgBackRest's ERROR and WARN blocks (a first line plus its indented continuation lines) */
    static String blocks(String text) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : text.split("\\R")) {
            String stripped = line.replaceFirst("^\\S+ \\S+ P\\d+\\s+", ""); // drop "date time P00" log prefixes
            if (BLOCK_START.matcher(stripped).matches()) {
                in = !stripped.contains(HARMLESS_DELTA_WARNING);
                if (in) {
                    out.add(stripped);
                }
            } else if (in && !line.isBlank() && Character.isWhitespace(line.charAt(0))) {
                out.add(line);
            } else {
                in = false;
            }
        }
        return String.join("\n", out);
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\\R");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    /**
     * The rules of {@link #classify}, in the order they are tried: each names one cause, or returns null when the
     * failure is not that cause. Order matters where one code covers several causes (ssh before the permission
     * rule, a missing stanza before a missing backup).
     */
    private static final List<Function<Seen, Diagnosis>> RULES = List.of(Diagnostics::notInstalled,
            Diagnostics::versionGreeting, Diagnostics::sshFailure, Diagnostics::tlsFailure,
            Diagnostics::postgresRunning,
            Diagnostics::pathNotEmpty, Diagnostics::archiveTimeout, Diagnostics::permissionDenied,
            Diagnostics::stanzaNotFound, Diagnostics::stanzaSectionMissing, Diagnostics::noBackup,
            Diagnostics::archiveCommandInvalid, Diagnostics::archivingDisabled, Diagnostics::postgresUnreachable,
            Diagnostics::archiveGetFailed, Diagnostics::archivePushFailed);

    /**
     * What the rules read from a failure.
     *
     * @param f          the failure
     * @param ctx        what else is known
     * @param text       pgBackRest's error blocks and the output tail
     * @param code       pgBackRest's error code, or -1
     * @param viaRemote  whether pgBackRest's remote process (its SSH connection) terminated
     * @param remoteExit the remote process's exit code as printed, e.g. {@code 255}, or null
     * @param repo       the repository host for messages, or null when unknown
     * @param stanza     the stanza, or {@code NAME} when unknown
     */
    private record Seen(PgBackRestFailure f, Context ctx, String text, int code, boolean viaRemote,
            String remoteExit, String repo, String stanza) {
        static Seen of(PgBackRestFailure f, Context ctx) {
            String text = f.errorMessage() + "\n" + f.outputTail();
            Matcher remote = REMOTE.matcher(text);
            boolean viaRemote = remote.find();
            return new Seen(f, ctx, text, f.errorCode(), viaRemote, viaRemote ? remote.group(2) : null,
                    repository(f, ctx), ctx.stanzaOr("NAME"));
        }

        String repoOr(String fallback) {
            return repo == null ? fallback : repo;
        }
    }

    /**
     * @param f   the failure
     * @param ctx what else is known
     * @return the most specific diagnosis for it: the first rule that names its cause, else {@link Kind#OTHER}
     *         with pgBackRest's words and a hint for its error code
     */
    public static Diagnosis classify(PgBackRestFailure f, Context ctx) {
        Seen s = Seen.of(f, ctx);
        for (Function<Seen, Diagnosis> rule : RULES) {
            Diagnosis d = rule.apply(s);
            if (d != null) {
                return d;
            }
        }
        return Diagnosis.of(Kind.OTHER, render(f, "pgbackrest " + f.command() + " failed",
                genericHint(s.code(), s.stanza())), f);
    }

    private static Diagnosis notInstalled(Seen s) {
        PgBackRestFailure f = s.f();
        if (!(s.viaRemote() && "127".equals(s.remoteExit())
                || !s.viaRemote() && !f.hasErrorCode() && f.exitCode() == 127)) {
            return null;
        }
        String where = s.viaRemote() ? "the repository host " + s.repo() : f.host();
        return Diagnosis.of(Kind.NOT_INSTALLED, render(f, "pgbackrest is not installed on " + where
                + " (or not on the PATH of the user's login shell)",
                "Install it there (apt-get install pgbackrest), the same version as on every other host, or"
                        + " give its path: RepositoryHost.withCommand(\"/usr/bin/pgbackrest\") (repo1-host-cmd)"
                        + " for the repository host, PgBackRest.withExecutable(\"/usr/bin/pgbackrest\") for a"
                        + " host the library runs it on."), f);
    }

    private static Diagnosis versionGreeting(Seen s) {
        Matcher greeting = VERSION_GREETING.matcher(s.text());
        if (s.code() != PROTOCOL || !greeting.find()) {
            return null;
        }
        return versionMismatch(s.f(), greeting.group(1), greeting.group(2), s.f().host(),
                s.repoOr("the remote host"));
    }

    /**
     * pgBackRest's TLS client ({@code repo1-host-type=tls}): the server refused the client certificate ([105]
     * "raised from remote-0 tls protocol on 'HOST': access denied"), the standby does not trust the server's
     * certificate or the certificate does not name {@code repo1-host} ([095]), or nothing listens ([049], only
     * when the repository host is reached over TLS: S3 and the others raise it too).
     */
    private static Diagnosis tlsFailure(Seen s) {
        String t = s.text();
        String repo = s.repoOr("the repository host");
        if (t.contains("tls protocol on") && t.contains("access denied")) {
            return Diagnosis.of(Kind.TLS_CLIENT_REFUSED, render(s.f(), "The TLS server of " + repo + " refused"
                    + " this standby's client certificate (access denied)", "On the repository host, allow the"
                    + " certificate's CN for the stanza: a line tls-server-auth=<CN>=" + s.stanza() + " in [global]"
                    + " of its pgbackrest.conf (PgBackRestConfig.TlsServer.allow(cn, \"" + s.stanza() + "\")), then"
                    + " restart its pgbackrest server; check also that its tls-server-ca-file is the CA that signed"
                    + " the certificate"), s.f());
        }
        if (s.code() == TLS_CRYPTO && t.contains("unable to verify certificate presented by")) {
            return Diagnosis.of(Kind.TLS_CONNECTION, render(s.f(), "This standby does not trust the server"
                    + " certificate of " + repo + " (not signed by the CA in repo1-host-ca-file)", "Give the CA that"
                    + " signed the repository host's tls-server-cert-file: RepositoryHost.withTls(caFile, ...)"),
                    s.f());
        }
        if (s.code() == TLS_CRYPTO && t.contains("in certificate common name or subject alternative names")) {
            return Diagnosis.of(Kind.TLS_CONNECTION, render(s.f(), "The server certificate of " + repo + " does not"
                    + " name the address this standby uses (repo1-host)", "Reach it by a name its certificate has"
                    + " (RepositoryHost.at(\"<name in the certificate>\")), or issue it a certificate with that name"
                    + " as a subject alternative name"), s.f());
        }
        if (s.code() == HOST_CONNECT && s.repo() != null && s.repo().endsWith("(TLS)")) {
            return Diagnosis.of(Kind.TLS_CONNECTION, render(s.f(), "Nothing answers at the TLS server of " + repo,
                    "Start pgBackRest's server on the repository host as the repository's user (pgbackrest"
                            + " server, kept running by its service manager) with tls-server-address naming an"
                            + " address this standby reaches, and check the port (tls-server-port, default 8432)"
                            + " and the firewall"), s.f());
        }
        return null;
    }

    private static Diagnosis sshFailure(Seen s) {
        if (s.viaRemote() && "255".equals(s.remoteExit()) || "ssh".equals(s.f().command())) {
            return ssh(s.f(), s.text(), s.repoOr("the repository host"), null);
        }
        return null;
    }

    private static Diagnosis postgresRunning(Seen s) {
        if (s.code() != PG_RUNNING) {
            return null;
        }
        String dir = group(POSTMASTER, s.text(), "the data directory");
        return Diagnosis.of(Kind.POSTGRES_RUNNING, render(s.f(), "PostgreSQL is running in " + dir
                + " (postmaster.pid is present) and a restore must not overwrite a live cluster",
                "Stop it first (pg_ctl -D " + Command.shellQuote(dir) + " stop -m fast, or your service"
                        + " manager), then restore again. Remove postmaster.pid only if you are sure no server"
                        + " runs."), s.f());
    }

    private static Diagnosis pathNotEmpty(Seen s) {
        if (s.code() != PATH_NOT_EMPTY) {
            return null;
        }
        String dir = group(RESTORE_PATH, s.text(), "the target directory");
        return Diagnosis.of(Kind.PATH_NOT_EMPTY, render(s.f(), dir + " holds files and pgBackRest will not"
                + " overwrite them: --delta only reuses a directory that already holds a PostgreSQL cluster"
                + " (PG_VERSION or backup.manifest)", "Move its files away or restore elsewhere; for a standby the"
                + " library can empty it first: Standby.withEmptyDataDirectoryAllowed(true)."), s.f());
    }

    private static Diagnosis archiveTimeout(Seen s) {
        if (s.code() != ARCHIVE_TIMEOUT) {
            return null;
        }
        String seg = group(WAL_SEGMENT, s.text(), "a WAL segment");
        return Diagnosis.of(Kind.ARCHIVE_TIMEOUT, render(s.f(), "WAL segment " + seg + " did not reach the"
                + " repository within the archive timeout: the primary's archive_command is not working",
                "On the primary, check that archive_command is the one for this stanza"
                        + archiveCommandHint(s.ctx()) + " (especially --stanza and --config), look for 'archive"
                        + " command failed' in the PostgreSQL log, check that the repository is writable by"
                        + " the PostgreSQL user, and run pgbackrest --stanza=" + s.stanza() + " start if the stanza"
                        + " was stopped."), s.f());
    }

    private static Diagnosis permissionDenied(Seen s) {
        String t = s.text();
        Matcher denied = DENIED_FILE.matcher(t);
        if (denied.find() || t.contains("Permission denied") && !t.contains("Permission denied (publickey")) {
            return repositoryPermission(s.f(), denied.find(0) ? denied.group(1) : null);
        }
        return null;
    }

    private static Diagnosis stanzaNotFound(Seen s) {
        if (!stanzaMissing(s.code(), s.text())) {
            return null;
        }
        String stanza = s.stanza();
        return Diagnosis.of(Kind.STANZA_NOT_FOUND, render(s.f(), "Stanza '" + stanza + "' does not exist in the"
                + " repository" + (s.repo() == null ? "" : " on " + s.repo()), "On the repository host, as the user"
                + " that owns the repository, run: pgbackrest --stanza=" + stanza + " stanza-create && pgbackrest"
                + " --stanza=" + stanza + " check (PgBackRestPrimary.prepare(pgBackRest) does both and takes the"
                + " first full backup). If it does exist, check that every host uses the same stanza name and"
                + " the same repo1-path."), s.f());
    }

    private static Diagnosis stanzaSectionMissing(Seen s) {
        if (s.code() != OPTION_REQUIRED || !s.text().contains("does this stanza exist?")) {
            return null;
        }
        return Diagnosis.of(Kind.STANZA_NOT_FOUND, render(s.f(), "The pgBackRest configuration on " + s.f().host()
                + " has no [" + s.stanza() + "] section with pg1-path, so pgBackRest does not know the stanza there",
                "Add the section to the file pgBackRest reads there (StanzaSection.named(\"" + s.stanza() + "\")"
                        + ".withPgPath(...) in PgBackRestConfig), or pass the file with --config"
                        + " (PgBackRest.withConfigPath)."), s.f());
    }

    private static Diagnosis noBackup(Seen s) {
        if (s.code() != BACKUP_SET_INVALID) {
            return null;
        }
        return Diagnosis.of(Kind.NO_BACKUP, render(s.f(), "The repository holds stanza '" + s.stanza() + "' but no"
                + " backup to restore", "Take one on the repository host: pgbackrest --stanza=" + s.stanza()
                + " --type=full backup (PgBackRestPrimary.prepare(pgBackRest) does it when none exists). Until then"
                + " a standby can be cloned with pg_basebackup: Standby.withCloneMethods(PgBackRestRestore.from(...),"
                + " BaseBackup.defaults())."), s.f());
    }

    private static Diagnosis archiveCommandInvalid(Seen s) {
        if (s.code() != ARCHIVE_COMMAND_INVALID) {
            return null;
        }
        return Diagnosis.of(Kind.ARCHIVE_PUSH, render(s.f(), "The primary's archive_command does not call pgBackRest",
                "Set it with PgBackRestPrimary.withArchiving(settings, pgBackRest)" + archiveCommandHint(s.ctx())
                        + ", then reload the primary."), s.f());
    }

    private static Diagnosis archivingDisabled(Seen s) {
        if (s.code() != ARCHIVE_DISABLED) {
            return null;
        }
        return Diagnosis.of(Kind.ARCHIVE_PUSH, render(s.f(), "Archiving is off on the primary (archive_mode)",
                "Set archive_mode = on (it needs a restart) and archive_command" + archiveCommandHint(s.ctx())
                        + ": PgBackRestPrimary.withArchiving(settings, pgBackRest) sets both."), s.f());
    }

    private static Diagnosis postgresUnreachable(Seen s) {
        if (s.code() != DB_CONNECT && !(s.code() == CONFIG && s.text().contains("DbConnectError"))) {
            return null;
        }
        String stanza = s.stanza();
        return Diagnosis.of(Kind.POSTGRES_UNREACHABLE, render(s.f(), "pgBackRest cannot connect to PostgreSQL for"
                + " stanza '" + stanza + "'", "Check pg1-port and pg1-socket-path in the [" + stanza + "] section:"
                + " they must match the server's port and unix_socket_directories. pgBackRest connects over the Unix"
                + " socket as the user it runs as; check that the server runs."), s.f());
    }

    private static Diagnosis archiveGetFailed(Seen s) {
        if (!"archive-get".equals(s.f().command())) {
            return null;
        }
        return Diagnosis.of(Kind.ARCHIVE_GET, render(s.f(), "The standby cannot fetch WAL from the repository with"
                + " archive-get (its restore_command), so it cannot catch up from the archive",
                "Check that the primary's archive_command works (pgbackrest --stanza=" + s.stanza() + " check on"
                        + " the primary), and that the repository is readable by the user that owns it."), s.f());
    }

    private static Diagnosis archivePushFailed(Seen s) {
        if (!"archive-push".equals(s.f().command())) {
            return null;
        }
        return Diagnosis.of(Kind.ARCHIVE_PUSH, render(s.f(), "pgbackrest archive-push failed: WAL is not reaching"
                + " the repository", "Check the repository is writable by the PostgreSQL user and archive_command"
                + archiveCommandHint(s.ctx()) + "."), s.f());
    }

    private static boolean stanzaMissing(int code, String t) {
        boolean infoFileMissing = t.contains("unable to load info file") && (t.contains("FileMissingError")
                || t.contains("unable to open missing file"));
        return code == FILE_MISSING && (infoFileMissing || t.contains("stanza-create"))
                || code == REPO_INVALID && infoFileMissing
                || code == BACKUP_SET_INVALID && infoFileMissing && t.contains("has a stanza-create been performed");
    }

    /**
     * Classifies an ssh client failure (from pgBackRest's remote or from a direct {@code ssh ... true}).
     *
     * @param f         the failure
     * @param text      the text to look in
     * @param repo      the repository host for messages, e.g. {@code postgres@eshua}
     * @param publicKey the standby's public key when known, for the not-authorized message
     * @return the exception, or null when the text shows no known ssh failure
     */
    public static Diagnosis ssh(PgBackRestFailure f, String text, String repo, String publicKey) {
        if (text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
            String pattern = group(CHANGED_HOST, text, "HOST");
            return Diagnosis.hostKey(render(f, "The repository host " + repo + " presented an SSH host key that"
                    + " differs from the one pinned in the standby's known_hosts",
                    "If the repository host was reinstalled, remove the old entry (ssh-keygen -R "
                    + Command.shellQuote(pattern) + " -f ~/.ssh/known_hosts) and pin the new key with"
                    + " SshTrust.pinHostKey(standbyHost); otherwise treat it as a possible man-in-the-middle and"
                    + " find out why it changed."), group(SENT_HOST_KEY, text, null), f);
        }
        if (text.contains("Host key verification failed") || text.contains("host key is known for")) {
            return Diagnosis.hostKey(render(f, "The standby has no pinned SSH host key for " + repo
                    + " (Host key verification failed), and unknown host keys are never accepted blindly",
                    "Pin it: SshTrust.to(repository.withAccess(primaryHost)).pinHostKey(standbyHost) reads"
                            + " /etc/ssh/ssh_host_ed25519_key.pub through the repository host's own Host; by hand,"
                            + " append '<address> <contents of that file>' to ~/.ssh/known_hosts of the standby's"
                            + " pgBackRest user. Do not use StrictHostKeyChecking=no or an unchecked ssh-keyscan."),
                    null, f);
        }
        if (text.contains("Permission denied (publickey") || text.contains("Too many authentication failures")) {
            String user = repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : "postgres";
            String fix = "Add the standby user's public key (~/.ssh/id_ed25519.pub on the standby;"
                    + " SshTrust.publicKey(standbyHost) returns it) to ~" + user + "/.ssh/authorized_keys on the"
                    + " repository host, with chmod 700 ~/.ssh and chmod 600 ~/.ssh/authorized_keys, or let the"
                    + " library do it: SshTrust.to(repository.withAccess(primaryHost)).authorize(standbyHost). If no"
                    + " key was ever generated on the standby, generate it first: ssh-keygen -t ed25519 -N \"\" -f"
                    + " ~/.ssh/id_ed25519 (SshTrust.ensureKeyPair). If the key is installed and still refused, the"
                    + " account may be locked for sshd without PAM ('account is locked' in sshd's log): unlock it"
                    + " with usermod -p '*' " + user + ".";
            if (publicKey != null) {
                fix += System.lineSeparator() + "On the repository host, as " + user + ":" + System.lineSeparator()
                        + "  install -d -m 0700 ~/.ssh && echo " + Command.shellQuote(publicKey)
                        + " >> ~/.ssh/authorized_keys && chmod 0600 ~/.ssh/authorized_keys";
            }
            return Diagnosis.keyNotAuthorized(render(f, "The repository host " + repo + " refused the standby's"
                    + " SSH key (Permission denied (publickey))", fix), publicKey, f);
        }
        for (String reason : List.of("Connection refused", "Connection timed out", "No route to host",
                "Could not resolve hostname", "Name or service not known", "Temporary failure in name resolution",
                "Network is unreachable", "Connection reset", "Connection closed by", "kex_exchange_identification",
                "Operation timed out")) {
            if (text.contains(reason)) {
                return Diagnosis.of(Kind.SSH_CONNECTION, render(f, "The standby cannot reach the SSH server of " + repo
                        + " (" + reason + ")", "Check that sshd runs on the repository host and listens on the"
                        + " port given as repo1-host-port (22 by default), that the name resolves from the standby,"
                        + " and that no firewall blocks connections from the standby to it."), f);
            }
        }
        return null;
    }

    /**
     * @param f             the failure, or null when found by comparing {@code pgbackrest version}
     * @param local         version on {@code localHost}
     * @param remote        version on {@code remoteHost}
     * @param localHost     first host
     * @param remoteHost    second host
     * @return the exception
     */
    public static Diagnosis versionMismatch(PgBackRestFailure f, String local, String remote,
            String localHost, String remoteHost) {
        String headline = "pgBackRest versions differ: " + local + " on " + localHost + ", " + remote + " on "
                + remoteHost + "; pgBackRest needs the exact same version on both ends of its SSH connection";
        String fix = "Install the same version on both hosts (for example apt-get install pgbackrest=" + local
                + "-*, from the same package repository on both).";
        return Diagnosis.versionMismatch(f == null ? headline + ". " + fix : render(f, headline, fix), local,
                remote, f);
    }

    private static Diagnosis repositoryPermission(PgBackRestFailure f, String file) {
        String root = file == null ? "the repository path" : repositoryRoot(file);
        String effect = switch (f.command()) {
            case "archive-get" -> " Until then the standby cannot restore WAL from the archive.";
            case "archive-push", "check", "backup" -> " Until then the primary's archive_command fails and WAL"
                    + " piles up in pg_wal.";
            default -> "";
        };
        return Diagnosis.of(Kind.REPOSITORY_PERMISSION, render(f, "pgBackRest was denied access to "
                + (file == null ? "a file" : "'" + file + "'") + " in the repository", "The repository must belong"
                + " to the user that runs pgBackRest and PostgreSQL: on the repository host run chown -R"
                + " postgres:postgres " + Command.shellQuote(root) + " && chmod 750 " + Command.shellQuote(root)
                + ", and run pgBackRest as that user, not root." + effect), f);
    }

    /** @return the repository root for a file inside it (the part before /archive/ or /backup/) */
    static String repositoryRoot(String file) {
        for (String marker : List.of("/archive/", "/backup/")) {
            int i = file.indexOf(marker);
            if (i > 0) {
                return file.substring(0, i);
            }
        }
        return file;
    }

    private static String archiveCommandHint(Context ctx) {
        return ctx.archiveCommand() == null ? "" : " (archive_command = '" + ctx.archiveCommand() + "')";
    }

    private static String genericHint(int code, String stanza) {
        return switch (code) {
            case LOCK_ACQUIRE -> "Another pgBackRest command holds the stanza's lock: wait for it to finish (pgbackrest"
                    + " --stanza=" + stanza + " info shows a running backup), then retry.";
            case STOP -> "The stanza was stopped with pgbackrest stop: run pgbackrest --stanza=" + stanza + " start.";
            case ARCHIVE_MISMATCH, BACKUP_MISMATCH, DB_MISMATCH -> "The stanza was created for another cluster (its"
                    + " system identifier or PostgreSQL version differs). After a major upgrade run pgbackrest"
                    + " --stanza=" + stanza + " stanza-upgrade; if pg1-path points at the wrong cluster, fix it.";
            default -> "Read pgBackRest's message above; pgbackrest help <command> describes the options.";
        };
    }

    private static String group(Pattern p, String text, String fallback) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    /**
     * @param f        the failure
     * @param headline what went wrong, without final period
     * @param fix      what to do
     * @return the message: headline, fix, pgBackRest's own words, and the command
     */
    static String render(PgBackRestFailure f, String headline, String fix) {
        StringBuilder sb = new StringBuilder();
        sb.append(headline).append('.')
                .append(System.lineSeparator()).append("What to do: ").append(fix);
        if (!f.errorMessage().isBlank()) {
            sb.append(System.lineSeparator()).append("ssh".equals(f.command()) ? "ssh said (" : "pgBackRest said (")
                    .append(f.codeLabel()).append("):")
                    .append(System.lineSeparator()).append(f.errorMessage().strip().indent(2).stripTrailing());
        }
        sb.append(System.lineSeparator()).append("Command on ").append(f.host()).append(" (exit code ")
                .append(f.exitCode()).append("): ").append(f.commandLine());
        return sb.toString();
    }
}
