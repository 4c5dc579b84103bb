package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.Tls;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the standby's postgresql.auto.conf name its slot ({@code primary_slot_name}), carry a
 * {@code primary_conninfo} with {@code application_name} = standby name, and hold the standby's own parameters.
 * Clone methods usually write the first two already; this step only fills what is missing.
 *
 * <p>Right after a clone by core's {@link BaseBackup}, a standby without parameters of its own needs nothing, and
 * the file is not read back: BaseBackup always runs {@code pg_basebackup -R} with {@code -S SLOT} (when there is
 * a slot) and {@code application_name} in its connection string, and {@code -R} appends {@code primary_conninfo}
 * (every connection option given, application_name included) and {@code primary_slot_name} to
 * postgresql.auto.conf (PostgreSQL's fe_utils/recovery_gen.c; PostgreSQL 12+, and load() requires 13+). Another
 * clone method, a standby's own parameters, or a data directory kept from an earlier run: the file is read.
 */
final class StandbyConfigStep extends Step {
    private final Standby standby;
    private final CloneContext context;
    /** The file as isDone() read it ({@code ""} when absent), so run() does not read it again; null if not read. */
    private volatile String seen;

    StandbyConfigStep(Standby standby, CloneContext context) {
        super(standby.name(), "postgresql.auto.conf: " + (context.slot().isEmpty() ? "" : "primary_slot_name, ") + "primary_conninfo with application_name"
                + (own(standby, context).isEmpty() ? "" : ", " + own(standby, context).keySet()), Kind.CHANGE,
                runbook(standby, context));
        this.standby = standby;
        this.context = context;
    }

    private static List<String> runbook(Standby s, CloneContext ctx) {
        List<String> lines = new ArrayList<>();
        desired(s, ctx).forEach((k, v) -> lines.add("echo " + Command.shellQuote(k + " = " + AutoConf.quote(v)) + " >> "
                + Command.shellQuote(s.dataDirectory() + "/postgresql.auto.conf") + "   # unless already set"));
        return lines;
    }

    private static Map<String, String> desired(Standby s, CloneContext ctx) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!ctx.slot().isEmpty()) {
            d.put("primary_slot_name", ctx.slot());
        }
        d.put("primary_conninfo", ctx.primaryConninfo());
        d.putAll(own(s, ctx));
        return d;
    }

    /**
     * @return the standby's own parameters, and its own TLS files: a clone copies the primary's postgresql.auto.conf,
     *         whose ssl_cert_file and ssl_key_file name the primary's; a standby without server TLS gets ssl = off
     *         when the primary has it on (else it would not start without those files)
     */
    private static Map<String, String> own(Standby s, CloneContext ctx) {
        Map<String, String> d = new LinkedHashMap<>(s.parameters());
        if (s.node().tls().server() != null) {
            d.putAll(TlsRules.serverSettings(s.node().tls().server()));
            Tls.Server primaryServer = ctx.primary().node().tls().server();
            if (s.node().tls().server().caFile() == null && primaryServer != null && primaryServer.caFile() != null) {
                // The clone's copy names the primary's CA, which may not be on this host: it would not start.
                d.put("ssl_ca_file", "");
            }
        } else if (ctx.primary().node().tls().serves()) {
            d.put("ssl", "off");
        }
        return d;
    }

    private String path() {
        return standby.dataDirectory() + "/postgresql.auto.conf";
    }

    /** @return the lines the file lacks, keyed by parameter */
    private Map<String, String> missing(String content) {
        return missing(AutoConf.parse(content));
    }

    /** @return the values {@code current} lacks, keyed by parameter */
    private Map<String, String> missing(Map<String, String> current) {
        Map<String, String> out = new LinkedHashMap<>();
        desired(standby, context).forEach((k, v) -> {
            String have = current.get(k);
            // The clone writes its own primary_conninfo (with more options than ours): accept any that names this
            // standby and has the TLS keywords described, as described (TLS added to a standby that streams in
            // clear, a CA moved). A user cannot give one: load() refuses primary_conninfo in Standby.withParameter.
            boolean ok = k.equals("primary_conninfo") ? have != null && sameStandby(standby.name(), v, have)
                    : v.equals(have);
            if (!ok) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * @param name   the standby's name
     * @param wanted the primary_conninfo described
     * @param have   the one the standby has
     * @return whether it has application_name = the name and each TLS keyword {@code wanted} has, with its value
     */
    static boolean sameStandby(String name, String wanted, String have) {
        Map<String, String> w = Conninfo.parse(wanted).orElse(Map.of());
        Map<String, String> h = Conninfo.parse(have).orElse(Map.of());
        if (!name.equals(h.get("application_name"))) {
            return false;
        }
        return Conninfo.TLS_KEYWORDS.stream().filter(w::containsKey).allMatch(key -> w.get(key).equals(h.get(key)));
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        seen = null;
        if (own(standby, context).isEmpty()
                && ctx.clonedNowWith(standby.name()).filter(BaseBackup.class::isInstance).isPresent()) {
            return true; // pg_basebackup -R has just written both (see the class comment)
        }
        if (ctx.inPlace(standby) && ctx.probe(standby).settings(desired(standby, context).keySet())
                .map(running -> missing(running).isEmpty()).orElse(false)) {
            return true; // the running standby has every value: its file gave them
        }
        String content = standby.host().readFile(path()).orElse("");
        seen = content;
        return missing(content).isEmpty();
    }

    @Override
    public String run(ApplyContext ctx) {
        String content = seen != null ? seen : standby.host().readFile(path()).orElse("");
        Map<String, String> missing = missing(content);
        String updated = AutoConf.withValues(content, missing, AutoConf::quote);
        standby.host().writeFile(path(), updated, "0600");
        if (ctx.inPlace(standby)) {
            // It runs, and StartStandbyStep leaves a running standby alone: without a reload the file would say one
            // thing and the server do another (a primary_conninfo with TLS, a parameter), until its next start.
            standby.host().run(Command.of("pg_ctl", "reload", "-D", standby.dataDirectory()));
            return "set " + missing.keySet() + "; reloaded the running standby (a parameter that needs a restart"
                    + " takes effect at its next start)";
        }
        return "set " + missing.keySet();
    }
}
