package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owns a marked block at the top of a server's hba_file (the primary's, or an upstream standby's, which its
 * cascading standbys connect to): writes the rules there (replacing the previous block,
 * never duplicating), reloads, and checks pg_hba_file_rules. A file that does not parse is restored to what it was.
 */
final class HbaStep extends Step {
    static final String BEGIN = "# BEGIN pgreplication (managed by the pgreplication library; edits inside are replaced)";
    static final String END = "# END pgreplication";

    private final List<HbaRule> rules;
    /**
     * hba_file and its content as isDone() read them (one round trip), so run() does not ask again; read on the host,
     * with its mode, when the server could not read it ({@link #readOnHost}).
     */
    private volatile String seenPath;
    private volatile FileWithMode seen;
    /** The file's text as the server read it in isDone(); its mode comes from the host. */
    private volatile String seenText;
    /** Whether isDone() read the file on the host (the server could not read it), so run() does not again. */
    private volatile boolean readOnHost;
    /** hba_file and its text as {@link #prefetch} read them through the server, for isDone(); null when it did not. */
    private volatile List<String> prefetched;
    /** The file's mode, looked up on the host by {@link #prefetch} while the steps before this one ran. */
    private volatile CompletableFuture<String> prefetchedMode;
    /** Whether {@link #prefetch} found the server not allowed to read the file, so isDone() does not ask again. */
    private volatile boolean serverCannotRead;
    /** What {@link #prefetch} sent, counted into this step's round trips when it uses it. */
    private volatile RoundTrips.Tally prefetchTally;

    HbaStep(String node, List<HbaRule> rules) {
        this(node, rules, false);
    }

    /** @param tls whether the primary serves TLS: the safer line offered for a weak rule is then hostssl */
    HbaStep(String node, List<HbaRule> rules, boolean tls) {
        super(node, "pg_hba.conf block with " + rules.size() + " rule(s), reload, check pg_hba_file_rules",
                Kind.CHANGE, runbook(rules, tls));
        this.rules = List.copyOf(rules);
    }

    private static List<String> runbook(List<HbaRule> rules, boolean tls) {
        List<String> lines = new ArrayList<>();
        lines.add("# at the top of the file named by SHOW hba_file:");
        lines.add(BEGIN);
        for (HbaRule r : rules) {
            lines.add(r.toString()); // secret option values as ****
            TlsRules.saferLine(r, tls).ifPresent(lines::add);
        }
        lines.add(END);
        lines.add(SqlText.psql("SELECT pg_reload_conf()"));
        lines.add(SqlText.psql("SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL")
                + "   # must return no row");
        return lines;
    }

    String block() {
        StringBuilder sb = new StringBuilder(BEGIN).append('\n');
        rules.forEach(r -> sb.append(r.toLine()).append('\n'));
        return sb.append(END).append('\n').toString();
    }

    /**
     * @param content a pg_hba.conf
     * @return it without our block
     */
    static String withoutBlock(String content) {
        int b = content.indexOf(BEGIN);
        int e = content.indexOf(END, Math.max(b, 0));
        if (b < 0 || e < 0) {
            return content;
        }
        int after = content.indexOf('\n', e);
        return content.substring(0, b) + (after < 0 ? "" : content.substring(after + 1));
    }

