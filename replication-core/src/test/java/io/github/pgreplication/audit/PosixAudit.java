package io.github.pgreplication.audit;

import io.github.pgreplication.host.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks command lines against POSIX.1-2017 (The Open Group Base Specifications Issue 7, 2018 edition): every utility
 * a command runs, directly or inside an {@code sh -c} script, must be a POSIX utility or shell built-in, or one of the
 * programs a host is documented to need (PostgreSQL's, pgBackRest, OpenSSH) or that the library does without
 * ({@code getent}), and every option it is given must be one
 * POSIX gives that utility. Each finding names the utility and the form, e.g. {@code stat: not a POSIX utility}.
 *
 * <p>The script reader knows the shell forms the library's constant scripts use (simple commands joined by
 * {@code ;}, {@code &&}, {@code ||}, {@code |}; {@code if}/{@code then}/{@code else}/{@code fi},
 * {@code while}/{@code do}/{@code done}, {@code { }}, {@code $( )}, {@code ${ }}, {@code $(( ))}, quotes,
 * redirections, and {@code trap} actions); it is not a full shell parser, and a script it cannot read is a finding.
 * The pgBackRest module's tests use it too (replication-core's test jar).
 */
public final class PosixAudit {
    /**
     * POSIX utilities the library may run, with their options in getopt form (a colon after a letter that takes an
     * argument), from each utility's SYNOPSIS in POSIX.1-2017.
     */
    static final Map<String, String> UTILITIES = Map.ofEntries(
            Map.entry("cat", "u"),
            Map.entry("chmod", "R"),
            Map.entry("chown", "hHLPR"),
            Map.entry("chgrp", "hHLPR"),
            Map.entry("cp", "HLPRfip"),
            Map.entry("dd", ""),
            Map.entry("env", "i"),
            Map.entry("find", "HL"),
            Map.entry("id", "Ggunr"),
            Map.entry("ln", "fsLP"),
            Map.entry("ls", "ACFHLRSacdfgiklmnopqrstux1"),
            Map.entry("mkdir", "pm:"),
            Map.entry("mv", "if"),
            Map.entry("printf", ""),
            Map.entry("echo", ""),
            Map.entry("rm", "fiRr"),
            Map.entry("sh", "c"),
            Map.entry("test", ""),
            Map.entry("[", ""),
            Map.entry("true", ""),
            Map.entry("false", ""),
            Map.entry("wc", "clmw"));
    /** Built-ins of the POSIX shell the scripts use (Shell Command Language, 2.14 and the regular built-ins). */
    static final Set<String> BUILT_INS = Set.of("set", "trap", "exit", ":", "exec", "umask", "shift", "cd",
            "export", "unset", "wait", "break", "continue", "return", "read");
    /** Programs outside POSIX that a host is documented to need (docs/hosts.md): they are checked elsewhere. */
    static final Set<String> REQUIRED_PROGRAMS = Set.of("pg_ctl", "pg_basebackup", "pg_controldata", "psql",
            "initdb", "postgres", "pg_rewind", "pg_isready", "pg_archivecleanup", "pg_waldump", "pg_receivewal",
            "pgbackrest", "ssh", "ssh-keygen");
    /**
     * Programs outside POSIX that the library tries and does without: {@code getent passwd USER} (the pgBackRest
     * module reads {@code /etc/passwd} when it fails or is missing).
     */
    static final Set<String> WITH_FALLBACK = Set.of("getent");
    /** dd's operands (POSIX gives dd no options, only these operands). */
    private static final Set<String> DD_OPERANDS = Set.of("if", "of", "ibs", "obs", "bs", "cbs", "skip", "seek",
            "count", "conv");
    /** find's primaries and operators in POSIX.1-2017, with how many arguments each takes (-exec: up to ; or +). */
    private static final Map<String, Integer> FIND_PRIMARIES = Map.ofEntries(Map.entry("-name", 1),
            Map.entry("-path", 1), Map.entry("-nouser", 0), Map.entry("-nogroup", 0), Map.entry("-xdev", 0),
            Map.entry("-prune", 0), Map.entry("-perm", 1), Map.entry("-type", 1), Map.entry("-links", 1),
            Map.entry("-user", 1), Map.entry("-group", 1), Map.entry("-size", 1), Map.entry("-atime", 1),
            Map.entry("-ctime", 1), Map.entry("-mtime", 1), Map.entry("-exec", -1), Map.entry("-ok", -1),
            Map.entry("-print", 0), Map.entry("-newer", 1), Map.entry("-depth", 0), Map.entry("!", 0),
            Map.entry("(", 0), Map.entry(")", 0), Map.entry("-a", 0), Map.entry("-o", 0));
    /** test's unary and binary primaries in POSIX.1-2017. */
    private static final Set<String> TEST_PRIMARIES = Set.of("-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n",
            "-p", "-r", "-S", "-s", "-t", "-u", "-w", "-x", "-z", "-eq", "-ne", "-gt", "-ge", "-lt", "-le", "!",
            "=", "!=");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final Pattern REDIRECTION = Pattern.compile("[0-9]*(>>|>\\||>&|<&|>|<)(.*)");

