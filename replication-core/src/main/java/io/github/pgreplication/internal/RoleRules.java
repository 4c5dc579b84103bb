package io.github.pgreplication.internal;

import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a replication role name must be: a plain name (it goes unquoted into pg_hba.conf and connection strings),
 * not one PostgreSQL reserves ({@code pg_} prefix, {@code public}, {@code none}, {@code current_user},
 * {@code session_user}, {@code current_role}), not a pg_hba keyword ({@code all}, {@code sameuser},
 * {@code samerole}, {@code samegroup}; {@code +} and {@code @} prefixes are outside the plain characters), and not
 * an admin user of the description (apply() sets the role's password and attributes: the library would lock
 * itself out). Compared case-insensitively: PostgreSQL folds unquoted names to lower case, so {@code Postgres}
 * written in SQL or a connection by hand is {@code postgres}.
 */
final class RoleRules {
    static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_$.-]{1,63}");
    private static final Set<String> RESERVED = Set.of("public", "none", "current_user", "session_user",
            "current_role");
    private static final Set<String> HBA_KEYWORDS = Set.of("all", "sameuser", "samerole", "samegroup");

    private RoleRules() {
    }

    /**
     * @param role   the replication role
     * @param admins every admin user of the description
     * @return every problem with the role's name and password
     */
    static List<Problem> problems(ReplicationRole role, Set<String> admins) {
        List<Problem> out = new ArrayList<>();
        String name = role.name();
        String rule = nameRule(name, admins);
        if (rule != null) {
            out.add(new Problem("replication role name '" + Text.printable(name) + "'", rule,
                    "Try ReplicationRole.named(\"" + validName(name, admins) + "\")"));
        }
        role.password().reveal().ifPresent(pw -> {
            if (pw.isEmpty()) {
                out.add(new Problem("replication role password (empty)", "an empty password cannot be used to log in",
                        "Use withoutPassword() and a trust rule, or give a non-empty password"));
            } else if (Text.hasControl(pw)) {
                out.add(new Problem("replication role password ****", "a password must not contain line breaks or"
                        + " NUL, nor other control characters: the passfile the standbys read holds one entry per"
                        + " line", "Choose a password without line breaks (quotes, backslashes and ; are fine)"));
            }
        });
        return out;
    }

    /** @return the rule the name breaks, or null */
    private static String nameRule(String name, Set<String> admins) {
        if (!ROLE_NAME.matcher(name).matches()) {
            return "role names here use letters, digits and _ $ . -, 1 to 63 characters: the name also goes into"
                    + " pg_hba.conf and connection strings, where quotes, backslashes, spaces, line breaks and the"
                    + " + and @ prefixes cannot all be written safely";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("pg_")) {
            return "PostgreSQL reserves role names starting with pg_ for its own roles";
        }
        if (RESERVED.contains(lower)) {
            return "PostgreSQL reserves '" + lower + "' (it means something else in GRANT and SET ROLE), so it"
                    + " cannot name a role";
        }
        if (HBA_KEYWORDS.contains(lower)) {
            return "'" + lower + "' is a pg_hba.conf keyword, so a rule for this role would match other roles";
        }
        for (String admin : admins) {
            if (admin.equalsIgnoreCase(name)) {
                return "it is the admin user '" + Text.printable(admin) + "' the library connects as: apply() sets"
                        + " the replication role's password and attributes, which would lock the library (and you)"
                        + " out. Compared case-insensitively, as PostgreSQL folds unquoted names";
            }
        }
        return null;
    }

    /**
     * @param name   a role name, maybe invalid
     * @param admins the admin users of the description
     * @return the name when it is valid, else a valid name close to it
     */
    static String validName(String name, Set<String> admins) {
        if (nameRule(name, admins) == null) {
            return name;
        }
        String s = name.replaceAll("[^A-Za-z0-9_$.-]", "_");
        if (s.toLowerCase(Locale.ROOT).startsWith("pg_")) {
            s = s.substring(3);
        }
        s = s.substring(0, Math.min(63, s.length()));
        for (String candidate : List.of(s, "replicator", "standby_replicator", "pgreplication_replicator")) {
            if (nameRule(candidate, admins) == null) {
                return candidate;
            }
        }
        return "replicator_" + Integer.toHexString(admins.hashCode());
    }
}
