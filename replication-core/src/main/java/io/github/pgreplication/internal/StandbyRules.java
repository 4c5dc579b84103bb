package io.github.pgreplication.internal;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Problem;
import io.github.pgreplication.Standby;
import java.util.List;
import java.util.Map;

/**
 * Rules for one standby's paths and parameters, and for standbys that share a machine.
 *
 * <p>Two standbys share a machine when their hosts report the same {@link io.github.pgreplication.host.Host#machine()}:
 * every {@code LocalHost} is this machine (whatever user it runs as), {@code SshHost}s with the same address and
 * port are one machine, and a testkit {@code ContainerHost} is its container. Standbys on one machine need their
 * own data directory (neither inside the other) and their own port.
 */
final class StandbyRules {
    /** Parameters that stop a standby at a target instead of following the primary. */
    private static final List<String> RECOVERY_TARGETS = List.of("recovery_target", "recovery_target_lsn",
            "recovery_target_name", "recovery_target_time", "recovery_target_xid");
    private static final String EXAMPLE_DIR = "/var/lib/postgresql/17/main";

    private StandbyRules() {
    }

    /** Data directory and passfile: given, absolute, no '..', no control character, not a system directory. */
    static void paths(Standby s, String who, List<Problem> out) {
        String dir = s.dataDirectory();
        if (dir == null || dir.isBlank()) {
            out.add(new Problem(who + " data directory (none)", "every standby needs its PGDATA",
                    "Add .withDataDirectory(\"" + EXAMPLE_DIR + "\")"));
            return;
        }
        if (!dataDirectory(who, dir, out)) {
            return;
        }
        String passfile = s.effectivePassfile();
        String passSubject = who + " passfile '" + Text.printable(passfile) + "'"
                + (s.passfile() == null ? " (derived from the data directory)" : "");
        String passProblem = PathRules.fileProblem(passfile);
        String fix = "Keep it beside the data directory, e.g. .withPassfile(\"" + PathRules.normalise(dir)
                .replaceAll("/[^/]*$", "") + "/.pgpass-" + SlotName.suggest(s.name()) + "\")";
        if (passProblem != null) {
            out.add(new Problem(passSubject, passProblem, fix));
        } else if (PathRules.within(PathRules.normalise(dir), PathRules.normalise(passfile))) {
            out.add(new Problem(passSubject, "must not be inside the data directory " + PathRules.normalise(dir)
                    + ", which the clone must find empty (and pg_basebackup would copy the password)", fix));
        }
    }

    /**
     * The data directory rule, for a standby's and for the primary's (which becomes a standby's at a switchover,
     * and is emptied by a rejoin that clones it again).
     *
     * @param who the node, e.g. {@code standby 'eshub'}
     * @param dir its data directory as given, not null
     * @param out where the problem goes
     * @return whether it is a usable data directory
     */
    static boolean dataDirectory(String who, String dir, List<Problem> out) {
        String problem = PathRules.dataDirectoryProblem(dir);
        if (problem != null) {
            out.add(new Problem(who + " data directory '" + Text.printable(dir) + "'", problem, "Use a dedicated"
                    + " directory written from the root, e.g. .withDataDirectory(\"/var/lib/postgresql/data\")"));
            return false;
        }
        return true;
    }

