package io.github.pgreplication.internal;

import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
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
 * {@code chown}, {@code rm}, {@code id}, {@code getent}, {@code ls -ldL}, {@code find} (-perm), and the
 * {@code sh} scripts of {@link ReadWithMode}, {@link WriteAtomically} and {@link DeleteContents}) over an in-memory
 * file system. Anything else is answered by scripted responses (default: exit 0, no output). Real behaviour is the
 * integration tests' job. A copy of the pgBackRest module's test host, with {@code ls -A1} over the same file
 * system (a directory's entries are the files under it).
 */
final class FakeHost implements Host {
    private static final Set<String> EMULATED = Set.of("test", "cat", "mkdir", "id", "getent",
            "rm", "ls");
    final String name;
    final String user;
    final String home;
    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, String> modes = new HashMap<>();
    final Set<String> dirs = new HashSet<>(Set.of("/", "/etc", "/tmp"));
    final Set<String> readOnly = new HashSet<>();
    final List<Command> commands = new ArrayList<>();
    /** Whether {@link #readFileWithMode} is one command, as on {@code SshHost} (else the default's two). */
    boolean oneCommandReads;
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

    /** @return every command line run that is not one of the emulated file programs */
    List<List<String>> programs() {
        List<List<String>> out = new ArrayList<>();
        for (Command c : commands) {
            if (!EMULATED.contains(c.argv().get(0))) {
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
        List<String> a = command.argv();
        for (Map.Entry<Predicate<List<String>>, Function<Command, CommandResult>> r : responses) {
            if (r.getKey().test(a)) {
                return r.getValue().apply(command);
            }
        }
        String last = a.get(a.size() - 1);
        switch (a.get(0)) {
            case "pg_ctl":
                if (a.size() == 4 && a.get(1).equals("status")) {
                    // As pg_ctl: running when postmaster.pid names a process, which a fake host cannot check, so
                    // its presence decides; a test overrides it with on(List.of("pg_ctl", "status"), ...).
                    String pid = files.get(last + "/postmaster.pid");
                    if (pid == null) {
                        return new CommandResult(3, "pg_ctl: no server running\n", "");
                    }
                    return ok("pg_ctl: server is running (PID: " + pid.lines().findFirst().orElse("") + ")\n"
                            + "/usr/lib/postgresql/17/bin/postgres \"-D\" \"" + last + "\"\n");
                }
                return ok("");
            case "test":
                boolean exists = files.containsKey(last) || dirs.contains(last);
                if (a.get(1).equals("-w")) {
                    return result(exists && !readOnly.contains(last));
                }
                return result(exists);
            case "cat":
                return files.containsKey(last) ? ok(files.get(last)) : fail(1, "cat: " + last + ": No such file");
            case "mkdir":
                dirs.add(last);
                modes.put(last, a.get(3));
                return ok("");
            case "find":
                return find(a);
            case "sh":
                if (a.size() == 5 && a.get(2).equals(ReadWithMode.SCRIPT)) {
                    CommandResult ls = lsLong(last);
                    if (!ls.succeeded() || !files.containsKey(last)) {
                        return ls.succeeded() ? fail(1, "cat: " + last + ": Is a directory") : ls;
                    }
                    return ok(ls.stdout().substring(0, 10) + "\n" + files.get(last));
                }
                if (a.size() == 8 && a.get(2).equals(WriteAtomically.SCRIPT)) {
                    return writeAtomically(a.get(4), a.get(5), command.stdin());
                }
                if (a.size() == 5 && a.get(2).equals(DeleteContents.SCRIPT)) {
                    if (!files.containsKey(last) && !dirs.contains(last)) {
                        return fail(1, "find: '" + last + "/.': No such file or directory");
                    }
                    files.keySet().removeIf(f -> f.startsWith(last + "/"));
                    return ok("");
                }
                return ok("");
            case "chmod":
                modes.put(last, a.get(1));
                return ok("");
            case "rm":
                files.remove(last);
                return ok("");
            case "ls":
                if (a.get(1).equals("-ldL")) {
                    return lsLong(last);
                }
                String prefix = last.endsWith("/") ? last : last + "/";
                java.util.Set<String> names = new java.util.TreeSet<>();
                for (String f : files.keySet()) {
                    if (f.startsWith(prefix)) {
                        names.add(f.substring(prefix.length()).split("/")[0]);
                    }
                }
                if (names.isEmpty() && !dirs.contains(last)) {
                    return fail(2, "ls: cannot access '" + last + "': No such file or directory");
                }
                return ok(String.join("\n", names));
            case "id":
                return ok(user + "\n");
            case "getent":
                return a.get(2).equals(user) || a.get(2).equals("postgres")
                        ? ok(a.get(2) + ":x:101:104::" + (a.get(2).equals(user) ? home : "/var/lib/postgresql")
                                + ":/bin/bash\n")
                        : fail(2, "");
            default:
                return ok("");
        }
    }

    /** The {@link WriteAtomically} script: the file and its mode, or the shell's refusal in a read-only directory. */
    private CommandResult writeAtomically(String path, String mode, byte[] content) {
        if (readOnly.contains(parent(path))) {
            return fail(2, "sh: 1: cannot create " + path + WriteAtomically.TEMPORARY_INFIX
                    + "Ab3dE9: Permission denied");
        }
        files.put(path, new String(content, StandardCharsets.UTF_8));
        modes.put(path, mode);
        return ok("");
    }

    /** {@code find DIR -prune -perm MODE}, and {@link DirectoryLook}'s {@code find DIR/. ...}. */
    private CommandResult find(List<String> a) {
        String path = a.get(1);
        if (path.endsWith("/.") && a.contains("-name")) {
            return look(path.substring(0, path.length() - 2), a.get(a.indexOf("-perm") + 1));
        }
        if (!files.containsKey(path) && !dirs.contains(path)) {
            return fail(1, "find: '" + path + "': No such file or directory");
        }
        if (a.contains("-perm")) {
            String perm = a.get(a.indexOf("-perm") + 1);
            String mode = modes.getOrDefault(path, dirs.contains(path) ? "0755" : "0644");
            return ok(Integer.parseInt(mode, 8) == Integer.parseInt(perm, 8) ? path + "\n" : "");
        }
        return ok("");
    }

    /** {@link DirectoryLook}'s command: {@code DIR/.} when the directory has mode {@code perm}, then each entry. */
    private CommandResult look(String dir, String perm) {
        CommandResult ls = execute(Command.of("ls", "-A1", "--", dir));
        commands.remove(commands.size() - 1);
        if (!ls.succeeded()) {
            return fail(1, ls.stderr().contains("No such file or directory")
                    ? "find: '" + dir + "/.': No such file or directory" : "find: '" + dir + "/.': " + ls.stderr());
        }
        StringBuilder out = new StringBuilder();
        String mode = modes.getOrDefault(dir, "0755");
        if (Integer.parseInt(mode, 8) == Integer.parseInt(perm, 8)) {
            out.append(dir).append("/.\n");
        }
        for (String name : ls.stdout().isEmpty() ? new String[0] : ls.stdout().split("\n")) {
            out.append(dir).append("/./").append(name).append('\n');
        }
        return ok(out.toString());
    }

    /**
     * @return {@code ls -ldL}: POSIX's long format, its mode the one given by a write, mkdir or chmod, else 644 (file)
     *         or 755
     */
    private CommandResult lsLong(String path) {
        if (!files.containsKey(path) && !dirs.contains(path)) {
            return fail(2, "ls: cannot access '" + path + "': No such file or directory");
        }
        int mode = Integer.parseInt(modes.getOrDefault(path, dirs.contains(path) ? "0755" : "0644"), 8);
        StringBuilder m = new StringBuilder(dirs.contains(path) ? "d" : "-");
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            m.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return ok(m + " 1 " + user + " " + user + " 0 Jan  1 00:00 " + path + "\n");
    }

    @Override
    public java.util.Optional<io.github.pgreplication.host.FileWithMode> readFileWithMode(String path) {
        return oneCommandReads ? ReadWithMode.read(this, path) : Host.super.readFileWithMode(path);
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
