package io.github.pgreplication.internal;

import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the standby's data directory with its clone methods, in order. Done when the directory already holds a
 * standby of this primary (PG_VERSION, standby.signal, same system identifier). A non-empty directory that is not
 * is an error, and is left untouched, unless the user allowed emptying it: it is then emptied, or kept when it holds
 * a PostgreSQL data directory and the first clone method re-syncs in place ({@link CloneMethod#keepsDataDirectory()}).
 */
final class CloneStep extends Step {
    private static final Logger LOG = LoggerFactory.getLogger(CloneStep.class);
    private static final Pattern SYSID = Pattern.compile("Database system identifier:\\s*(\\d+)");

    private final Standby standby;
    private final CloneContext context;
    private final DataDirectoryStep directory;
    private final DataDirectoryModeStep mode;
    /** When every clone method failed: the exception thrown, and the account naming each method's failure. */
    private volatile RuntimeException everyMethodFailed;
    private volatile String summary;

    /**
     * @param directory the check that listed the data directory before the primary was configured; its listing is
     *                  reused here
     * @param mode      the step that made an existing empty directory 0700 before the clone; when it did not (the
     *                  directory was absent, or not empty), the directory is made 0700 after the clone
     */
    CloneStep(Standby standby, CloneContext context, DataDirectoryStep directory, DataDirectoryModeStep mode) {
        super(standby.name(), "clone " + standby.dataDirectory() + " with " + names(standby), Kind.CHANGE,
                runbook(standby, context));
        this.standby = standby;
        this.context = context;
        this.directory = directory;
        this.mode = mode;
    }

    private static String names(Standby s) {
        List<String> n = new ArrayList<>();
        s.cloneMethods().forEach(m -> n.add(m.name()));
        return String.join(", else ", n);
    }

    private static List<String> runbook(Standby s, CloneContext context) {
        List<String> lines = new ArrayList<>();
        if (s.emptyDataDirectoryAllowed() && DataDirectoryStep.keepsFirst(s)) {
            lines.add("# a data directory that holds PostgreSQL but not this primary's standby is kept, not emptied: "
                    + s.cloneMethods().get(0).name() + " re-syncs it in place");
        }
        for (int i = 0; i < s.cloneMethods().size(); i++) {
            CloneMethod m = s.cloneMethods().get(i);
            if (i > 0) {
                lines.add("# if that failed: empty the directory again, then");
            }
            lines.addAll(m.runbook(context));
        }
        lines.add("chmod " + DataDirectoryModeStep.MODE + " " + Command.shellQuote(s.dataDirectory())
                + "   # unless it existed empty before the clone (made " + DataDirectoryModeStep.MODE + " then)");
        return lines;
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        if (ctx.inPlace(standby)) {
            return true; // a standby of this primary runs from the directory already
        }
        Host host = standby.host();
        List<String> entries = directory.entries().orElseGet(() -> host.list(standby.dataDirectory()));
        if (!entries.contains("PG_VERSION") || !entries.contains("standby.signal")) {
            return false;
        }
        java.util.Optional<String> expected = ctx.knownSystemIdentifier();
        if (expected.isEmpty()) {
            // Standby side, primary unreachable: the standby already made is kept; it recovers from the archive
            // (restore_command) until the primary answers, then streams.
            LOG.warn("[{}] the primary did not answer: keeping the standby already in {}", standby.name(),
                    standby.dataDirectory());
            return true;
        }
        return expected.get().equals(systemIdentifier(host).orElse(null));
    }

    private java.util.Optional<String> systemIdentifier(Host host) {
        CommandResult r = host.execute(Command.of("pg_controldata", "-D", standby.dataDirectory())
                .withEnvironment("LC_ALL", "C"));
        Matcher m = SYSID.matcher(r.stdout());
        return r.succeeded() && m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    @Override
    public String run(ApplyContext ctx) {
        Host host = standby.host();
        String dir = standby.dataDirectory();
        List<String> entries = directory.entries().orElseGet(() -> host.list(dir));
        boolean kept = false;
        if (!entries.isEmpty()) {
            String why = DataDirectoryStep.whyNotReusable(entries, ctx.config().primary().name());
            CloneMethod keeper = DataDirectoryStep.keeper(standby, entries);
            if (!standby.emptyDataDirectoryAllowed()) {
                throw Refusals.dataDirectoryNotEmpty(standby.name(), host.name(), dir, entries, why,
                        keeper == null ? null : keeper.name());
            }
            if (entries.contains("postmaster.pid")) {
                // Not a proof that a server runs (a crash leaves it), but when none does, pg_ctl status says so.
                RunningServer.requireStopped(standby.node(), dir, keeper != null ? "re-synced in place by "
                        + keeper.name() : "emptied for a clone");
            }
            if (keeper != null) {
                LOG.warn("[{}] keeping {} ({} entries) for {} to re-sync in place, as allowed by"
                        + " withEmptyDataDirectoryAllowed(true): it {}", standby.name(), dir, entries.size(),
                        keeper.name(), why);
                kept = true;
            } else {
                LOG.warn("[{}] emptying {} ({} entries) as allowed by withEmptyDataDirectoryAllowed(true): it {}",
                        standby.name(), dir, entries.size(), why);
                PathRules.requireSafeToEmpty(dir);
                host.deleteContents(dir);
            }
        }
        List<String> failures = new ArrayList<>();
        List<ReplicationException> thrown = new ArrayList<>();
        List<CloneMethod> methods = standby.cloneMethods();
        for (int i = 0; i < methods.size(); i++) {
            CloneMethod method = methods.get(i);
            try {
                method.cloneInto(context);
                if (!mode.ready()) {
                    // Created by the clone method, or emptied here: PostgreSQL wants 0700 whatever the method did.
                    host.run(Command.of("chmod", DataDirectoryModeStep.MODE, dir));
                }
                ctx.markCloned(standby.name(), method);
                String detail = (kept && i == 0 ? "re-synced in place with " : "cloned with ") + method.name()
                        + (failures.isEmpty() ? "" : " after " + String.join("; ", failures));
                ctx.cloneMethods().put(standby.name(), detail);
                return detail;
            } catch (ReplicationException e) {
                LOG.warn("[{}] clone with {} failed: {}", standby.name(), method.name(), e.getMessage());
                failures.add(method.name() + " failed: " + firstLine(e.getMessage()));
                thrown.add(e);
                boolean next = i + 1 < methods.size();
                if (method.keepsDataDirectory() && standby.emptyDataDirectoryAllowed()
                        && (!next || methods.get(i + 1).keepsDataDirectory())) {
                    // Left for a method that re-syncs in place: the next one, or the next apply(), which copies
                    // only what is still missing. Emptying is allowed, so nothing the user kept is in it.
                    LOG.warn("[{}] leaving {} as {} left it: a re-run re-syncs it in place", standby.name(), dir,
                            method.name());
                } else if (host.exists(dir)) {
                    PathRules.requireSafeToEmpty(dir);
                    // What the failed method wrote (the directory was empty before), or what it left of a directory
                    // the user allowed to be emptied.
                    host.deleteContents(dir);
                }
            }
        }
        if (thrown.isEmpty()) {
            throw new IllegalStateException("no clone method");
        }
        // The last method's typed exception is thrown (the step failure's cause); every earlier method's is kept on
        // it as a suppressed exception, in order, and the step's message names each.
        ReplicationException last = thrown.get(thrown.size() - 1);
        for (ReplicationException earlier : thrown.subList(0, thrown.size() - 1)) {
            if (earlier != last) {
                last.addSuppressed(earlier);
            }
        }
        if (thrown.size() > 1) {
            everyMethodFailed = last;
            summary = "Every clone method failed for standby '" + standby.name() + "': " + String.join("; ", failures)
                    + "\nLast one, " + standby.cloneMethods().get(standby.cloneMethods().size() - 1).name() + ": "
                    + last.getMessage();
        }
        throw last;
    }

    @Override
    public String describeFailure(RuntimeException failure) {
        return failure == everyMethodFailed ? summary : super.describeFailure(failure);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
