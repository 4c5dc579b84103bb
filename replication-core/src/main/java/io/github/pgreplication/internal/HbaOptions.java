package io.github.pgreplication.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which pg_hba authentication options each method accepts, and the rules PostgreSQL applies to a rule's method
 * and connection type, as in PostgreSQL's "Authentication Methods" chapter and its hba.c (checked against
 * {@code pg_hba_file_rules} of PostgreSQL 15). A rule breaking one is refused at load(), instead of being found
 * in {@code pg_hba_file_rules} after the file was written.
 *
 * <p>Stricter than PostgreSQL on purpose: {@code ldap} needs {@code ldapserver} or {@code ldapurl} (PostgreSQL may
 * fall back to DNS SRV records, which the library cannot check).
 */
public final class HbaOptions {
    /** Options whose values are secrets, masked in messages and runbooks. */
    public static final Set<String> SECRETS = Set.of("ldapbindpasswd", "radiussecrets");
    private static final Set<String> ANY_METHOD = Set.of("clientcert", "clientname");
    private static final Set<String> LDAP = Set.of("ldapurl", "ldaptls", "ldapscheme", "ldapserver", "ldapport",
            "ldapbinddn", "ldapbindpasswd", "ldapsearchattribute", "ldapsearchfilter", "ldapbasedn", "ldapprefix",
            "ldapsuffix");
    private static final Set<String> SEARCH = Set.of("ldapbasedn", "ldapbinddn", "ldapbindpasswd",
            "ldapsearchattribute", "ldapsearchfilter", "ldapurl");
    private static final Map<String, Set<String>> BY_METHOD = Map.of(
            "ident", Set.of("map"),
            "peer", Set.of("map"),
            "cert", Set.of("map"),
            "gss", Set.of("map", "krb_realm", "include_realm"),
            "sspi", Set.of("map", "krb_realm", "include_realm", "compat_realm", "upn_username"),
            "pam", Set.of("pamservice", "pam_use_hostname"),
            "ldap", LDAP,
            "radius", Set.of("radiusservers", "radiussecrets", "radiusidentifiers", "radiusports"));
    private static final Map<String, Set<String>> VALUES = Map.of(
            "clientcert", Set.of("verify-ca", "verify-full"),
            "clientname", Set.of("CN", "DN"),
            "ldapscheme", Set.of("ldap", "ldaps"),
            "ldaptls", Set.of("0", "1"),
            "pam_use_hostname", Set.of("0", "1"),
            "include_realm", Set.of("0", "1"),
            "compat_realm", Set.of("0", "1"),
            "upn_username", Set.of("0", "1"));

    private HbaOptions() {
    }

    /**
     * @param type    connection type
     * @param method  authentication method
     * @param options the rule's options
     * @return every problem with the method on this connection type and with the options, each a message with
     *         the value, the rule and a fix
     */
    public static List<String> problems(String type, String method, Map<String, String> options) {
        List<String> out = methodOnType(type, method);
        Set<String> known = new TreeSet<>(ANY_METHOD);
        known.addAll(BY_METHOD.getOrDefault(method, Set.of()));
        options.forEach((key, value) -> out.addAll(option(type, method, known, key, value)));
        if (method.equals("cert") && "verify-ca".equals(options.get("clientcert"))) {
            out.add("option 'clientcert=verify-ca' cannot be used with method 'cert', which always checks the"
                    + " certificate's name. Use clientcert=verify-full, or leave clientcert out");
        }
        if (options.containsKey("ldapport") && !options.get("ldapport").matches("\\d{1,5}")) {
            out.add("option 'ldapport=" + Text.printable(options.get("ldapport")) + "' is not a TCP port. Use e.g."
                    + " ldapport=389");
        }
        if (method.equals("ldap")) {
            out.addAll(ldap(options));
        }
        if (method.equals("radius")) {
            out.addAll(radius(options));
        }
        return out;
    }

    /** @return the problems of the method on this connection type, in a list the caller may add to */
    private static List<String> methodOnType(String type, String method) {
        List<String> out = new ArrayList<>();
        boolean local = type.equals("local");
        if (method.equals("peer") && !local) {
            out.add("method 'peer' works only on local (Unix socket) rules: it asks the kernel who the client is."
                    + " Use 'local' with peer, or scram-sha-256 for " + Text.printable(type) + " connections");
        }
        if (method.equals("cert") && !type.equals("hostssl")) {
            out.add("method 'cert' needs a hostssl rule (it authenticates with the client's TLS certificate). Use"
                    + " 'hostssl ... cert'");
        }
        if (method.equals("gss") && local) {
            out.add("method 'gss' is not supported on local (Unix socket) rules. Use 'host' or 'hostgssenc'");
        }
        return out;
    }

