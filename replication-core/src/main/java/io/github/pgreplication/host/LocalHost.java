package io.github.pgreplication.host;

import io.github.pgreplication.internal.PostgresPrograms;
import io.github.pgreplication.internal.ProcessRunner;
import io.github.pgreplication.internal.ReadWithMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * This machine. Commands run as the current user, or through a prefix that switches user, which is how a
 * program running as root runs PostgreSQL's tools as {@code postgres} (PostgreSQL refuses to run as root).
 *
 * <pre>{@code
 * Host host = LocalHost.current();
 * Host asPostgres = LocalHost.runAs("postgres");                          // runuser -u postgres -- ...
 * Host openBsd = LocalHost.withPrefix(List.of("doas", "-u", "_postgresql")); // the first runbook's machines
 * }</pre>
 */
public final class LocalHost implements Host {
    private final List<String> prefix;
    private final String name;
    private final String binaries;

    private LocalHost(List<String> prefix, String name, String binaries) {
        this.prefix = List.copyOf(prefix);
        this.name = name;
        this.binaries = binaries;
    }

    /** @return this machine, commands run as the current user */
    public static LocalHost current() {
        return new LocalHost(List.of(), "local", null);
    }

    /**
     * @param user the user commands run as, through {@code runuser -u USER --} (util-linux; needs root)
     * @return this machine, commands run as {@code user}
     */
    public static LocalHost runAs(String user) {
        Objects.requireNonNull(user, "user must not be null: give e.g. \"postgres\"");
        return new LocalHost(List.of("runuser", "-u", user, "--"), "local:" + user, null);
    }

    /**
     * @param prefix program and arguments every command is run through, e.g. {@code doas -u _postgresql}
     * @return this machine, commands run through {@code prefix}
     */
    public static LocalHost withPrefix(List<String> prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null: give e.g. List.of(\"doas\", \"-u\", \"_postgresql\")");
        prefix.forEach(a -> Objects.requireNonNull(a, "a prefix argument must not be null"));
        return new LocalHost(prefix, "local:" + String.join(" ", prefix), null);
    }

    /**
     * @param directory where PostgreSQL's programs are, e.g. {@code /usr/lib/postgresql/17/bin} (Debian keeps
     *                  pg_ctl and pg_controldata there, off the PATH)
     * @return a copy running pg_ctl, pg_basebackup, psql... from that directory
     */
    public LocalHost withPostgresBinaries(String directory) {
        return new LocalHost(prefix, name, directory);
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
        Command resolved = PostgresPrograms.resolve(command, binaries);
        return ProcessRunner.run(name, prefix.isEmpty() ? resolved : resolved.prefixedWith(prefix), resolved);
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
