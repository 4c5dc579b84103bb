package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.PrimarySettings.WalLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a whole description at once and returns every problem, each with the value, the rule and the fix. */
public final class Validator {
    /** The rule for control characters, the same wherever a value reaches a file, a command or a log line. */
    public static final String CONTROL_RULE = "must not contain line breaks or NUL (nor any other control"
            + " character): it is written into configuration files, commands and logs";
    private static final Pattern STANDBY_NAME = Pattern.compile("[A-Za-z0-9_]{1,63}");
    /** The rule of {@link #isStandbyName}, for every node. */
    public static final String NODE_NAME_RULE = "node names use letters, digits and underscores, 1 to 63 characters"
            + " (a standby's name is the application_name the primary reports, and its slot's name with _slot)";
    /** The longest name whose default slot {@code <name>_slot} fits 63 bytes. */
    private static final int DEFAULT_SLOT_NAME_MAX = 63 - "_slot".length();
    private static final String PRIMARY_ROLES = "the primary becomes a standby at a switchover, so its name follows"
            + " the standbys' rule: ";
    private static final Pattern PARAMETER = Pattern.compile("[a-z_][a-z0-9_.]*");
    /** The rule {@link #isParameterName} checks. */
    public static final String PARAMETER_RULE = "PostgreSQL parameter names are lower-case letters, digits, _ and .,"
            + " each part between dots at most 63 characters";
    /** Database names the library puts in JDBC URLs and connection strings without quoting. */
    static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$.-]{0,62}");

    private final List<Problem> problems = new ArrayList<>();

    private Validator() {
    }

    /**
     * @param name a candidate standby name, or null
     * @return whether it is one: 1 to 63 letters, digits or underscores (it becomes an application_name, a slot's
     *         name and, in the testkit, a host name)
     */
    public static boolean isStandbyName(String name) {
        return name != null && STANDBY_NAME.matcher(name).matches();
    }

    /**
     * The rule for every node's name, whatever its place now: a primary becomes a standby at a switchover, and a
     * standby the primary, so each name is held to the rules of both.
     *
     * @param name    a node's name, or null
     * @param ownSlot whether the node has a slot of its own ({@code withSlot}); without, its slot is
     *                {@code <name>_slot} in lower case, which must fit PostgreSQL's 63 bytes as it is
     * @return the rule it breaks, or null
     */
    public static String nodeNameProblem(String name, boolean ownSlot) {
        if (!isStandbyName(name)) {
            return NODE_NAME_RULE;
        }
        String slot = defaultSlot(name);
        if (!ownSlot && slot.length() > Limits.NAME_BYTES) {
            return "its default slot '" + slot + "' would be " + slot.length() + " characters, and slot names are at"
                    + " most " + Limits.NAME_BYTES + " (NAMEDATALEN - 1)";
        }
        return null;
    }

    /**
     * @param text     any text, e.g. a host name or a refused name
     * @param fallback the name when nothing usable is left
     * @return a node name close to it that {@link #nodeNameProblem} takes without a slot of its own: every other
     *         character than letters, digits and underscores becomes {@code _}, at most 58 characters
     */
    public static String nodeNameFor(String text, String fallback) {
        String s = Text.withoutControl(text).replaceAll("[^A-Za-z0-9_]", "_");
        s = s.substring(0, Math.min(s.length(), DEFAULT_SLOT_NAME_MAX));
        return s.isEmpty() ? fallback : s;
    }

    private static String defaultSlot(String name) {
        return name.toLowerCase(java.util.Locale.ROOT) + "_slot";
    }

    /**
     * @param name a candidate parameter name, or null
     * @return whether it is one: lower-case letters, digits, _ and ., each part between dots at most 63 characters
     *         (ALTER SYSTEM reads the parts as identifiers, which PostgreSQL cuts at 63 bytes)
     */
    public static boolean isParameterName(String name) {
        if (name == null || !PARAMETER.matcher(name).matches()) {
            return false;
        }
        for (String part : name.split("\\.")) {
            if (part.length() > Limits.NAME_BYTES) {
                return false;
            }
        }
        return true;
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

    /**
     * @param config the description
     * @return every problem found, in order; empty when valid
     */
    public static List<Problem> validate(ReplicationConfig config) {
        Validator v = new Validator();
        v.primary(config.primary());
        v.problems.addAll(RoleRules.problems(config.role(), adminUsers(config)));
        v.settings(config);
        String exampleRole = RoleRules.validName(config.role().name(), adminUsers(config));
        for (HbaRule rule : config.hbaRules()) {
            List<String> ruleProblems = rule.problems();
            String fix = ruleProblems.isEmpty() ? null : HbaSuggestion.fix(rule, exampleRole);
            for (String p : ruleProblems) {
                v.add("pg_hba rule '" + Text.printable(rule.toString()) + "'", p, fix);
            }
        }
        v.standbys(config.standbys());
        v.primaryAmongStandbys(config.primary(), config.standbys());
        v.upstreams(config);
        StandbyRules.collisions(config.standbys(), v.problems);
        v.problems.addAll(SyncRules.problems(config));
        v.problems.addAll(TlsRules.problems(config));
        if (config.streamingTimeout().isNegative() || config.streamingTimeout().isZero()) {
            v.add("streaming timeout " + config.streamingTimeout(), "must be positive",
                    "Use for example .streamingTimeout(Duration.ofMinutes(1))");
        }
        return v.problems;
    }

    private static Set<String> adminUsers(ReplicationConfig config) {
        Set<String> users = new HashSet<>();
        users.add(config.primary().adminUser());
        config.standbys().forEach(s -> users.add(s.adminUser()));
        return users;
    }

    private void add(String subject, String rule, String fix) {
        problems.add(new Problem(subject, rule, fix));
    }

    /**
     * The one check for control characters in a value that reaches a file, a command or a log line.
     *
     * @param subject what the value is, e.g. {@code primary name}
     * @param value   the value; null is left to other checks
     * @param fix     what to do instead
     * @return whether the value was free of them
     */
    private boolean controlFree(String subject, String value, String fix) {
        if (Text.hasControl(value)) {
            add(subject + " '" + Text.printable(value) + "'", CONTROL_RULE, fix);
            return false;
        }
        return true;
    }

    private void primary(Primary p) {
        String who = "primary '" + Text.printable(p.name()) + "'";
        if (controlFree("primary name", p.name(), "Give a name on one line: .withName(\""
                + nodeNameFor(p.name(), "primary") + "\")")) {
            if (p.name().isBlank()) {
                add("primary name '" + Text.printable(p.name()) + "'", "a name must not be empty: logs, runbooks and"
                        + " messages show it", "Give one: .withName(\"primary\")");
            } else {
                primaryName(p);
            }
        }
        if (p.dataDirectory() != null) {
            StandbyRules.dataDirectory(who, p.dataDirectory(), problems);
        }
        endpoint(who, "endpoint", p.endpoint());
        if (!p.adminEndpoint().equals(p.endpoint())) {
            endpoint(who, "admin endpoint", p.adminEndpoint());
        }
        user(who + " admin user", p.adminUser(), ".withAdmin(\"postgres\", Secret.none())");
        database(who, p.database(), "Use .withDatabase(\"postgres\")");
    }

    /** The primary's name by the standbys' rule: it becomes a standby's at a switchover, with no slot given. */
    private void primaryName(Primary p) {
        String rule = nodeNameProblem(p.name(), false);
        if (rule != null) {
            add("primary name '" + Text.printable(p.name()) + "'", PRIMARY_ROLES + rule, "Try .withName(\""
                    + nodeNameFor(p.name(), "primary") + "\")");
        }
    }

    /**
     * The primary among the standbys: its own name, and a slot of its own when it becomes a standby at a
     * switchover ({@code <name>_slot}) that no standby uses.
     */
    private void primaryAmongStandbys(Primary p, List<Standby> standbys) {
        String slot = SlotName.suggest(p.name() + "_slot");
        for (Standby s : standbys) {
            String who = "standby '" + Text.printable(s.name()) + "'";
            if (s.name().equals(p.name())) {
                add("primary '" + Text.printable(p.name()) + "' and " + who, "each node needs its own name: it"
                        + " names the node in operations, and a standby's is its application_name",
                        "Rename one, e.g. .withName(\"" + nodeNameFor(p.name(), "primary").replaceAll("^(.{56}).*",
                                "$1") + "_2\")");
            } else if (s.effectiveSlotName().equals(slot)) {
                String other = SlotName.suggest(s.name() + "_slot");
                add(who + " slot '" + slot + "'", "it is the slot primary '" + Text.printable(p.name()) + "' gets"
                        + " when it becomes a standby at a switchover, and a physical slot serves one standby",
                        "Give the standby another: .withSlot(\"" + (other.equals(slot)
                                ? SlotName.suggest(s.name() + "_2_slot") : other) + "\")");
            }
        }
    }

    /** The database the library connects to on a node: into JDBC URLs and {@code psql -d}. */
    private void database(String who, String database, String fix) {
        if (controlFree(who + " database", database, fix) && !DATABASE.matcher(database).matches()) {
            add(who + " database '" + Text.printable(database) + "'", "the library connects to a plain database name"
                    + " (letters, digits, _ $ . -, 1 to 63 characters, not starting with $ . or -): it goes into JDBC URLs,"
                    + " where ? / & or spaces would add driver parameters", fix);
        }
    }

    private void user(String subject, String user, String fix) {
        if (!controlFree(subject, user, "Use " + fix)) {
            return;
        }
        if (user.isBlank()) {
            add(subject + " ''", "a user name must not be empty", "Use " + fix);
        } else if (Limits.nameProblem(user) != null) {
            add(subject + " '" + Text.printable(user) + "'", Limits.nameProblem(user), "Use " + fix);
        }
    }

    private void endpoint(String owner, String what, Endpoint e) {
        if (e.host().isBlank()) {
            add(owner + " " + what + " host '" + Text.printable(e.host()) + "'", "the host must not be empty",
                    "Give a host name or IP address: Endpoint.of(\"db.example.com\", 5432)");
        } else if (!e.host().matches("[A-Za-z0-9_.:%-]+")) {
            add(owner + " " + what + " host '" + Text.printable(e.host()) + "'", "a host is a name or an IP address,"
                    + " without spaces or quotes (nor control characters)", "Write only the host, e.g."
                    + " Endpoint.of(\"db.example.com\", 5432)");
        } else if (Limits.hostProblem(e.host()) != null) {
            add(owner + " " + what + " host '" + Text.printable(e.host()) + "'", Limits.hostProblem(e.host()),
                    "Write the host's name as DNS knows it, e.g. Endpoint.of(\"db.example.com\", 5432)");
        }
        if (e.port() < 1 || e.port() > 65535) {
            String host = e.host().matches("[A-Za-z0-9_.:%-]+") ? e.host() : "db.example.com";
            add(owner + " " + what + " port " + e.port(), "a TCP port is between 1 and 65535",
                    "PostgreSQL's default is 5432: Endpoint.of(\"" + host + "\", 5432)");
        }
    }

    private void settings(ReplicationConfig config) {
        Map<String, String> values = config.settings().asMap();
        values.forEach((name, value) -> {
            if (!isParameterName(name)) {
                add("parameter name '" + Text.printable(name) + "'", PARAMETER_RULE, "Check the spelling in the"
                        + " PostgreSQL documentation, e.g."
                        + " withParameter(\"log_min_messages\", \"warning\")");
            }
            if (Text.hasControl(value)) {
                add("value of " + Text.printable(name) + " '" + Text.printable(value) + "'", CONTROL_RULE,
                        "Write the value on one line");
            } else {
                SettingRules.check(name, value).ifPresent(problems::add);
            }
        });
        int standbys = config.standbys().size();
        if (standbys > 0 && WalLevel.MINIMAL.toPostgres().equals(values.get("wal_level"))) {
            add("wal_level = 'minimal'", "standbys need WAL with replica information: wal_level replica or logical",
                    "Use withWalLevel(WalLevel.REPLICA)");
        }
        if (standbys > 0 && isOff(values.get("hot_standby"))) {
            add("hot_standby = '" + Text.printable(values.get("hot_standby")) + "'", "standbys inherit it, and the"
                    + " library checks that a standby streams with read-only queries, which hot_standby off refuses",
                    "Remove it, or use withHotStandby(true)");
        }
        int needed = requiredWalSenders(standbys, config.parallel());
        String theStandbys = standbys == 1 ? "the standby needs " : "the " + standbys + " standbys need ";
        intAtLeast(values, "max_wal_senders", needed, theStandbys + needed + " (" + (config.parallel()
                ? "pg_basebackup -Xs holds two connections while each parallel clone runs"
                : "one per streaming standby plus two for the clone running") + ")",
                "Use withMaxWalSenders(" + Math.max(needed, 10) + ")");
        intAtLeast(values, "max_replication_slots", standbys, (standbys == 1 ? "the standby needs"
                : "each of the " + standbys + " standbys needs") + " its own slot",
                "Use withMaxReplicationSlots(" + Math.max(standbys, 10) + ")");
    }

    static boolean isOff(String value) {
        return value != null && Set.of("off", "false", "no", "0", "f").contains(value.trim().toLowerCase());
    }

    private void intAtLeast(Map<String, String> values, String name, int needed, String rule, String fix) {
        String v = values.get(name);
        if (v == null || !v.trim().matches("-?\\d{1,9}")) {
            return; // not a number: SettingRules reported it
        }
        int n = Integer.parseInt(v.trim());
        if (n < needed && n >= 0) {
            add(name + " = " + n, rule, fix);
        }
    }

    private void standbys(List<Standby> standbys) {
        Set<String> names = new HashSet<>();
        Map<String, String> slotOwner = new HashMap<>();
        for (Standby s : standbys) {
            String who = "standby '" + Text.printable(s.name()) + "'";
            String nameRule = nodeNameProblem(s.name(), s.slotName() != null);
            if (nameRule != null) {
                add(who + " name", nameRule.equals(NODE_NAME_RULE) ? nameRule : nameRule + ": give it a name of at"
                        + " most " + DEFAULT_SLOT_NAME_MAX + " characters or its own slot",
                        "Try Standby.named(\"" + nodeNameFor(s.name(), "standby") + "\")" + (isStandbyName(s.name())
                                ? " or .withSlot(\"" + SlotName.suggest(s.name()) + "\")" : ""));
            }
            if (!names.add(s.name())) {
                add(who, "two standbys have this name; each needs its own", "Rename one, e.g. Standby.named(\""
                        + nodeNameFor(s.name(), "standby").replaceAll("^(.{56}).*", "$1") + "_2\")");
            }
            String slot = s.effectiveSlotName();
            if (SlotName.problem(slot) != null) {
                add(who + " slot name '" + Text.printable(slot) + "'",
                        "slot names use only lower-case letters, digits and underscores, 1 to 63 characters",
                        "Try .withSlot(\"" + SlotName.suggest(Text.withoutControl(slot)) + "\")");
            }
            String owner = slotOwner.putIfAbsent(slot, s.name());
            if (owner != null && !owner.equals(s.name())) {
                add(who + " slot '" + Text.printable(slot) + "'", "standby '" + Text.printable(owner) + "' uses this"
                        + " slot too; a physical slot serves one standby", "Give each its own: .withSlot(\""
                        + SlotName.suggest(s.name() + "_slot") + "\")");
            }
            StandbyRules.paths(s, who, problems);
            if (s.port() < 1 || s.port() > 65535) {
                add(who + " port " + s.port(), "a TCP port is between 1 and 65535", "Use .withPort(5432)");
            }
            if (s.adminEndpoint() != null) {
                endpoint(who, "admin endpoint", s.adminEndpoint());
            }
            user(who + " admin user", s.adminUser(), ".withAdminEndpoint(endpoint, \"postgres\", Secret.none())");
            database(who, s.node().database(), "Use Standby.of(Node.named(\"" + SlotName.suggest(
                    Text.withoutControl(s.name())) + "\").withDatabase(\"postgres\"))");
            if (s.cloneMethods().isEmpty()) {
                add(who + " clone methods (none)", "a standby needs at least one way to be cloned",
                        "Use .withCloneMethods(BaseBackup.defaults())");
            }
            s.parameters().forEach((name, value) -> {
                if (!isParameterName(name)) {
                    add(who + " parameter name '" + Text.printable(name) + "'", PARAMETER_RULE, "Check the"
                            + " spelling, e.g. .withParameter("
                            + "\"max_standby_streaming_delay\", \"30s\")");
                }
                controlFree(who + " value of " + Text.printable(name), value, "Write the value on one line");
            });
            StandbyRules.managedParameters(s, who, problems);
        }
    }

    /**
     * Each upstream (Standby.streamingFrom) is a node of the set-up, and following upstreams from any standby
     * reaches the primary: no standby streams from itself or from a standby that streams, in the end, from it.
     */
    private void upstreams(ReplicationConfig config) {
        List<String> names = config.standbys().stream().map(Standby::name).toList();
        Set<String> inCycle = new HashSet<>();
        for (Standby s : config.standbys()) {
            String up = s.upstream();
            if (up == null || up.equals(config.primary().name())) {
                continue;
            }
            String who = "standby '" + Text.printable(s.name()) + "' upstream '" + Text.printable(up) + "'";
            if (up.equals(s.name())) {
                add(who, "a standby cannot stream from itself", "Remove streamingFrom(...), or name another"
                        + " standby of the set-up: " + without(names, s.name()));
                inCycle.add(s.name());
            } else if (!names.contains(up)) {
                add(who, "an upstream is a node of the set-up: the primary '" + Text.printable(config.primary()
                        .name()) + "' or one of its standbys " + names, "Use streamingFrom(...) with one of "
                        + without(names, s.name()) + ", or add that standby with addStandby(Standby.named(\""
                        + nodeNameFor(up, "standby") + "\"))");
            } else if (!inCycle.contains(s.name())) {
                List<String> chain = new ArrayList<>(List.of(s.name()));
                String next = up;
                while (next != null && !next.equals(config.primary().name()) && names.contains(next)
                        && !chain.contains(next)) {
                    chain.add(next);
                    String current = next;
                    next = config.standbys().stream().filter(o -> o.name().equals(current)).findFirst()
                            .map(Standby::upstream).orElse(null);
                }
                if (next != null && chain.contains(next) && next.equals(s.name())) {
                    inCycle.addAll(chain);
                    chain.add(next);
                    add("standbys " + chain.stream().map(n -> Text.printable(n)).toList(), "upstreams form a cycle:"
                            + " following streamingFrom(...) from '" + Text.printable(s.name()) + "' never reaches"
                            + " the primary, so none of them would ever receive WAL", "Make one of them stream from"
                            + " the primary: remove its streamingFrom(...)");
                }
            }
        }
    }

    private static List<String> without(List<String> names, String name) {
        return names.stream().filter(n -> !n.equals(name)).toList();
    }
}