    private PosixAudit() {
    }

    /** @param commands commands a host ran @return every finding, each naming the command */
    public static List<String> commandFindings(List<Command> commands) {
        List<String> out = new ArrayList<>();
        for (Command c : commands) {
            for (String f : findings(c.argv())) {
                String line = c.toCommandLine();
                out.add(f + "   in: " + (line.length() > 120 ? line.substring(0, 117) + "..." : line));
            }
        }
        return out;
    }

    /** @param argv a command's program and arguments @return what in it is not POSIX */
    public static List<String> findings(List<String> argv) {
        List<String> out = new ArrayList<>();
        check(argv, out);
        return out;
    }

    /** @param script an {@code sh -c} script @return what in it is not POSIX */
    public static List<String> scriptFindings(String script) {
        List<String> out = new ArrayList<>();
        script(script, out);
        return out;
    }

    private static void check(List<String> argv, List<String> out) {
        String utility = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        if (REQUIRED_PROGRAMS.contains(utility) || REQUIRED_PROGRAMS.contains(utility.replaceAll(".*/", ""))
                || WITH_FALLBACK.contains(utility)) {
            return;
        }
        if (utility.equals("exec")) {
            if (!args.isEmpty()) {
                check(args, out);
            }
            return;
        }
        if (BUILT_INS.contains(utility)) {
            return;
        }
        String spec = UTILITIES.get(utility);
        if (spec == null) {
            out.add(utility + ": not a POSIX utility");
            return;
        }
        switch (utility) {
            case "test", "[" -> {
                for (String a : args) {
                    if (a.startsWith("-") && a.length() > 1 && !TEST_PRIMARIES.contains(a)) {
                        out.add("test " + a + ": not a POSIX primary");
                    }
                }
                return;
            }
            case "printf", "echo" -> {
                return; // operands only
            }
            default -> {
            }
        }
        int i = options(utility, spec, args, out);
        List<String> operands = args.subList(i, args.size());
        if (utility.equals("dd")) {
            for (String o : operands) {
                String name = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                if (!DD_OPERANDS.contains(name)) {
                    out.add("dd " + o + ": not a POSIX operand");
                }
            }
        } else if (utility.equals("chown") && !operands.isEmpty() && operands.get(0).endsWith(":")) {
            out.add("chown " + operands.get(0) + ": POSIX takes OWNER[:GROUP], an empty group is an extension");
        } else if (utility.equals("find")) {
            find(operands, out);
        } else if (utility.equals("env")) {
            int j = 0;
            while (j < operands.size() && operands.get(j).contains("=")) {
                j++;
            }
            if (j < operands.size()) {
                check(operands.subList(j, operands.size()), out);
            }
        } else if (utility.equals("sh") && !operands.isEmpty() && args.contains("-c")) {
            script(operands.get(0), out);
        }
    }

