package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.internal.WriteAtomically;
import io.github.pgreplication.pgbackrest.internal.StandbyProbe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link Host} for unit tests of command construction: it records every command and emulates the few POSIX
 * programs the core's default file operations use ({@code test}, {@code cat}, {@code mkdir}, {@code chmod},
 * {@code chown}, {@code rm}, {@code id}, {@code getent}, and the two file-writing {@code sh} scripts) over an
 * in-memory file system. Anything else is answered by scripted responses (default: exit 0, no output). Real behaviour is the
 * integration tests' job.
 */
final class FakeHost implements Host {
    private static final Set<String> EMULATED = Set.of("test", "cat", "mkdir", "id", "getent",
            "rm");
    final String name;
    final String user;
    final String home;
    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, String> modes = new HashMap<>();
    final Set<String> dirs = new HashSet<>(Set.of("/", "/etc", "/tmp"));
    final Set<String> readOnly = new HashSet<>();
    /** Files that exist but the host's user cannot read (for the probe's checks). */
    final Set<String> unreadable = new HashSet<>();
    final List<Command> commands = new ArrayList<>();
    private final List<Map.Entry<Predicate<List<String>>, Function<Command, CommandResult>>> responses =
            new ArrayList<>();

    FakeHost(String name, String user, String home) {
        this.name = name;
        this.user = user;
        this.home = home;
        dirs.add(home);
    }

    static FakeHost postgres(String name) {
        return new FakeHost(name, "postgres", "/var/lib/postgresql");
    }

    /** Answers commands whose argv starts with {@code prefix}; later rules win. */
    FakeHost on(List<String> prefix, Function<Command, CommandResult> response) {
        responses.add(0, Map.entry(argv -> argv.size() >= prefix.size() && argv.subList(0, prefix.size())
                .equals(prefix), response));
        return this;
    }

    FakeHost onContaining(String arg, Function<Command, CommandResult> response) {
        responses.add(0, Map.entry(argv -> argv.contains(arg), response));
        return this;
    }

    static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    static CommandResult fail(int exit, String stderr) {
        return new CommandResult(exit, "", stderr);
    }

    FakeHost file(String path, String content) {
        files.put(path, content);
        return this;
    }

    /** @return every command line run that is not one of the emulated file programs, nor a file-writing script */
    List<List<String>> programs() {
        List<List<String>> out = new ArrayList<>();
        for (Command c : commands) {
            if (!EMULATED.contains(c.argv().get(0)) && !isAtomicWrite(c.argv()) && !isInPlaceWrite(c.argv())
                    && !isProbe(c.argv())) {
                out.add(c.argv());
            }
        }
        return out;
    }