    /** Parameters the library manages for a standby, which withParameter must not override. */
    static void managedParameters(Standby s, String who, List<Problem> out) {
        Map<String, String> p = s.parameters();
        String remove = "Remove .withParameter(\"%s\", ...)";
        if (p.containsKey("primary_slot_name")) {
            out.add(new Problem(who + " parameter primary_slot_name", "the library writes it from the standby's"
                    + " slot, which it also creates on the primary", String.format(remove, "primary_slot_name")
                    + " and use .withSlot(\"" + SlotName.suggest(Text.withoutControl(p.get("primary_slot_name")))
                    + "\")"));
        }
        if (p.containsKey("primary_conninfo")) {
            out.add(new Problem(who + " parameter primary_conninfo", "the library writes it from the description:"
                    + " host and port of the primary's endpoint, the replication role, application_name = the"
                    + " standby's name and its passfile", String.format(remove, "primary_conninfo") + "; set"
                    + " Primary.at(Endpoint.of(host, port)), replicationRole(...) and .withPassfile(...) instead"));
        }
        String port = p.get("port");
        if (port != null && !port.equals(Integer.toString(s.port()))) {
            String n = port.trim().matches("\\d{1,5}") ? port.trim() : "5433";
            out.add(new Problem(who + " parameter port '" + Text.printable(port) + "'", "the library connects to"
                    + " the standby on the port given with withPort (" + s.port() + ") and writes that one",
                    String.format(remove, "port") + " and use .withPort(" + n + ")"));
        }
        if (Validator.isOff(p.get("hot_standby"))) {
            out.add(new Problem(who + " parameter hot_standby '" + Text.printable(p.get("hot_standby")) + "'",
                    "the library checks that the standby streams with read-only queries, which hot_standby off refuses",
                    String.format(remove, "hot_standby")));
        }
        for (String target : RECOVERY_TARGETS) {
            if (p.containsKey(target)) {
                out.add(new Problem(who + " parameter " + target, "a standby set up by the library follows the"
                        + " primary; a recovery target would stop (or promote) it there", String.format(remove,
                        target)));
            }
        }
    }

    /** Standbys on one machine: their own data directory (neither inside the other) and their own port. */
    static void collisions(List<Standby> standbys, List<Problem> out) {
        for (int i = 0; i < standbys.size(); i++) {
            for (int j = 0; j < i; j++) {
                Standby a = standbys.get(j);
                Standby b = standbys.get(i);
                if (!a.host().machine().equals(b.host().machine())) {
                    continue;
                }
                String pair = "standbys '" + Text.printable(a.name()) + "' and '" + Text.printable(b.name())
                        + "' on " + Text.printable(b.host().machine());
                String da = usable(a.dataDirectory());
                String db = usable(b.dataDirectory());
                if (da != null && db != null) {
                    if (da.equals(db)) {
                        out.add(new Problem(pair + " data directory " + db, "both use it, and their clones"
                                + " would write into one directory", "Give '" + Text.printable(b.name())
                                + "' its own, e.g."
                                + " .withDataDirectory(\"" + sibling(db, b.name()) + "\")"));
                    } else if (PathRules.within(da, db) || PathRules.within(db, da)) {
                        out.add(new Problem(pair + " data directories " + da + " and " + db, "one is inside the"
                                + " other, so one clone would write into the other's directory", "Use sibling"
                                + " directories, e.g. .withDataDirectory(\"" + sibling(da, b.name()) + "\")"));
                    }
                }
                if (a.port() == b.port()) {
                    out.add(new Problem(pair + " port " + b.port(), "both would listen on it, so the second"
                            + " cannot start", "Give '" + Text.printable(b.name()) + "' its own port, e.g. .withPort("
                            + freePort(standbys, b) + ")"));
                }
            }
        }
    }

    private static String usable(String dir) {
        // Only a valid data directory (a refused one is reported as such), so what is shown here is short.
        return dir == null || PathRules.dataDirectoryProblem(dir) != null ? null : PathRules.normalise(dir);
    }

    private static String sibling(String dir, String name) {
        String parent = dir.replaceAll("/[^/]*$", "");
        return (parent.isEmpty() ? "/srv" : parent) + "/" + SlotName.suggest(Validator.nodeNameFor(name, "standby"));
    }

    private static int freePort(List<Standby> standbys, Standby s) {
        int port = s.port() == Endpoint.DEFAULT_PORT ? 5433 : s.port() + 1;
        while (port < 65535) {
            int candidate = port;
            if (standbys.stream().noneMatch(o -> o.port() == candidate)) {
                return candidate;
            }
            port++;
        }
        return 5433;
    }
}
