package io.github.pgreplication.host;

import io.github.pgreplication.internal.PostgresPrograms;
import io.github.pgreplication.internal.RoundTrips;
import io.github.pgreplication.internal.ProcessRunner;
import io.github.pgreplication.internal.ReadWithMode;
import io.github.pgreplication.internal.SshRules;
import io.github.pgreplication.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * This machine. Commands run as the current user, or as another user through {@code su}, {@code doas}, {@code sudo}
 * or {@code runuser} ({@link UserSwitch}), which is how a program running as root runs PostgreSQL's tools as
 * {@code postgres} (PostgreSQL refuses to run as root), or through any prefix.
 *
 * <pre>{@code
 * Host host = LocalHost.current();
 * Host asPostgres = LocalHost.runAs("postgres");                           // su postgres -c ... (any Unix, as root)
 * Host openBsd = LocalHost.runAs("_postgresql", LocalHost.UserSwitch.DOAS); // doas -n -u _postgresql -- ...
 * Host linux = LocalHost.runAs("postgres", LocalHost.UserSwitch.RUNUSER);   // runuser -u postgres -- ... (util-linux)
 * }</pre>
 *
 * <p>Every argument still reaches the program as it is: {@code su} runs a constant script through the user's login
 * shell ({@code exec "$@"}), with the program and its arguments as the script's arguments, never as shell text. No
 * secret is ever put in argv: {@code doas} and {@code sudo} clear the environment, so the command's variables travel
 * as {@code env NAME=value} arguments, except those holding a secret (a value the command redacts, as
 * {@code PGPASSWORD} for pg_rewind), which stay in the environment of {@code doas} or {@code sudo} only and reach
 * the program when their configuration keeps them ({@code doas.conf}: {@code setenv { PGPASSWORD }} or
 * {@code keepenv}; sudoers: {@code env_keep += "PGPASSWORD"}).
 */
public final class LocalHost implements Host {
    /**
     * How commands switch to another user. Each needs the right to do so without a password: {@code su} and
     * {@code runuser} as root, {@code doas} a {@code nopass} rule in {@code doas.conf}, {@code sudo} a
     * {@code NOPASSWD} rule in sudoers (both are run non-interactively, {@code -n}, so a password prompt fails
     * instead of waiting).
     */
    public enum UserSwitch {
        /**
         * {@code su USER -c 'exec "$@"' -- PROGRAM ARGS...}, the script written for both readings of {@code su}'s
         * arguments (util-linux, the BSDs, macOS). On every Unix; needs root, and the user's login shell must be a
         * POSIX shell ({@code sh}, {@code ksh}, {@code bash}, {@code dash}; not {@code nologin}). The environment is
         * kept, except {@code HOME}, {@code SHELL}, {@code USER} and {@code LOGNAME}.
         */
        SU,
        /**
         * {@code doas -n -u USER -- [env NAME=value...] PROGRAM ARGS...}: OpenBSD's (and OpenDoas on Linux), with a
         * rule such as {@code permit nopass app as _postgresql} in {@code doas.conf}.
         */
        DOAS,
        /** {@code sudo -n -u USER -- [env NAME=value...] PROGRAM ARGS...}, with a {@code NOPASSWD} rule in sudoers. */
        SUDO,
        /**
         * {@code runuser -u USER -- PROGRAM ARGS...}: Linux's util-linux only (not POSIX, not on the BSDs); needs root,
         * opens no login session per command and keeps the environment.
         */
        RUNUSER
    }

    /** su's script: util-linux passes the program as {@code $0}, the BSDs' su pass {@code --} first. */
    static final String SU_SCRIPT = "[ \"$0\" = -- ] || set -- \"$0\" \"$@\"; exec \"$@\"";

    private final List<String> prefix;
    private final UserSwitch userSwitch;
    private final String user;
    private final String name;
    private final String binaries;

    private LocalHost(List<String> prefix, UserSwitch userSwitch, String user, String name, String binaries) {
        this.prefix = List.copyOf(prefix);
        this.userSwitch = userSwitch;
        this.user = user;
        this.name = name;
        this.binaries = binaries;
    }

    /** @return this machine, commands run as the current user */
    public static LocalHost current() {
        return new LocalHost(List.of(), null, null, "local", null);
    }

