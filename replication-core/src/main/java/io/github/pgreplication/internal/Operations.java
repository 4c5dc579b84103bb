package io.github.pgreplication.internal;

import io.github.pgreplication.LossCheck;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Node;
import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import io.github.pgreplication.Primary;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.Standby;
import io.github.pgreplication.StepOutcome;
import io.github.pgreplication.WalRange;
import io.github.pgreplication.clone.CloneContext;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.ServiceControl.ServiceAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every operation on a running set-up shares: one client per node (opened when first needed, closed with
 * this object), the node's state and control data, stopping and starting through its ServiceControl, pointing a
 * standby at a primary, and a description of where every server stands for failure messages.
 */
public final class Operations implements AutoCloseable {
    /** The oldest server the operations support: primary_conninfo reloads without a restart from 13 on. */
    static final int MIN_VERSION = 130000;

    private final ReplicationConfig config;
    private final Map<String, NodeClient> clients = new LinkedHashMap<>();

    /** @param config the current set-up */
    public Operations(ReplicationConfig config) {
        this.config = config;
    }

    /** @return the current set-up */
    public ReplicationConfig config() {
        return config;
    }

    /**
     * What an operation planned: its steps, and the set-up it leaves once they ran (computed when asked, since
     * some of it is learned on the way).
     *
     * @param title     one line for the plan
     * @param steps     the steps
     * @param next      the set-up after the steps, asked once they all ran
     * @param notes     what the caller should know, asked once they all ran
     * @param discarded WAL discarded by a rewind, asked once they all ran
     * @param loss      what a failover judged may be lost, asked once they all ran
     */
    public record Planned(String title, List<OpStep> steps, Supplier<ReplicationConfig> next,
            Supplier<List<String>> notes, Supplier<Optional<WalRange>> discarded, Supplier<Optional<LossCheck>> loss) {
    }

    /**
     * @param config the set-up after the operation
     * @param steps  what each step did
     * @param notes  notes for the caller
     * @param discarded WAL a rewind discarded
     * @param loss   what a failover judged may be lost
     */
    public record Done(ReplicationConfig config, List<StepOutcome> steps, List<String> notes,
            Optional<WalRange> discarded, Optional<LossCheck> loss) {
    }

    /**
     * @param planned what to run
     * @param rerun   the call that resumes it, for messages
     * @return what was done and the new set-up
     */
    public Done run(Planned planned, String rerun) {
        List<StepOutcome> outcomes = OpRunner.run(planned.title(), planned.steps(), this::whereEveryServerStands,
                rerun);
        return new Done(planned.next().get(), outcomes, planned.notes().get(), planned.discarded().get(),
                planned.loss().get());
    }

    /**
     * @param node a node
     * @return its client, opened on first use
     */
    public synchronized NodeClient client(Node node) {
        return clients.computeIfAbsent(node.name(), n -> NodeClient.of(node, 2_000));
    }

