package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.host.FileWithMode;
import io.github.pgreplication.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Owns a marked block at the top of the primary's hba_file: writes the rules there (replacing the previous block,
 * never duplicating), reloads, and checks pg_hba_file_rules. A file that does not parse is restored to what it was.
 */
final class HbaStep extends Step {
    static final String BEGIN = "# BEGIN pgreplication (managed by the pgreplication library; edits inside are replaced)";
    static final String END = "# END pgreplication";

    private final List<HbaRule> rules;
    /** hba_file, its content and mode as isDone() read them (one round trip), so run() does not ask again. */
    private volatile String seenPath;
    private volatile FileWithMode seen;
    /** Whether isDone() read the file on the host (the server could not read it), so run() does not again. */
    private volatile boolean readOnHost;

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

    @Override
    public boolean isDone(ApplyContext ctx) {
        seenPath = null;
        seen = null;
        readOnHost = false;
        boolean present;
        try {
            // Read by the server itself (a superuser may): no command on the primary's host when nothing changes.
            List<String> r = ctx.primaryDb().queryRows(Sql.HBA_TEXT).get(0);
            seenPath = r.get(0);
            present = r.get(1) != null && r.get(1).startsWith(block());
        } catch (RuntimeException e) { // not allowed to read server files (no superuser), or no such file
            Host host = ctx.config().primary().host();
            String path = ctx.primaryDb().queryValue(Sql.HBA_FILE).orElseThrow();
            FileWithMode file = host.readFileWithMode(path).orElse(null);
            seenPath = path;
            seen = file;
            readOnHost = true;
            present = file != null && file.text().startsWith(block());
        }
        if (present) {
            // A previous run may have stopped between writing and reloading: reloading again is harmless.
            ctx.primaryDb().queryValue(Sql.RELOAD);
        }
        return present;
    }

    @Override
    public String run(ApplyContext ctx) {
        Host host = ctx.config().primary().host();
        String node = ctx.config().primary().name();
        String path = seenPath != null ? seenPath : ctx.primaryDb().queryValue(Sql.HBA_FILE).orElseThrow();
        FileWithMode file = Optional.ofNullable(readOnHost ? seen : host.readFileWithMode(path).orElse(null))
                .orElseThrow(() -> new ReplicationException("hba_file " + path
                + " of primary '" + node + "' cannot be read on " + host.name() + ". Give the Primary a Host that"
                + " runs on the server's machine as the server's user: Primary.withHost(...)."));
        String original = file.text();
        String mode = file.mode();
        host.writeFile(path, block() + withoutBlock(original), "0" + mode);
        ctx.primaryDb().queryValue(Sql.RELOAD);
        List<List<String>> errors = ctx.primaryDb().queryRows(Sql.HBA_ERRORS);
        if (!errors.isEmpty()) {
            host.writeFile(path, original, "0" + mode);
            ctx.primaryDb().queryValue(Sql.RELOAD);
            throw new ReplicationException("pg_hba.conf of primary '" + node + "' (" + path + ") does not parse after"
                    + " adding the rules " + rules + ": " + errors + " (line number, error). The file was restored to"
                    + " its previous content. Fix the rule or the line named.");
        }
        return "written to " + path;
    }
}
