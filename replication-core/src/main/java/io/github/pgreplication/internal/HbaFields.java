package io.github.pgreplication.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the database and user fields of a pg_hba rule may hold: the forms every PostgreSQL the library supports (13
 * and later) reads the same way, and whose mistakes show at load() or, after the reload, in
 * {@code pg_hba_file_rules}. A field is a comma-separated list of entries, each a keyword ({@code all},
 * {@code replication}...), a name (plain, or in double quotes with a double quote doubled, which also makes a
 * keyword a name), a {@code +group} (user field), or an {@code @file} of names (read by PostgreSQL relative to
 * pg_hba.conf; one it cannot read shows in {@code pg_hba_file_rules} from PostgreSQL 14 on).
 *
 * <p>Refused: a regular expression ({@code /^repl}), which PostgreSQL 16 and later match as one while 13 to 15 take
 * it for the role of that name, a difference {@code pg_hba_file_rules} cannot show; and an entry longer than
 * PostgreSQL's names (63 bytes), which would match nothing.
 */
public final class HbaFields {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.$+@-]+");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_.$+@/-]+");
    private static final Set<String> DATABASE_KEYWORDS = Set.of("all", "sameuser", "samerole", "samegroup",
            "replication");

    private HbaFields() {
    }

    /**
     * @param what  {@code database} or {@code user}
     * @param field the field as written in pg_hba.conf, quotes included
     * @return why PostgreSQL would not read it as meant, with the fix; null when fine
     */
    public static String problem(String what, String field) {
        String shown = what + " '" + Text.printable(field) + "'";
        if (Text.hasControl(field)) {
            return shown + " must not contain a control character (line breaks, NUL...): pg_hba.conf holds one rule"
                    + " per line";
        }
        List<String> entries = entries(field);
        if (entries == null) {
            return shown + " has an unclosed double quote; close it, e.g. \"Repl User\"";
        }
        for (String entry : entries) {
            String problem = entryProblem(what, entry);
            if (problem != null) {
                return shown + (entry.equals(field) ? "" : ": entry '" + Text.printable(entry) + "'") + " " + problem;
            }
        }
        return null;
    }

    private static String entryProblem(String what, String entry) {
        boolean user = what.equals("user");
        if (entry.isEmpty()) {
            return "is an empty entry: a list separates its entries with single commas (replicator,other)";
        }
        if (entry.startsWith("\"")) {
            String name = unquoted(entry);
            if (name == null) {
                return "must be quoted whole: a double quote opens and closes the name, a double quote inside it"
                        + " doubled (\"say \"\"hi\"\"\"); write any other name in double quotes";
            }
            return lengthProblem(user, name);
        }
        if (entry.startsWith("/")) {
            return "is a regular expression, which only PostgreSQL 16 and later read as one: 13 to 15 take it for"
                    + " the role named '" + Text.printable(entry) + "', and pg_hba_file_rules cannot tell which was"
                    + " meant. Instead, list the roles (replicator,other), name a group (+standbys), or write it in"
                    + " double quotes for the role of that name";
        }
        if (entry.startsWith("@")) {
            String file = entry.substring(1);
            if (!FILE.matcher(file).matches()) {
                return "needs a file name after '@' (letters, digits and _ . $ + @ / -), e.g. @standbys; write any"
                        + " other name in double quotes";
            }
            return Limits.pathProblem(file);
        }
        if (user && entry.startsWith("+")) {
            String group = entry.substring(1);
            if (!PLAIN.matcher(group).matches()) {
                return "needs a group name after '+' (letters, digits and _ . $ -), e.g. +standbys; write any other"
                        + " name in double quotes";
            }
            return lengthProblem(true, group);
        }
        if (!PLAIN.matcher(entry).matches()) {
            return "must be a keyword, a name of letters, digits and _ . $ -, " + (user ? "a +group, " : "")
                    + "an @file, or a list of them separated by commas; write any other name in double quotes"
                    + " (\"" + Text.printable(entry.replace("\"", "\"\"")) + "\")";
        }
        if (user ? entry.equals("all") : DATABASE_KEYWORDS.contains(entry)) {
            return null;
        }
        return lengthProblem(user, entry);
    }

    private static String lengthProblem(boolean user, String name) {
        return Limits.nameProblem(name, "this entry would match no " + (user ? "role" : "database"));
    }

    /** @return the entries of a field, split at commas outside double quotes; null when a quote stays open */
    private static List<String> entries(String field) {
        List<String> out = new ArrayList<>();
        StringBuilder entry = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(entry.toString());
                entry.setLength(0);
            } else {
                entry.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(entry.toString());
        return out;
    }

    /** @return the name a wholly double-quoted entry holds, or null when it is not quoted whole */
    private static String unquoted(String entry) {
        if (entry.length() < 2 || !entry.endsWith("\"")) {
            return null;
        }
        String inner = entry.substring(1, entry.length() - 1);
        if (inner.replace("\"\"", "").contains("\"")) {
            return null;
        }
        return inner.replace("\"\"", "\"");
    }

    /**
     * @param type the first field of a pg_hba line
     * @return why it is an include directive and not a rule, or null
     */
    public static String includeProblem(String type) {
        if (!Set.of("include", "include_if_exists", "include_dir").contains(type)) {
            return null;
        }
        return "'" + type + "' is an include directive, not a rule: the library writes rules into a block it owns"
                + " and checks each of them, while an include directive brings in lines it cannot see (and only"
                + " PostgreSQL 16 and later read it; include_if_exists and include_dir may include nothing without a"
                + " word). Write the include line in pg_hba.conf outside the library's block yourself, or give the"
                + " rules themselves";
    }
}