    /**
     * @param user the user commands run as, through {@code su} ({@link UserSwitch#SU}: any Unix; needs root)
     * @return this machine, commands run as {@code user}
     * @throws IllegalArgumentException when {@code user} is not a login name
     */
    public static LocalHost runAs(String user) {
        return runAs(user, UserSwitch.SU);
    }

    /**
     * @param user the user commands run as: a login name (1 to 32 letters, digits, {@code .}, {@code _} or
     *             {@code -}, not starting with {@code -}), e.g. {@code postgres} or OpenBSD's {@code _postgresql}
     * @param how  how to switch to it
     * @return this machine, commands run as {@code user}
     * @throws IllegalArgumentException when {@code user} is not a login name
     */
    public static LocalHost runAs(String user, UserSwitch how) {
        Objects.requireNonNull(user, "user must not be null: give e.g. \"postgres\"");
        Objects.requireNonNull(how, "the user switch must not be null: give e.g. LocalHost.UserSwitch.SU");
        if (!SshRules.isLogin(user)) {
            throw new IllegalArgumentException("user '" + Text.printable(user) + "' is not a login name: it must be"
                    + " 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' (" + how.name().toLowerCase(
                    Locale.ROOT) + " would read a leading '-' as an option). Give the account's name, e.g."
                    + " LocalHost.runAs(\"postgres\").");
        }
        return new LocalHost(List.of(), how, user, "local:" + user, null);
    }

    /**
     * @param prefix program and arguments every command is run through, e.g. {@code doas -u _postgresql}; the
     *               command's environment is given to the prefix's process
     * @return this machine, commands run through {@code prefix}
     */
    public static LocalHost withPrefix(List<String> prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null: give e.g. List.of(\"doas\", \"-u\", \"_postgresql\")");
        prefix.forEach(a -> Objects.requireNonNull(a, "a prefix argument must not be null"));
        return new LocalHost(prefix, null, null, "local:" + String.join(" ", prefix), null);
    }

    /**
     * @param directory where PostgreSQL's programs are, e.g. {@code /usr/lib/postgresql/17/bin} (Debian keeps
     *                  pg_ctl and pg_controldata there, off the PATH)
     * @return a copy running pg_ctl, pg_basebackup, psql... from that directory
     * @throws IllegalArgumentException when it is not an absolute path without '..' or control characters
     */
    public LocalHost withPostgresBinaries(String directory) {
        return new LocalHost(prefix, userSwitch, user, name, PostgresPrograms.directory(directory));
    }

    @Override
    public String name() {
        return name;
    }

    /** @return {@code local}: every LocalHost is this machine */
    @Override
    public String machine() {
        return "local";
    }

    @Override
    public CommandResult execute(Command command) {
        RoundTrips.command();
        Command resolved = PostgresPrograms.resolve(command, binaries);
        return ProcessRunner.run(name, switched(resolved), resolved);
    }

    /**
     * @param command a command, its programs resolved
     * @return what is run: the command through the user switch or prefix, its environment kept for that process
     */
    Command switched(Command command) {
        if (userSwitch == null) {
            return prefix.isEmpty() ? command : command.prefixedWith(prefix);
        }
        List<String> through = new ArrayList<>();
        switch (userSwitch) {
            case SU -> through.addAll(List.of("su", user, "-c", SU_SCRIPT, "--"));
            case RUNUSER -> through.addAll(List.of("runuser", "-u", user, "--"));
            case DOAS, SUDO -> {
                through.addAll(List.of(userSwitch == UserSwitch.DOAS ? "doas" : "sudo", "-n", "-u", user, "--"));
                List<String> variables = new ArrayList<>();
                for (Map.Entry<String, String> e : command.environment().entrySet()) {
                    // a secret never goes in argv: it stays in doas's or sudo's environment only
                    if (!command.redacts(e.getValue())) {
                        variables.add(e.getKey() + "=" + e.getValue());
                    }
                }
                if (!variables.isEmpty()) {
                    through.add("env");
                    through.addAll(variables);
                }
            }
            default -> throw new IllegalStateException("unknown user switch " + userSwitch);
        }
        return command.prefixedWith(through);
    }

    /** One process instead of two, as {@link SshHost} does: {@code sh -c 'm=$(ls -ldL ...) && ... cat ...' sh PATH}. */
    @Override
    public Optional<FileWithMode> readFileWithMode(String path) {
        return ReadWithMode.read(this, path);
    }

    @Override
    public String toString() {
        return name;
    }
}