    /**
     * @param name a node's name
     * @return the node, wherever it sits
     */
    public Node node(String name) {
        return config.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new OperationRefusedException(Kind.UNKNOWN_NODE, name, "No node is named '"
                        + Text.printable(name) + "'. The nodes are " + config.nodes().stream().map(Node::name).toList()
                        + " (primary " + config.primary().name() + ")."));
    }

    /**
     * @param node a node
     * @return its state now
     */
    public NodeState state(Node node) {
        return client(node).state();
    }

    /**
     * @param node a node
     * @return the data directory: the one given, or the running server's
     */
    public String dataDirectory(Node node) {
        if (node.dataDirectory() != null) {
            return node.dataDirectory();
        }
        try {
            return client(node).value(Sql.DATA_DIRECTORY).orElseThrow();
        } catch (RuntimeException e) {
            throw new OperationRefusedException(Kind.MISSING_CAPABILITY, node.name(), "The data directory of '"
                    + node.name() + "' is not in the description and the server cannot be asked (" + e.getMessage()
                    + "). Give it: Primary...withDataDirectory(\"/var/lib/postgresql/17/main\").");
        }
    }

    /**
     * @param node a node
     * @param dir its data directory
     * @return its pg_controldata
     */
    public ControlData controlData(Node node, String dir) {
        return ControlData.read(node.host(), dir);
    }

    /**
     * @param node   a node
     * @param action what it must be able to do
     * @param dir    its data directory
     * @return the command, checked to exist
     */
    public static Command serviceCommand(Node node, ServiceAction action, String dir) {
        if (node.service() == null) {
            throw new OperationRefusedException(Kind.MISSING_CAPABILITY, node.name(), "Node '" + node.name()
                    + "' has no ServiceControl, so the library cannot " + action.name().toLowerCase() + " it. Give"
                    + " one: withService(ServiceControl.pgCtl()) or ServiceControl.commands(...).");
        }
        try {
            return node.service().command(action, dir);
        } catch (IllegalStateException e) {
            throw new OperationRefusedException(Kind.MISSING_CAPABILITY, node.name(), "Node '" + node.name()
                    + "': " + e.getMessage());
        }
    }

    /**
     * @param node a node
     * @param action what to do
     * @param dir its data directory
     */
    public void perform(Node node, ServiceAction action, String dir) {
        serviceCommand(node, action, dir);
        node.service().perform(action, node.host(), dir);
        client(node).db().ifPresent(Db::evict);
    }

    /**
     * @param standby a standby
     * @param primary the primary it must stream from
     * @return its primary_conninfo: host and port of the primary, the role, application_name, passfile
     */
    public String conninfo(Standby standby, Primary primary) {
        return new CloneContext(standby, primary, config.role(), standby.effectiveSlotName()).primaryConninfo();
    }

    /**
     * Points a running standby at a primary: ALTER SYSTEM for primary_conninfo and primary_slot_name, then a
     * reload (PostgreSQL 13+ restarts the WAL receiver, which follows the new timeline).
     *
     * @param standby  the standby
     * @param conninfo its new primary_conninfo
     * @return the step
     */
    public OpStep repoint(Standby standby, Supplier<String> conninfo) {
        String slot = standby.effectiveSlotName();
        return OpStep.change(standby.name(), "point primary_conninfo and primary_slot_name at the new primary,"
                        + " reload", List.of(SqlText.psql("ALTER SYSTEM SET primary_conninfo = '<host, port, user,"
                        + " application_name=" + standby.name() + ">'"), SqlText.psql("ALTER SYSTEM SET"
                        + " primary_slot_name = " + SqlText.displayLiteral(slot)), SqlText.psql(Sql.RELOAD)),
                () -> {
                    NodeClient c = client(standby.node());
                    if (!c.state().reachable()) {
                        return autoConfHas(standby, conninfo.get(), slot);
                    }
                    List<String> r = c.rows(Sql.STANDBY_SETTINGS).get(0);
                    return conninfo.get().equals(r.get(0)) && slot.equals(r.get(1));
                },
                () -> {
                    NodeClient c = client(standby.node());
                    if (!c.state().reachable()) {
                        writeStandbyConfig(standby, conninfo.get(), false);
                        return "it does not answer: written to its postgresql.auto.conf for its next start";
                    }
                    c.execute("ALTER SYSTEM SET primary_conninfo = " + literal(c, conninfo.get()));
                    c.execute("ALTER SYSTEM SET primary_slot_name = " + literal(c, slot));
                    c.execute(Sql.RELOAD);
                    return "reloaded";
                });
    }

    /**
     * @param standby  a stopped standby (or a node about to become one)
     * @param conninfo its primary_conninfo
     * @param slot     its primary_slot_name
     * @return whether its postgresql.auto.conf has both
     */
    boolean autoConfHas(Standby standby, String conninfo, String slot) {
        return autoConfHas(readAutoConf(standby), conninfo, slot);
    }

    /**
     * @param content  a postgresql.auto.conf's text
     * @param conninfo a primary_conninfo
     * @param slot     a primary_slot_name
     * @return whether the text sets both
     */
    static boolean autoConfHas(String content, String conninfo, String slot) {
        Map<String, String> conf = AutoConf.parse(content);
        return conninfo.equals(conf.get("primary_conninfo")) && slot.equals(conf.get("primary_slot_name"));
    }

    /**
     * @param standby a node as a standby
     * @return its postgresql.auto.conf's text, empty when it has none
     */
    String readAutoConf(Standby standby) {
        return standby.host().readFile(autoConf(standby)).orElse("");
    }

    /**
     * Writes primary_conninfo and primary_slot_name into a stopped node's postgresql.auto.conf and, when asked,
     * creates standby.signal.
     *
     * @param standby  the node as a standby
     * @param conninfo its primary_conninfo
     * @param signal   whether to create standby.signal
     */
    void writeStandbyConfig(Standby standby, String conninfo, boolean signal) {
        writeStandbyConfig(standby, conninfo, signal, readAutoConf(standby));
    }

    /**
     * As {@link #writeStandbyConfig(Standby, String, boolean)}, with the file's text already read.
     *
     * @param standby  the node as a standby
     * @param conninfo its primary_conninfo
     * @param signal   whether to create standby.signal
     * @param content  its postgresql.auto.conf's text as just read
     */
    void writeStandbyConfig(Standby standby, String conninfo, boolean signal, String content) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("primary_conninfo", conninfo);
        values.put("primary_slot_name", standby.effectiveSlotName());
        values.putAll(standby.parameters());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(autoConf(standby), AutoConf.withValues(content, values, AutoConf::quote));
        if (signal) {
            files.put(standby.dataDirectory() + "/standby.signal", "");
        }
        standby.host().writeFiles(files, "0600"); // one round trip where the host can

    }

    private static String autoConf(Standby standby) {
        return standby.dataDirectory() + "/postgresql.auto.conf";
    }

    /**
     * @param c a client
     * @param value text
     * @return it as an SQL string literal for that client
     */
    static String literal(NodeClient c, String value) {
        Optional<Db> db = c.db();
        if (db.isPresent()) {
            return db.get().with(conn -> SqlText.literal(conn, value));
        }
        return SqlText.psqlLiteral(value);
    }

    /**
     * @param primary a running primary
     * @param timeline its timeline
     * @return its timeline history (empty on timeline 1)
     */
    TimelineHistory history(NodeClient primary, long timeline) {
        if (timeline <= 1) {
            return TimelineHistory.none(timeline);
        }
        String file = TimelineHistory.fileName(timeline);
        return TimelineHistory.parse(timeline, primary.value("SELECT pg_read_file('" + file + "')").orElse(""));
    }

    /**
     * Waits until every standby streams from the primary on its timeline.
     *
     * @param primary  the primary
     * @param standbys the standbys
     * @param timeout  how long to wait
     * @return what was seen
     */
    String awaitStreaming(Primary primary, List<Standby> standbys, Duration timeout) {
        NodeClient p = client(primary.node());
        List<String> names = standbys.stream().map(Standby::name).toList();
        // Each standby is listed streaming by the server it streams from: the primary, or its upstream among them.
        Map<String, Node> sources = new LinkedHashMap<>();
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (Standby s : standbys) {
            Node source = standbys.stream().filter(u -> u.name().equals(s.upstream())
                    && !u.name().equals(primary.name())).findFirst().map(Standby::node).orElse(primary.node());
            sources.putIfAbsent(source.name(), source);
            bySource.computeIfAbsent(source.name(), k -> new ArrayList<>()).add(s.name());
        }
        long[] timeline = {0};
        boolean ok = ApplyContext.waitFor(timeout, () -> {
            NodeState ps = p.state();
            if (!ps.primary()) {
                return false;
            }
            timeline[0] = ps.timeline();
            for (Map.Entry<String, List<String>> e : bySource.entrySet()) {
                NodeClient source = client(sources.get(e.getKey()));
                List<String> streaming;
                try {
                    streaming = source.rows(Sql.STREAMING_NAMES).stream().map(r -> r.get(0)).toList();
                } catch (RuntimeException unreachable) {
                    return false;
                }
                if (!streaming.containsAll(e.getValue())) {
                    return false;
                }
            }
            return standbys.stream().allMatch(s -> {
                NodeState st = state(s.node());
                return st.streaming() && st.timeline() == ps.timeline();
            });
        });
        if (!ok) {
            StringBuilder sb = new StringBuilder();
            sb.append("Not every standby streams from ").append(primary.name()).append(sources.size() > 1
                    ? " (or from its upstream)" : "").append(" on timeline ").append(timeline[0]).append(" after ")
                    .append(timeout.toSeconds()).append(" s:");
            standbys.forEach(s -> sb.append("\n  ").append(state(s.node())));
            throw new ReplicationException(sb.toString());
        }
        return names.isEmpty() ? "no standby" : names + " stream on timeline " + timeline[0];
    }

    /**
     * @param on      the server that keeps the slot: the primary, or the upstream of a cascading standby
     * @param standby the standby that streams through it
     * @return a step creating its physical slot there, reserving WAL; done when it exists
     */
    public OpStep createSlot(Node on, Standby standby) {
        String slot = standby.effectiveSlotName();
        return OpStep.change(on.name(), "physical replication slot " + slot + " for standby " + standby.name(),
                List.of(SqlText.psql("SELECT * FROM pg_create_physical_replication_slot("
                        + SqlText.displayLiteral(slot) + ", true)") + "   # on " + on.name()),
                () -> {
                    NodeClient c = client(on);
                    return !c.rows("SELECT 1 FROM pg_replication_slots WHERE slot_name = " + literal(c, slot))
                            .isEmpty();
                },
                () -> {
                    NodeClient c = client(on);
                    c.execute("SELECT pg_create_physical_replication_slot(" + literal(c, slot) + ", true)");
                    return "created, WAL reserved";
                });
    }

    /**
     * The standbys of a topology after an operation whose source changed, the tree kept: a standby with no
     * upstream follows whichever node is the primary, so it moves with a promotion; one that streams from a named
     * node keeps it, whatever its role now (after a switchover to its upstream it streams from the primary, after a
     * switchover back it cascades again), unless that node left the topology (a failed primary, detached), when it
     * streams from the primary.
     *
     * @param before the set-up before
     * @param after  the set-up after
     * @return the standbys of both whose source (the server they stream from) differs, as described after
     */
    static List<Standby> repointed(ReplicationConfig before, ReplicationConfig after) {
        return after.standbys().stream().filter(s -> before.standby(s.name()).isPresent()
                && !before.sourceOf(before.standby(s.name()).orElseThrow()).name().equals(after.sourceOf(s).name()))
                .toList();
    }

    /**
     * @param config a set-up
     * @return "; c streams from u" for each cascading standby, for an operation's note; empty for a star
     */
    static String cascades(ReplicationConfig config) {
        StringBuilder sb = new StringBuilder();
        for (Standby s : config.standbys()) {
            config.upstreamOf(s).ifPresent(u -> sb.append("; ").append(s.name()).append(" streams from ")
                    .append(u.name()));
        }
        return sb.toString();
    }

    /**
     * A cascading standby promoted leaves its slot on its former upstream, which keeps WAL for it: dropped there when
     * inactive; a failure is only logged (the slot shows in status() with its retained WAL).
     *
     * @param config   the set-up before
     * @param promoted the standby that becomes the primary
     * @return the step, or empty when the promoted standby streamed from the primary
     */
    Optional<OpStep> dropSlotOnFormerUpstream(ReplicationConfig config, Standby promoted) {
        Optional<Standby> up = config.upstreamOf(promoted);
        if (up.isEmpty()) {
            return Optional.empty();
        }
        Standby u = up.get();
        String slot = promoted.effectiveSlotName();
        String drop = "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ";
        return Optional.of(OpStep.change(u.name(), "drop slot " + slot + " on " + u.name() + ": " + promoted.name()
                        + " streams from it no more", List.of(SqlText.psql(drop + SqlText.displayLiteral(slot)
                        + " AND NOT active") + "   # on " + u.name()),
                () -> {
                    try {
                        NodeClient c = client(u.node());
                        return c.rows("SELECT 1 FROM pg_replication_slots WHERE slot_name = " + literal(c, slot))
                                .isEmpty();
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(Operations.class).warn("[{}] could not look for slot {}"
                                + " to drop it: {}", u.name(), slot, e.getMessage());
                        return true;
                    }
                },
                () -> {
                    NodeClient c = client(u.node());
                    c.execute(drop + literal(c, slot) + " AND NOT active");
                    return "dropped";
                }));
    }

    /**
     * @param node            a node
     * @param expectedPrimary whether the topology has it as the primary
     * @return its status
     */
    public io.github.pgreplication.NodeStatus nodeStatus(Node node, boolean expectedPrimary) {
        NodeState st = state(node);
        if (!st.reachable()) {
            return new io.github.pgreplication.NodeStatus(node.name(), io.github.pgreplication.NodeStatus.Role.DOWN,
                    "", 0, null, null, st.error());
        }
        io.github.pgreplication.NodeStatus.Role role = st.inRecovery() == expectedPrimary
                ? io.github.pgreplication.NodeStatus.Role.UNKNOWN
                : st.inRecovery() ? io.github.pgreplication.NodeStatus.Role.STANDBY
                : io.github.pgreplication.NodeStatus.Role.PRIMARY;
        String detail = role == io.github.pgreplication.NodeStatus.Role.UNKNOWN
                ? (st.inRecovery() ? "in recovery, but the topology has it as the primary"
                        : "a primary, but the topology has it as a standby") : st.receiverStatus();
        int depth = config.standby(node.name()).map(config::depth).orElse(0);
        return new io.github.pgreplication.NodeStatus(node.name(), role, st.senderHost(), st.timeline(),
                st.position(), st.replayLsn(), detail, depth);
    }

    /** @return one line per node: its state, or for a node that does not answer, what its control data says */
    public String whereEveryServerStands() {
        StringBuilder sb = new StringBuilder();
        for (Node n : config.nodes()) {
            NodeState st = state(n);
            sb.append("  ").append(st);
            if (!st.reachable() && n.dataDirectory() != null) {
                try {
                    ControlData cd = controlData(n, n.dataDirectory());
                    sb.append("; pg_controldata: ").append(cd.state()).append(", last checkpoint ")
                            .append(cd.checkpoint()).append(" on timeline ").append(cd.timeline());
                } catch (RuntimeException e) {
                    sb.append("; its host does not answer either");
                }
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /**
     * @param a an LSN or null
     * @param b an LSN or null
     * @return the later one
     */
    static Lsn max(Lsn a, Lsn b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * @param standbys standbys
     * @param name a standby's name
     * @return the standbys without it
     */
    static List<Standby> without(List<Standby> standbys, String name) {
        List<Standby> out = new ArrayList<>(standbys);
        out.removeIf(s -> s.name().equals(name));
        return out;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(NodeClient::close);
        clients.clear();
    }
}
