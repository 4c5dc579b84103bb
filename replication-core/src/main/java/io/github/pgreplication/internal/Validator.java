package io.github.pgreplication.internal;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.SlotName;
import io.github.pgreplication.Standby;
import io.github.pgreplication.WalLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a whole description at once and returns every problem, each with the value, the rule and the fix. */
public final class Validator {
    private static final Pattern STANDBY_NAME = Pattern.compile("[A-Za-z0-9_]{1,63}");
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_$.-]{1,63}");
    private static final Pattern PARAMETER = Pattern.compile("[a-z_][a-z0-9_.]*");
    private static final Set<String> SIZE_PARAMETERS =
            Set.of("max_wal_size", "min_wal_size", "wal_keep_size", "max_slot_wal_keep_size");

    private final List<Problem> problems = new ArrayList<>();

    private Validator() {
    }

    /**
     * @param standbys how many standbys
     * @param parallel whether they are cloned at the same time
     * @return WAL senders needed: pg_basebackup -Xs holds two while it runs, a streaming standby holds one
     */
    public static int requiredWalSenders(int standbys, boolean parallel) {
        if (standbys == 0) {
            return 0;
        }
        return parallel ? 2 * standbys : standbys + 1;
    }

    /** @param config the description @return every problem found, in order; empty when valid */
    public static List<Problem> validate(ReplicationConfig config) {
        Validator v = new Validator();
        v.primary(config.primary());
        v.role(config.role());
        v.settings(config);
        for (HbaRule rule : config.hbaRules()) {
            for (String p : rule.problems()) {
                v.add("pg_hba rule '" + rule.toLine() + "'", p, "Example: HbaRule.parse(\"host replication "
                        + config.role().name() + " 10.0.0.0/24 scram-sha-256\")");
            }
        }
        v.standbys(config.standbys());
        if (config.streamingTimeout().isNegative() || config.streamingTimeout().isZero()) {
            v.add("streaming timeout " + config.streamingTimeout(), "must be positive",
                    "Use for example .streamingTimeout(Duration.ofMinutes(1))");
        }
        return v.problems;
    }

    private void add(String subject, String rule, String fix) {
        problems.add(new Problem(subject, rule, fix));
    }

    private void primary(Primary p) {
        endpoint("primary '" + p.name() + "'", "endpoint", p.endpoint());
        if (!p.adminEndpoint().equals(p.endpoint())) {
            endpoint("primary '" + p.name() + "'", "admin endpoint", p.adminEndpoint());
        }
    }

    private void endpoint(String owner, String what, Endpoint e) {
        if (e.host() == null || e.host().isBlank()) {
            add(owner + " " + what + " host '" + e.host() + "'", "the host must not be empty",
                    "Give a host name or IP address: Endpoint.of(\"db.example.com\", 5432)");
        } else if (!e.host().matches("[A-Za-z0-9_.:%-]+")) {
            add(owner + " " + what + " host '" + e.host() + "'", "a host is a name or an IP address, without spaces"
                    + " or quotes", "Write only the host, e.g. Endpoint.of(\"db.example.com\", 5432)");
        }
        if (e.port() < 1 || e.port() > 65535) {
            add(owner + " " + what + " port " + e.port(), "a TCP port is between 1 and 65535",
                    "PostgreSQL's default is 5432: Endpoint.of(\"" + e.host() + "\", 5432)");
        }
    }

    private void role(ReplicationRole role) {
        String name = role.name();
        if (!ROLE_NAME.matcher(name).matches()) {
            add("replication role name '" + printable(name) + "'", "role names here use letters, digits and _ $ . -,"
                    + " 1 to 63 characters: the name also goes into pg_hba.conf and connection strings, where quotes,"
                    + " backslashes, spaces and line breaks cannot all be written safely",
                    "Try ReplicationRole.named(\"" + suggestRole(name) + "\")");
        }
        role.password().reveal().ifPresent(pw -> {
            if (pw.isEmpty()) {
                add("replication role password (empty)", "an empty password cannot be used to log in",
                        "Use withoutPassword() and a trust rule, or give a non-empty password");
            } else if (pw.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0)) {
                add("replication role password ****", "a password must not contain line breaks or NUL: the"
                        + " passfile the standbys read holds one entry per line",
                        "Choose a password without line breaks (quotes, backslashes and ; are fine)");
            }
        });
    }

    private void settings(ReplicationConfig config) {
        Map<String, String> values = config.settings().asMap();
        values.forEach((name, value) -> {
            if (!PARAMETER.matcher(name).matches()) {
                add("parameter name '" + printable(name) + "'", "PostgreSQL parameter names are lower-case letters,"
                        + " digits, _ and .", "Check the spelling in the PostgreSQL documentation, e.g."
                        + " withParameter(\"log_min_messages\", \"warning\")");
            }
            if (value.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0)) {
                add("value of " + name, "parameter values must not contain line breaks or NUL",
                        "Write the value on one line");
            }
            if (SIZE_PARAMETERS.contains(name) && !value.trim().matches("-?\\d+")) {
                try {
                    DataSize.parse(value);
                } catch (IllegalArgumentException e) {
                    add(name + " = '" + value + "'", e.getMessage().replaceFirst("\\s*Try.*$", "")
                            .replaceAll("\\.$", ""), e.getMessage().replaceFirst("^.*?(Try.*)$", "$1"));
                }
            }
        });
        int standbys = config.standbys().size();
        if (standbys > 0 && WalLevel.MINIMAL.toPostgres().equals(values.get("wal_level"))) {
            add("wal_level = 'minimal'", "standbys need WAL with replica information: wal_level replica or logical",
                    "Use withWalLevel(WalLevel.REPLICA)");
        }
        int needed = requiredWalSenders(standbys, config.parallel());
        intAtLeast(values, "max_wal_senders", needed, "the " + standbys + " standbys need " + needed + " ("
                + (config.parallel() ? "pg_basebackup -Xs holds two connections while each parallel clone runs"
                : "one per streaming standby plus two for the clone running") + ")",
                "Use withMaxWalSenders(" + Math.max(needed, 10) + ")");
        intAtLeast(values, "max_replication_slots", standbys, "each of the " + standbys
                + " standbys needs its own slot", "Use withMaxReplicationSlots(" + Math.max(standbys, 10) + ")");
    }

    private void intAtLeast(Map<String, String> values, String name, int needed, String rule, String fix) {
        String v = values.get(name);
        if (v == null) {
            return;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            add(name + " = '" + v + "'", "must be a whole number", fix);
            return;
        }
        if (n < needed) {
            add(name + " = " + n, rule, fix);
        }
    }

    private void standbys(List<Standby> standbys) {
        Set<String> names = new HashSet<>();
        Map<String, String> slotOwner = new HashMap<>();
        for (Standby s : standbys) {
            String who = "standby '" + printable(s.name()) + "'";
            if (!STANDBY_NAME.matcher(s.name()).matches()) {
                add(who + " name", "standby names use letters, digits and underscores, 1 to 63 characters (the name"
                        + " is the application_name the primary reports)",
                        "Try Standby.named(\"" + SlotName.suggest(s.name()) + "\")");
            }
            if (!names.add(s.name())) {
                add(who, "two standbys have this name; each needs its own", "Rename one, e.g. Standby.named(\""
                        + s.name() + "_2\")");
            }
            String slot = s.effectiveSlotName();
            String slotProblem = SlotName.problem(slot);
            if (slotProblem != null) {
                add(who + " " + slotProblem.substring(0, slotProblem.indexOf(" is invalid")),
                        "slot names use only lower-case letters, digits and underscores, 1 to 63 characters",
                        "Try .withSlot(\"" + SlotName.suggest(slot) + "\")");
            }
            String owner = slotOwner.putIfAbsent(slot, s.name());
            if (owner != null && !owner.equals(s.name())) {
                add(who + " slot '" + slot + "'", "standby '" + owner + "' uses this slot too; a physical slot serves"
                        + " one standby", "Give each its own: .withSlot(\"" + SlotName.suggest(s.name()) + "_slot\")");
            }
            if (s.dataDirectory() == null || s.dataDirectory().isBlank()) {
                add(who + " data directory (none)", "every standby needs its PGDATA", "Add"
                        + " .withDataDirectory(\"/var/lib/postgresql/17/main\")");
            } else if (!s.dataDirectory().startsWith("/")) {
                add(who + " data directory '" + s.dataDirectory() + "'", "must be an absolute path",
                        "Write it from the root, e.g. /var/lib/postgresql/data");
            } else if (s.dataDirectory().replaceAll("/+$", "").isEmpty()) {
                add(who + " data directory '/'", "the root directory cannot be a data directory",
                        "Use a dedicated directory such as /var/lib/postgresql/data");
            }
            if (s.port() < 1 || s.port() > 65535) {
                add(who + " port " + s.port(), "a TCP port is between 1 and 65535", "Use .withPort(5432)");
            }
            if (s.adminEndpoint() != null) {
                endpoint(who, "admin endpoint", s.adminEndpoint());
            }
            if (s.cloneMethods().isEmpty()) {
                add(who + " clone methods (none)", "a standby needs at least one way to be cloned",
                        "Use .withCloneMethods(BaseBackup.defaults())");
            }
            s.parameters().forEach((name, value) -> {
                if (!PARAMETER.matcher(name).matches()) {
                    add(who + " parameter name '" + printable(name) + "'", "PostgreSQL parameter names are"
                            + " lower-case letters, digits, _ and .", "Check the spelling");
                }
            });
        }
    }

    private static String suggestRole(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_$.-]", "_");
        if (s.isEmpty()) {
            return "replicator";
        }
        return s.substring(0, Math.min(63, s.length()));
    }

    private static String printable(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
    }
}