    /**
     * Reads the file through the server (one statement, as isDone() would) and, when our block is missing, starts
     * the look-up of its mode on the host, which the write needs: that Docker call or SSH command then runs while the
     * role and settings steps talk SQL, instead of after them. When nothing changes, no command runs.
     */
    @Override
    public void prefetch(ApplyContext ctx) {
        RoundTrips.Tally tally = new RoundTrips.Tally();
        if (!ctx.session(node()).multiLineValues()) { // psql splits the file's lines: isDone() reads it on the host
            prefetchTally = tally;
            serverCannotRead = true;
            return;
        }
        List<String> r;
        try {
            r = RoundTrips.within(tally, () -> ctx.session(node()).queryRows(Sql.HBA_TEXT).get(0));
        } catch (RuntimeException e) { // not allowed to read server files: isDone() reads it on the host
            prefetchTally = tally;
            serverCannotRead = true;
            return;
        }
        prefetchTally = tally;
        prefetched = r;
        if (r.get(0) != null && r.get(1) != null && !r.get(1).startsWith(block())) {
            Host host = ctx.node(node()).host();
            prefetchedMode = Background.supply("pgreplication-prefetch",
                    () -> RoundTrips.within(tally, () -> host.fileMode(r.get(0))));
        }
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        seenPath = null;
        seenText = null;
        seen = null;
        readOnHost = false;
        List<String> early = prefetched;
        prefetched = null;
        boolean cannotRead = serverCannotRead;
        serverCannotRead = false;
        if (early == null) {
            prefetchedMode = null;
        }
        if (cannotRead) {
            RoundTrips.absorb(prefetchTally); // the refused read, sent by prefetch()
        }
        boolean present;
        try {
            if (cannotRead || !ctx.session(node()).multiLineValues()) {
                throw new ReplicationException("the server may not read its hba_file (prefetch), or psql would"
                        + " split its lines");
            }
            // Read by the server itself (a superuser may): no command on the primary's host when nothing changes.
            List<String> r = early != null ? early : ctx.session(node()).queryRows(Sql.HBA_TEXT).get(0);
            seenPath = r.get(0);
            present = r.get(1) != null && r.get(1).startsWith(block());
            seenText = r.get(1);
        } catch (RuntimeException e) { // not allowed to read server files (no superuser), or no such file
            Host host = ctx.node(node()).host();
            String path = ctx.session(node()).queryValue(Sql.HBA_FILE).orElseThrow();
            FileWithMode file = host.readFileWithMode(path).orElse(null);
            seenPath = path;
            seen = file;
            readOnHost = true;
            present = file != null && file.text().startsWith(block());
        }
        if (early != null && prefetchedMode == null) {
            RoundTrips.absorb(prefetchTally); // else absorbed with the mode's look-up, in run()
        }
        if (present) {
            // A previous run may have stopped between writing and reloading: reloading again is harmless.
            ctx.session(node()).queryValue(Sql.RELOAD);
        }
        return present;
    }

    /**
     * @param path the file
     * @param text its text as the server read it in isDone(), or null
     * @return that text with the mode {@link #prefetch} looked up; null when either is missing (then the host is
     *         read now, as without a prefetch)
     */
    private FileWithMode withEarlyMode(String path, String text) {
        CompletableFuture<String> mode = prefetchedMode;
        prefetchedMode = null;
        if (mode == null) {
            return null;
        }
        try {
            String m = mode.join();
            return text == null || !path.equals(seenPath) ? null : new FileWithMode(text, m);
        } catch (RuntimeException e) { // the look-up failed: the read now reports what is wrong
            return null;
        } finally {
            RoundTrips.absorb(prefetchTally);
        }
    }

    @Override
    public String run(ApplyContext ctx) {
        Host host = ctx.node(node()).host();
        String node = (node().equals(ctx.config().primary().name()) ? "primary '" : "upstream standby '") + node()
                + "'";
        String path = seenPath != null ? seenPath : ctx.session(node()).queryValue(Sql.HBA_FILE).orElseThrow();
        FileWithMode file = readOnHost ? seen : Optional.ofNullable(withEarlyMode(path, seenText))
                .or(() -> host.readFileWithMode(path)).orElse(null);
        if (file == null) {
            throw new ReplicationException("hba_file " + path + " of " + node + " cannot be read on "
                    + host.name() + ". Give the " + (node.startsWith("primary") ? "Primary" : "Standby") + " a Host that"
                    + " runs on the server's machine as the server's user: "
                    + (node.startsWith("primary") ? "Primary" : "Standby") + ".withHost(...).");
        }
        String original = file.text();
        String mode = file.mode();
        host.writeFile(path, block() + withoutBlock(original), "0" + mode);
        ctx.session(node()).queryValue(Sql.RELOAD);
        List<List<String>> errors = ctx.session(node()).queryRows(Sql.HBA_ERRORS);
        if (!errors.isEmpty()) {
            host.writeFile(path, original, "0" + mode);
            ctx.session(node()).queryValue(Sql.RELOAD);
            throw new ReplicationException("pg_hba.conf of " + node + " (" + path + ") does not parse after"
                    + " adding the rules " + rules + ": " + errors + " (line number, error). The file was restored to"
                    + " its previous content. Fix the rule or the line named.");
        }
        return "written to " + path;
    }
}