    /** @return the problems of one option: its name, whether the method takes it, its value */
    private static List<String> option(String type, String method, Set<String> known, String key, String value) {
        String shownMethod = Text.printable(method);
        if (!key.matches("[a-z_]+")) {
            return List.of("option '" + Text.printable(key) + "' is not an option name (lower-case letters and _)."
                    + " Options for " + shownMethod + ": " + known);
        }
        if (!known.contains(key)) {
            return List.of("option '" + Text.printable(key) + "' is not accepted by method '" + shownMethod
                    + "'. Options for " + shownMethod + ": " + known + optionHome(key));
        }
        List<String> out = new ArrayList<>();
        String shown = key + "=" + (SECRETS.contains(key) ? "****" : Text.printable(value));
        if (Text.hasControl(value)) {
            out.add("option " + (SECRETS.contains(key) ? key + "=****" : "'" + shown + "'") + " must not contain"
                    + " line breaks, NUL or other control characters: pg_hba.conf holds one rule per line."
                    + " Write the value on one line");
        } else if (value.isEmpty()) {
            out.add("option '" + key + "=' has no value. Give one, e.g. " + example(key));
        } else if (VALUES.containsKey(key) && !VALUES.get(key).contains(value)) {
            out.add("option '" + shown + "': " + key + " accepts " + new TreeSet<>(VALUES.get(key)) + ". Use e.g. "
                    + example(key));
        }
        if (ANY_METHOD.contains(key) && !type.equals("hostssl")) {
            out.add("option '" + shown + "' needs a hostssl rule (it checks the client's TLS certificate). Use"
                    + " 'hostssl' instead of '" + Text.printable(type) + "'");
        }
        return out;
    }

    private static List<String> radius(Map<String, String> options) {
        List<String> out = new ArrayList<>();
        for (String required : List.of("radiusservers", "radiussecrets")) {
            if (!options.containsKey(required)) {
                out.add("method 'radius' needs option " + required + ". Add it, e.g. "
                        + "withOption(\"" + required + "\", \"" + (required.equals("radiusservers")
                        ? "radius.example.net" : "****") + "\")");
            }
        }
        int servers = options.getOrDefault("radiusservers", "").split(",", -1).length;
        for (String list : List.of("radiussecrets", "radiusidentifiers", "radiusports")) {
            int n = options.containsKey(list) ? options.get(list).split(",", -1).length : 1;
            if (n != 1 && n != servers) {
                out.add("option " + list + " lists " + n + " values for " + servers + " RADIUS server(s): give"
                        + " one for all, or one per server, in the same order");
            }
        }
        return out;
    }

    private static List<String> ldap(Map<String, String> o) {
        List<String> out = new ArrayList<>();
        boolean url = o.containsKey("ldapurl");
        if (!url && !o.containsKey("ldapserver")) {
            out.add("method 'ldap' needs option ldapserver (or ldapurl): the library does not rely on DNS SRV"
                    + " records. Add e.g. ldapserver=ldap.example.net");
        }
        boolean simple = o.containsKey("ldapprefix") || o.containsKey("ldapsuffix");
        if (!url && !simple && !o.containsKey("ldapbasedn")) {
            out.add("method 'ldap' needs ldapprefix/ldapsuffix (simple bind) or ldapbasedn (search and bind). Add"
                    + " e.g. ldapbasedn=\"dc=example,dc=net\"");
        }
        if (simple && o.keySet().stream().anyMatch(SEARCH::contains)) {
            out.add("method 'ldap' cannot mix simple bind options (ldapprefix, ldapsuffix) with search and bind"
                    + " options " + SEARCH + ". Keep one mode");
        }
        if (o.containsKey("ldapsearchattribute") && o.containsKey("ldapsearchfilter")) {
            out.add("method 'ldap' takes ldapsearchattribute or ldapsearchfilter, not both. Keep one");
        }
        return out;
    }

    private static String optionHome(String key) {
        for (Map.Entry<String, Set<String>> e : BY_METHOD.entrySet()) {
            if (e.getValue().contains(key) && !key.equals("map")) {
                return " (" + key + " belongs to method " + e.getKey() + ")";
            }
        }
        return key.equals("map") ? " (map belongs to methods cert, gss, ident, peer and sspi)" : "";
    }

    private static String example(String key) {
        return switch (key) {
            case "clientcert" -> "clientcert=verify-full";
            case "clientname" -> "clientname=CN";
            case "ldapscheme" -> "ldapscheme=ldaps";
            case "map" -> "map=standbys";
            default -> VALUES.containsKey(key) ? key + "=1" : key + "=value";
        };
    }
}
