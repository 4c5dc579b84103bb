package io.github.pgreplication;

import io.github.pgreplication.internal.HbaFields;
import io.github.pgreplication.internal.HbaOptions;
import io.github.pgreplication.internal.Limits;
import io.github.pgreplication.internal.Text;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@code pg_hba.conf} rule the library writes into a block it owns at the top of the primary's
 * {@code hba_file}. Checked at load() (connection type, address or CIDR, method, and the authentication options
 * each method accepts) and, after reload, through {@code pg_hba_file_rules}.
 *
 * <pre>{@code
 * HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256");
 * HbaRule.parse("hostssl replication replicator 10.0.0.0/24 scram-sha-256 clientcert=verify-full");
 * HbaRule.parse("hostssl replication replicator 10.0.0.0/24 cert");   // certificate instead of password
 * }</pre>
 *
 * <p>Options are written {@code key=value} after the method, in the order given; a value holding anything but
 * letters, digits and {@code _ . : / @ + = -} is written in double quotes (a double quote inside it doubled), as
 * pg_hba.conf requires. Values of {@code ldapbindpasswd} and {@code radiussecrets} are secrets: {@link #toString()}
 * shows them as {@code ****}; only {@link #toLine()} (the line written into the file) holds them.
 *
 * @param type     {@code host}, {@code hostssl}, {@code hostnossl}, {@code hostgssenc}, {@code hostnogssenc}
 *                 or {@code local}
 * @param database database keyword or name, {@code replication} for streaming; or a comma-separated list, names
 *                 double-quoted where they hold other characters than letters, digits and {@code _ . $ -}, or
 *                 {@code @file} (regular expressions are refused: only PostgreSQL 16 and later read them as such)
 * @param user     role name, {@code all}, {@code +group}, {@code @file}, or a comma-separated list of these, as
 *                 for {@code database}
 * @param address  CIDR, host name, {@code all}, {@code samehost} or {@code samenet}; empty for {@code local}
 * @param method   authentication method such as {@code scram-sha-256}, {@code md5}, {@code trust}
 * @param options  authentication options ({@code clientcert}, {@code map}, {@code ldapserver}...), in order
 */
public record HbaRule(String type, String database, String user, String address, String method,
        Map<String, String> options) {
    static final Set<String> TYPES = Set.of("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc");
    static final Set<String> METHODS = Set.of("trust", "reject", "scram-sha-256", "md5", "password", "gss",
            "sspi", "ident", "peer", "ldap", "radius", "cert", "pam", "bsd");
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.:/@+=-]+");
    private static final String FIELDS = "must have 5 fields (type database user address method), or 4 for local,"
            + " then options as key=value. Example: 'host replication replicator 10.0.0.0/24 scram-sha-256'";

    /**
     * Checks for nulls and copies the options; everything else is checked at load().
     *
     * @param type     {@code host}, {@code hostssl}, {@code hostnossl}, {@code hostgssenc}, {@code hostnogssenc}
     *                 or {@code local}
     * @param database database keyword or name, {@code replication} for streaming; or a comma-separated list, names
     *                 double-quoted where they hold other characters than letters, digits and {@code _ . $ -}, or
     *                 {@code @file} (regular expressions are refused: only PostgreSQL 16 and later read them as such)
     * @param user     role name, {@code all}, {@code +group}, {@code @file}, or a comma-separated list of these, as
     *                 for {@code database}
     * @param address  CIDR, host name, {@code all}, {@code samehost} or {@code samenet}; empty for {@code local}
     * @param method   authentication method such as {@code scram-sha-256}, {@code md5}, {@code trust}
     * @param options  authentication options ({@code clientcert}, {@code map}, {@code ldapserver}...), in order
     */
    public HbaRule {
        Objects.requireNonNull(type, "type must not be null: give host, hostssl or local");
        Objects.requireNonNull(database, "database must not be null: give replication for streaming");
        Objects.requireNonNull(user, "user must not be null: give the replication role's name");
        Objects.requireNonNull(address, "address must not be null: give a CIDR such as 10.0.0.0/24, or \"\" for"
                + " local");
        Objects.requireNonNull(method, "method must not be null: give scram-sha-256, or trust");
        Objects.requireNonNull(options, "options must not be null: give Map.of()");
        Map<String, String> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "option name must not be null"),
                Objects.requireNonNull(v, "value of option " + k + " must not be null")));
        options = Collections.unmodifiableMap(copy);
    }

    /**
     * A rule without authentication options.
     *
     * @param type     connection type
     * @param database database
     * @param user     user
     * @param address  address; empty for {@code local}
     * @param method   authentication method
     */
    public HbaRule(String type, String database, String user, String address, String method) {
        this(type, database, user, address, method, Map.of());
    }

    /**
     * @param line a rule as written in pg_hba.conf, e.g. {@code host replication replicator 10.0.0.0/24 trust},
     *             optionally followed by options such as {@code clientcert=verify-full} (double-quoted values
     *             allowed) and a {@code #} comment
     * @return the rule
     * @throws IllegalArgumentException when the line does not have the expected fields
     */
    public static HbaRule parse(String line) {
        Objects.requireNonNull(line, "pg_hba line must not be null: give e.g. \"host replication replicator"
                + " 10.0.0.0/24 scram-sha-256\"");
        String shown = Text.printable(line);
        if (Text.hasControl(line.replace('\t', ' '))) {
            // Refused wherever it is, a trailing line feed or carriage return too: never dropped without a word.
            throw new IllegalArgumentException("pg_hba rule '" + shown + "' must be one line without control"
                    + " characters (a line break or carriage return at its end included; spaces and tabs may"
                    + " separate the fields). Example: 'host replication replicator 10.0.0.0/24 scram-sha-256'");
        }
        List<String[]> tokens = tokens(line);
        if (!tokens.isEmpty() && HbaFields.includeProblem(tokens.get(0)[0]) != null) {
            throw new IllegalArgumentException("pg_hba line '" + shown + "': " + HbaFields.includeProblem(
                    tokens.get(0)[0]));
        }
        List<String> fields = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String[] t : tokens) {
            int eq = t[1].indexOf('=');
            int last = fields.size() - 1;
            if (options.isEmpty() && last >= 0 && fields.get(last).endsWith(",")) {
                // As PostgreSQL reads it: a field ending with a comma goes on in the next token ("a, b" is a,b).
                fields.set(last, fields.get(last) + t[0]);
            } else if (eq < 0 && options.isEmpty()) {
                fields.add(t[0]);
            } else if (eq <= 0) {
                throw new IllegalArgumentException("pg_hba rule '" + shown + "': '" + Problem.shown(t[0])
                        + "' follows an option;"
                        + " options come last, each as key=value (e.g. clientcert=verify-full)");
            } else if (options.put(t[1].substring(0, eq), t[1].substring(eq + 1)) != null) {
                throw new IllegalArgumentException("pg_hba rule '" + shown + "' gives option "
                        + Problem.shown(t[1].substring(0, eq)) + " twice; give it once");
            }
        }
        boolean local = !fields.isEmpty() && fields.get(0).equals("local");
        if (local && fields.size() == 4) {
            return new HbaRule(fields.get(0), fields.get(1), fields.get(2), "", fields.get(3), options);
        }
        if (fields.size() != 5) {
            throw new IllegalArgumentException("pg_hba rule '" + shown + "' " + FIELDS);
        }
        // A local rule given an address keeps it, so that load() refuses it instead of silently dropping it.
        return new HbaRule(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4), options);
    }

    /** @return each token as written and with its double quotes removed, up to a comment */
    private static List<String[]> tokens(String line) {
        List<String[]> out = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!quoted && (c == ' ' || c == '\t' || c == '#')) {
                if (raw.length() > 0) {
                    out.add(new String[] {raw.toString(), value.toString()});
                    raw.setLength(0);
                    value.setLength(0);
                }
                if (c == '#') {
                    break;
                }
                continue;
            }
            raw.append(c);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    value.append('"');
                    raw.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else {
                value.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("pg_hba rule '" + Text.printable(line) + "' has an unclosed double"
                    + " quote; close it, e.g. ldapsuffix=\", dc=example, dc=net\"");
        }
        if (raw.length() > 0) {
            out.add(new String[] {raw.toString(), value.toString()});
        }
        return out;
    }

    /**
     * @param user    replication role name
     * @param address CIDR or keyword the standbys connect from
     * @param method  authentication method
     * @return a {@code host replication ...} rule
     */
    public static HbaRule replication(String user, String address, String method) {
        return new HbaRule("host", "replication", user, address, method);
    }

    /**
     * @param key   option name, e.g. {@code clientcert}, {@code map}, {@code ldapserver}
     * @param value its value, without quotes (they are added when needed), e.g. {@code verify-full}
     * @return a copy with the option set (replacing an earlier value of the same option); checked at load()
     */
    public HbaRule withOption(String key, String value) {
        Objects.requireNonNull(key, "option name must not be null: give e.g. \"clientcert\"");
        Objects.requireNonNull(value, "value of option " + key + " must not be null: give e.g. \"verify-full\"");
        return copy(c -> c.options.put(key, value));
    }

    /** @return the line as written into pg_hba.conf (option values included, secrets too) */
    public String toLine() {
        return render(false);
    }

    private String render(boolean maskSecrets) {
        List<String> parts = new ArrayList<>(List.of(type, database, user));
        if (!type.equals("local") || !address.isEmpty()) {
            parts.add(address);
        }
        parts.add(method);
        options.forEach((k, v) -> parts.add(k + "=" + (maskSecrets && HbaOptions.SECRETS.contains(k) ? "****"
                : quoteValue(v))));
        return String.join(" ", parts);
    }

    private static String quoteValue(String v) {
        return PLAIN_VALUE.matcher(v).matches() ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }

    /**
     * @return every problem with this rule, as messages naming the value, the rule and a fix; empty when valid
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (HbaFields.includeProblem(type) != null) {
            out.add("connection type " + HbaFields.includeProblem(type));
        } else if (!TYPES.contains(type)) {
            out.add("connection type '" + Text.printable(type) + "' is not one of " + new TreeSet<>(TYPES)
                    + ". Use 'host' for TCP connections");
        }
        for (String[] field : new String[][] {{"database", database}, {"user", user}}) {
            String problem = HbaFields.problem(field[0], field[1]);
            if (problem != null) {
                out.add(problem);
            }
        }
        if (!METHODS.contains(method)) {
            out.add("method '" + Text.printable(method) + "' is not a pg_hba method. Use scram-sha-256 with a"
                    + " password, or trust for password-less roles on a closed network");
        }
        if (type.equals("local")) {
            if (!address.isEmpty()) {
                out.add("a local rule (Unix socket) has no address field, but '" + Text.printable(address)
                        + "' is given. Remove it ('local " + database + " " + user + " " + method + "'), or use"
                        + " 'host' for TCP connections from that address");
            }
        } else {
            String problem = addressProblem(address);
            if (problem != null) {
                out.add(problem);
            }
        }
        out.addAll(HbaOptions.problems(type, method, options));
        return out;
    }

    static String addressProblem(String address) {
        if (Set.of("all", "samehost", "samenet").contains(address)) {
            return null;
        }
        String shown = Text.printable(address);
        int slash = address.indexOf('/');
        if (slash < 0) {
            if (address.matches("[0-9.]+") || address.contains(":") || !address.matches("\\.?[A-Za-z0-9.-]+")) {
                String suggestion = validIpv4(address) || address.length() <= 45 && address.contains(":")
                        && address.matches("[0-9A-Fa-f:.]+")
                        ? "Add the prefix length: '" + address + (address.contains(":") ? "/128'" : "/32'")
                        : "Write a CIDR such as '10.0.0.0/24'";
                return "address '" + shown + "' is neither a CIDR (e.g. 10.0.0.0/24), a host name, nor one of"
                        + " all/samehost/samenet. " + suggestion;
            }
            String tooLong = Limits.hostProblem(address.startsWith(".") ? address.substring(1) : address);
            return tooLong == null ? null : "address '" + shown + "' " + tooLong + ". Write the host name as DNS knows"
                    + " it, or a CIDR such as '10.0.0.0/24'";
        }
        String ip = address.substring(0, slash);
        String bits = address.substring(slash + 1);
        boolean v6 = ip.contains(":");
        int max = v6 ? 128 : 32;
        boolean ok = bits.matches("\\d{1,3}") && Integer.parseInt(bits) <= max
                && (v6 ? ip.matches("[0-9A-Fa-f:.]+") : validIpv4(ip));
        return ok ? null : "address '" + shown + "' is not a valid CIDR: expected an IPv4 address with a"
                + " prefix length 0-32 (e.g. 10.0.0.0/24) or an IPv6 address with 0-128 (e.g. fd00::/64)";
    }

    private static boolean validIpv4(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** @return the line, with the values of secret options shown as {@code ****} */
    @Override
    public String toString() {
        return render(true);
    }

    /** Makes a rule of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private HbaRule copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new HbaRule(c.type, c.database, c.user, c.address, c.method, c.options);
    }

    /** This rule's fields, for a wither to change before {@link #copy} makes a rule of them. */
    private final class Copy {
        String type = HbaRule.this.type;
        String database = HbaRule.this.database;
        String user = HbaRule.this.user;
        String address = HbaRule.this.address;
        String method = HbaRule.this.method;
        Map<String, String> options = new LinkedHashMap<>(HbaRule.this.options);
    }
}
