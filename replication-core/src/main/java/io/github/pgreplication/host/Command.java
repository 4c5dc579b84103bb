package io.github.pgreplication.host;

import io.github.pgreplication.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A program to run: an argument list (never a shell string), environment variables, an optional standard input,
 * a timeout, and an optional listener for its output lines. Immutable; {@code withX} returns a copy.
 *
 * <p>Secrets never go in arguments: pass a file path (a 0600 passfile) instead. Values registered with
 * {@link #withRedacted(Secret)} are replaced by {@code ****} in logs and exception messages anyway.
 *
 * <pre>{@code
 * Command.of("pg_ctl", "-D", "/var/lib/postgresql/data", "-w", "start").withTimeout(Duration.ofMinutes(2));
 * }</pre>
 */
public final class Command {
    /** Default timeout: 10 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final List<String> argv;
    private final Map<String, String> environment;
    private final byte[] stdin;
    private final Duration timeout;
    private final Consumer<String> outputListener;
    private final List<Secret> redacted;
    private final boolean outputLogged;

    private Command(List<String> argv, Map<String, String> environment, byte[] stdin, Duration timeout,
            Consumer<String> outputListener, List<Secret> redacted, boolean outputLogged) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        for (String a : argv) {
            Objects.requireNonNull(a, "command argument must not be null: give every argument as text");
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument '" + io.github.pgreplication.Problem.shown(a)
                        + "' contains a NUL character, which no program can receive in its arguments");
            }
        }
        this.argv = List.copyOf(argv);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        this.stdin = stdin;
        this.timeout = timeout;
        this.outputListener = outputListener;
        this.redacted = List.copyOf(redacted);
        this.outputLogged = outputLogged;
    }

    /**
     * @param program program name or path
     * @param args its arguments, each passed as is
     * @return the command
     */
    public static Command of(String program, String... args) {
        Objects.requireNonNull(program, "program must not be null: give e.g. \"pg_ctl\"");
        Objects.requireNonNull(args, "arguments must not be null: give none, or each as text");
        List<String> all = new ArrayList<>();
        all.add(program);
        all.addAll(java.util.Arrays.asList(args));
        return of(all);
    }

    /**
     * @param argv program and arguments
     * @return the command
     */
    public static Command of(List<String> argv) {
        Objects.requireNonNull(argv, "argv must not be null: give e.g. List.of(\"pg_ctl\", \"status\")");
        return new Command(argv, Map.of(), null, DEFAULT_TIMEOUT, null, List.of(), true);
    }

    /**
     * @param args arguments to append
     * @return a copy
     */
    public Command withArgs(String... args) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(args));
        return new Command(all, environment, stdin, timeout, outputListener, redacted, outputLogged);
    }

    /**
     * @param prefix program and arguments to run this command through (e.g. runuser)
     * @return a copy
     */
    public Command prefixedWith(List<String> prefix) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(argv);
        return new Command(all, environment, stdin, timeout, outputListener, redacted, outputLogged);
    }

    /**
     * @param newArgv replacement argument list
     * @return a copy with everything else kept
     */
    public Command withArgv(List<String> newArgv) {
        return new Command(newArgv, environment, stdin, timeout, outputListener, redacted, outputLogged);
    }

    /**
     * @param name variable name
     * @param value value; must not be a secret
     * @return a copy
     */
    public Command withEnvironment(String name, String value) {
        Objects.requireNonNull(name, "environment variable name must not be null");
        Objects.requireNonNull(value, "value of environment variable " + name + " must not be null");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Command(argv, env, stdin, timeout, outputListener, redacted, outputLogged);
    }

    /**
     * @param input bytes fed to standard input (never logged)
     * @return a copy
     */
    public Command withStdin(byte[] input) {
        Objects.requireNonNull(input, "standard input must not be null: give the bytes, e.g. new byte[0]");
        return new Command(argv, environment, input.clone(), timeout, outputListener, redacted, outputLogged);
    }

    /**
     * For a command whose output may hold a secret (the content of a key, a passfile, a configuration file with
     * credentials): its output lines are not written to the debug log. The caller still gets them in the result.
     *
     * @return a copy whose output is never logged
     */
    public Command withOutputNotLogged() {
        return new Command(argv, environment, stdin, timeout, outputListener, redacted, false);
    }

    /** @return false when {@link #withOutputNotLogged()} was asked */
    public boolean outputLogged() {
        return outputLogged;
    }

    /**
     * @param limit how long the program may run; default 10 minutes
     * @return a copy
     */
    public Command withTimeout(Duration limit) {
        io.github.pgreplication.internal.Durations.positive("timeout", limit, "Duration.ofMinutes(2)");
        return new Command(argv, environment, stdin, limit, outputListener, redacted, outputLogged);
    }

    /**
     * @param listener receives each line of standard output and error as it arrives
     * @return a copy
     */
    public Command withOutputListener(Consumer<String> listener) {
        return new Command(argv, environment, stdin, timeout, listener, redacted, outputLogged);
    }

    /**
     * @param secret a value to hide in logs and messages
     * @return a copy
     */
    public Command withRedacted(Secret secret) {
        Objects.requireNonNull(secret, "secret must not be null: give the Secret to hide");
        List<Secret> all = new ArrayList<>(redacted);
        all.add(secret);
        return new Command(argv, environment, stdin, timeout, outputListener, all, outputLogged);
    }

    /**
     * @param value a value of this command, e.g. an environment variable's
     * @return whether it holds a secret this command redacts: such a value never goes in argv
     */
    boolean redacts(String value) {
        return !redact(value).equals(value);
    }

    /** @return program and arguments */
    public List<String> argv() {
        return argv;
    }

    /** @return environment variables added for this command */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return standard input, or null */
    public byte[] stdin() {
        return stdin == null ? null : stdin.clone();
    }

    /** @return the timeout */
    public Duration timeout() {
        return timeout;
    }

    /** @return the output line listener, or null */
    public Consumer<String> outputListener() {
        return outputListener;
    }

    /**
     * @param text any text from or about this command
     * @return the text with registered secrets removed
     */
    public String redact(String text) {
        String out = text;
        for (Secret s : redacted) {
            out = s.redact(out);
        }
        return out;
    }

    /** @return the command line as a person would type it in a POSIX shell, secrets removed */
    public String toCommandLine() {
        StringBuilder sb = new StringBuilder();
        environment.forEach((k, v) -> sb.append(k).append('=').append(quoteRedacted(v)).append(' '));
        for (int i = 0; i < argv.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(quoteRedacted(argv.get(i)));
        }
        return redact(sb.toString());
    }

    /** Redacts before quoting (a secret with a quote would not match after), then shows the mask as ****. */
    private String quoteRedacted(String value) {
        String token = "PGREPLICATIONREDACTED";
        String masked = redact(value).replace("****", token);
        return shellQuote(masked).replace(token, "****");
    }

    /**
     * @param arg any text
     * @return the text quoted for a POSIX shell: unchanged when plain, else in single quotes
     */
    public static String shellQuote(String arg) {
        if (!arg.isEmpty() && PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    @Override
    public String toString() {
        return toCommandLine();
    }
}