    /** @return the index of the first operand; findings for options POSIX does not give the utility */
    private static int options(String utility, String spec, List<String> args, List<String> out) {
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                return i + 1;
            }
            if (!a.startsWith("-") || a.equals("-") || (utility.equals("find") && !a.matches("-[HL]+"))) {
                return i;
            }
            if (a.startsWith("--")) {
                out.add(utility + " " + a + ": a long option (POSIX has none)");
                i++;
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char letter = a.charAt(k);
                int at = spec.indexOf(letter);
                if (at < 0) {
                    out.add(utility + " -" + letter + ": not a POSIX option of " + utility);
                } else if (at + 1 < spec.length() && spec.charAt(at + 1) == ':') {
                    if (k == a.length() - 1) {
                        i++; // the option's argument is the next word
                    }
                    break;
                }
            }
            i++;
        }
        return i;
    }

    private static void find(List<String> operands, List<String> out) {
        int i = 0;
        while (i < operands.size() && !operands.get(i).startsWith("-") && !operands.get(i).equals("!")
                && !operands.get(i).equals("(")) {
            i++; // the paths
        }
        while (i < operands.size()) {
            String p = operands.get(i);
            Integer arity = FIND_PRIMARIES.get(p);
            if (arity == null) {
                out.add("find " + p + ": not a POSIX primary");
                i++;
            } else if (arity < 0) {
                int end = i + 1;
                while (end < operands.size() && !operands.get(end).equals(";") && !operands.get(end).equals("+")) {
                    end++;
                }
                if (end > i + 1) {
                    check(operands.subList(i + 1, end), out);
                }
                i = end + 1;
            } else {
                i += 1 + arity;
            }
        }
    }

    // ---- the script reader ----

    private static void script(String script, List<String> out) {
        String s = script;
        // trap actions are code: read them, then drop them (a trap's signals are words, not commands)
        Matcher trap = Pattern.compile("trap '([^']*)'([A-Z0-9 ]*)").matcher(s);
        StringBuilder rest = new StringBuilder();
        while (trap.find()) {
            script(trap.group(1), out);
            trap.appendReplacement(rest, "trap Q");
        }
        trap.appendTail(rest);
        s = rest.toString();
        s = s.replaceAll("'[^']*'", "Q"); // other single-quoted words are data (printf formats)
        s = replaceNested(s, "$((", "))", null); // arithmetic
        s = replaceNested(s, "${", "}", null); // parameter expansions, which may hold / * } characters
        s = replaceNested(s, "$(", ")", out); // command substitutions: read, then a word
        s = s.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "X"); // double-quoted words: messages and expansions
        for (String simple : s.split(";;|;|&&|\\|\\||\\||\\n")) {
            command(simple, out);
        }
    }

    /**
     * Replaces each {@code open ... close} ({@code $((...))}, {@code ${...}} or {@code $(...)}, nesting counted by
     * the bracket after the {@code $}) with a word; the inner text is read as a script when {@code out} is given.
     */
    private static String replaceNested(String s, String open, String close, List<String> out) {
        char o = open.charAt(1);
        char c = close.charAt(0);
        StringBuilder sb = new StringBuilder();
        int from = 0;
        int at;
        while ((at = s.indexOf(open, from)) >= 0) {
            sb.append(s, from, at);
            int depth = 0;
            int end = -1;
            for (int i = at + 1; i < s.length(); i++) {
                if (s.charAt(i) == o) {
                    depth++;
                } else if (s.charAt(i) == c && --depth == 0) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw new IllegalArgumentException("unbalanced " + open + " in: " + s);
            }
            if (out != null) {
                script(s.substring(at + open.length(), end - (close.length() - 1)), out);
            }
            sb.append('X');
            from = end + 1;
        }
        sb.append(s.substring(from));
        return sb.toString();
    }

    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "while", "until",
            "do", "done", "{", "}", "!");

    private static void command(String simple, List<String> out) {
        List<String> words = new ArrayList<>();
        for (String w : simple.trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            words.add(w);
        }
        // reserved words open or close a compound command; the simple command follows them
        while (!words.isEmpty() && RESERVED.contains(words.get(0))) {
            words.remove(0);
        }
        while (!words.isEmpty() && RESERVED.contains(words.get(words.size() - 1))) {
            words.remove(words.size() - 1);
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            Matcher r = REDIRECTION.matcher(w);
            if (r.matches()) {
                if (r.group(2).isEmpty() && !r.group(1).endsWith("&")) {
                    i++; // the target is the next word
                }
                continue;
            }
            if (argv.isEmpty() && ASSIGNMENT.matcher(w).matches()) {
                continue;
            }
            argv.add(w);
        }
        if (!argv.isEmpty()) {
            check(argv, out);
        }
    }
}
