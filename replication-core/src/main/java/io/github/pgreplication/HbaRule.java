package io.github.pgreplication;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code pg_hba.conf} rule the library writes into a block it owns at the top of the primary's
 * {@code hba_file}. Checked at load() (connection type, address or CIDR, method) and, after reload, through
 * {@code pg_hba_file_rules}.
 *
 * <pre>{@code
 * HbaRule.parse("host replication replicator 10.0.0.0/24 scram-sha-256");
 * HbaRule.replication("replicator", "10.0.0.0/24", "scram-sha-256");
 * }</pre>
 *
 * @param type     {@code host}, {@code hostssl}, {@code hostnossl}, {@code hostgssenc}, {@code hostnogssenc}
 *                 or {@code local}
 * @param database database keyword or name, {@code replication} for streaming
 * @param user     role name, {@code all}, or {@code +group}
 * @param address  CIDR, host name, {@code all}, {@code samehost} or {@code samenet}; empty for {@code local}
 * @param method   authentication method such as {@code scram-sha-256}, {@code md5}, {@code trust}
 */
public record HbaRule(String type, String database, String user, String address, String method) {
    static final Set<String> TYPES = Set.of("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc");
    static final Set<String> METHODS = Set.of("trust", "reject", "scram-sha-256", "md5", "password", "gss",
            "sspi", "ident", "peer", "ldap", "radius", "cert", "pam", "bsd");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.$+@-]+");

    /** Checks for nulls; everything else is checked at load(). */
    public HbaRule {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(method, "method");
    }

    /**
     * @param line a rule as written in pg_hba.conf, e.g. {@code host replication replicator 10.0.0.0/24 trust}
     * @return the rule
     * @throws IllegalArgumentException when the line does not have the expected fields
     */
    public static HbaRule parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 4 && f[0].equals("local")) {
            return new HbaRule(f[0], f[1], f[2], "", f[3]);
        }
        if (f.length != 5) {
            throw new IllegalArgumentException("pg_hba rule '" + line + "' must have 5 fields (type database user"
                    + " address method), or 4 for local. Example: 'host replication replicator 10.0.0.0/24"
                    + " scram-sha-256'");
        }
        return new HbaRule(f[0], f[1], f[2], f[3], f[4]);
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

    /** @return the line as written into pg_hba.conf */
    public String toLine() {
        return type.equals("local")
                ? String.join(" ", type, database, user, method)
                : String.join(" ", type, database, user, address, method);
    }

    /**
     * @return every problem with this rule, as messages naming the value, the rule and a fix; empty when valid
     */
    public List<String> problems() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if (!TYPES.contains(type)) {
            out.add("connection type '" + type + "' is not one of " + new java.util.TreeSet<>(TYPES)
                    + ". Use 'host' for TCP connections");
        }
        for (String[] field : new String[][] {{"database", database}, {"user", user}, {"method", method}}) {
            if (!WORD.matcher(field[1]).matches()) {
                out.add(field[0] + " '" + field[1] + "' must be a single word of letters, digits and _.$+@-"
                        + " (no spaces, quotes or commas). Write one rule per value");
            }
        }
        if (!METHODS.contains(method)) {
            out.add("method '" + method + "' is not a pg_hba method. Use scram-sha-256 with a password, or"
                    + " trust for password-less roles on a closed network");
        }
        if (!type.equals("local")) {
            String problem = addressProblem(address);
            if (problem != null) {
                out.add(problem);
            }
        }
        return out;
    }

    static String addressProblem(String address) {
        if (Set.of("all", "samehost", "samenet").contains(address)) {
            return null;
        }
        int slash = address.indexOf('/');
        if (slash < 0) {
            if (address.matches("[0-9.]+") || address.contains(":") || !address.matches("\\.?[A-Za-z0-9.-]+")) {
                return "address '" + address + "' is neither a CIDR (e.g. 10.0.0.0/24), a host name, nor one of"
                        + " all/samehost/samenet. Add the prefix length: '" + address
                        + (address.contains(":") ? "/128'" : "/32'");
            }
            return null;
        }
        String ip = address.substring(0, slash);
        String bits = address.substring(slash + 1);
        boolean v6 = ip.contains(":");
        int max = v6 ? 128 : 32;
        boolean ok = bits.matches("\\d{1,3}") && Integer.parseInt(bits) <= max
                && (v6 ? ip.matches("[0-9A-Fa-f:.]+") : validIpv4(ip));
        return ok ? null : "address '" + address + "' is not a valid CIDR: expected an IPv4 address with a"
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

    @Override
    public String toString() {
        return toLine();
    }
}