    List<List<String>> argvs() {
        return commands.stream().map(Command::argv).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized CommandResult execute(Command command) {
        commands.add(command);
        if (isProbe(command.argv())) {
            return probe(command.argv());
        }
        return respond(command);
    }

    /** @return whether it is the restore's probe ({@link StandbyProbe}): {@code sh -c SCRIPT sh B CONFIG EXE SSH...} */
    static boolean isProbe(List<String> a) {
        return a.size() >= 9 && a.get(0).equals("sh") && a.get(2).equals(StandbyProbe.SCRIPT);
    }

    /** The probe over the in-memory files, its version and ssh answered as those commands would be (not recorded). */
    private CommandResult probe(List<String> a) {
        String b = a.get(4);
        StringBuilder out = new StringBuilder();
        int n = Integer.parseInt(a.get(8));
        for (int i = 1; i <= n; i++) {
            String f = a.get(8 + i);
            out.append(b).append(" file ").append(i).append(' ').append(files.containsKey(f)
                    ? (unreadable.contains(f) ? 1 : 0) : 2).append('\n');
        }
        out.append(b).append(" user\n").append(user).append('\n').append(b).append(" home\n").append(home)
                .append('\n');
        String key = home + "/.ssh/id_ed25519";
        if (files.containsKey(key)) {
            out.append(b).append(" key\n").append(files.getOrDefault(key + ".pub", "")).append('\n');
        }
        if (files.containsKey(home + "/.ssh/known_hosts")) {
            out.append(b).append(" known_hosts\n").append(files.get(home + "/.ssh/known_hosts")).append('\n');
        }
        if (!a.get(5).isEmpty() && files.containsKey(a.get(5))) {
            out.append(b).append(" config\n").append(files.get(a.get(5))).append('\n');
        }
        if (!a.get(7).isEmpty() && files.containsKey(a.get(7)) && !unreadable.contains(a.get(7))) {
            out.append(b).append(" cert\n").append(files.get(a.get(7))).append('\n');
        }
        CommandResult v = respond(Command.of(a.get(6), "version"));
        out.append(b).append(" version ").append(v.exitCode()).append('\n').append(v.stdout().strip()).append('\n');
        if (a.size() > 9 + n && files.containsKey(key)) {
            CommandResult ssh = respond(Command.of(a.subList(9 + n, a.size())));
            out.append(b).append(" ssh ").append(ssh.exitCode()).append('\n')
                    .append((ssh.stdout() + ssh.stderr()).strip()).append('\n');
        }
        return ok(out.append(b).append(" end\n").toString());
    }

    private CommandResult respond(Command command) {
        List<String> a = command.argv();
        for (Map.Entry<Predicate<List<String>>, Function<Command, CommandResult>> r : responses) {
            if (r.getKey().test(a)) {
                return r.getValue().apply(command);
            }
        }
        String last = a.get(a.size() - 1);
        switch (a.get(0)) {
            case "test":
                boolean exists = files.containsKey(last) || dirs.contains(last);
                if (a.get(1).equals("-w")) {
                    return result(exists && !readOnly.contains(last));
                }
                return result(exists);
            case "cat":
                return files.containsKey(last) ? ok(files.get(last)) : fail(1, "cat: " + last + ": No such file");
            case "sh":
                if (isAtomicWrite(a)) {
                    String path = a.get(4);
                    if (readOnly.contains(parent(path))) {
                        return fail(2, "sh: 1: cannot create " + path
                                + ".pgreplication-tmp.Ab3dE9: Permission denied");
                    }
                    files.put(path, new String(command.stdin(), StandardCharsets.UTF_8));
                    modes.put(path, a.get(5));
                } else if (isInPlaceWrite(a)) {
                    String path = a.get(4);
                    if (command.stdin().length != Integer.parseInt(a.get(6))) {
                        return fail(1, path + ": " + command.stdin().length + " bytes arrived of " + a.get(6)
                                + " expected: not rewritten");
                    }
                    files.put(path, new String(command.stdin(), StandardCharsets.UTF_8));
                    modes.put(path, a.get(5));
                }
                return ok("");
            case "mkdir":
                dirs.add(last);
                modes.put(last, a.get(3));
                return ok("");
            case "chmod":
                modes.put(last, a.get(1));
                return ok("");
            case "rm":
                files.remove(last);
                return ok("");
            case "id":
                // id -g -n -- USER: a group of the user's name, as Debian's adduser makes them
                return ok((a.contains("-g") ? last : user) + "\n");
            case "getent":
                return a.get(2).equals(user) || a.get(2).equals("postgres")
                        ? ok(a.get(2) + ":x:101:104::" + (a.get(2).equals(user) ? home : "/var/lib/postgresql")
                                + ":/bin/bash\n")
                        : fail(2, "");
            default:
                return ok("");
        }
    }

    /**
     * @param a an argv
     * @return whether it is Host.writeFile's default: {@code sh -c SCRIPT sh PATH MODE LENGTH SUFFIX}, the core's
     *         script (the same as {@link WriteAtomically#command}'s)
     */
    static boolean isAtomicWrite(List<String> a) {
        return a.size() == 8 && a.get(0).equals("sh") && a.get(1).equals("-c")
                && a.get(2).equals(WriteAtomically.command("/f", "", "0600").argv().get(2));
    }

    /**
     * @param a an argv
     * @return whether it is ConfigFiles' in-place rewrite: {@code sh -c IN_PLACE sh PATH MODE LENGTH SUFFIX}, the
     *         content staged and copied over the file with {@code cat}
     */
    static boolean isInPlaceWrite(List<String> a) {
        return a.size() == 8 && a.get(0).equals("sh") && a.get(1).equals("-c")
                && a.get(2).contains("pgreplication-stage.") && a.get(2).contains("cat -- \"$tmp\" > \"$1\"");
    }

    private static CommandResult result(boolean ok) {
        return ok ? ok("") : fail(1, "");
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    @Override
    public String toString() {
        return name;
    }
}
