package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneMethod;
import java.time.Duration;
import io.github.pgreplication.ReplicationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Shared state of one {@code apply()}: the configuration, connections, and what has been learned on the way. */
public final class ApplyContext {
    private final ReplicationConfig config;
    private final Db primaryDb;
    private final Map<String, StandbyProbe> probes;
    private final Map<String, String> cloneMethods = new ConcurrentHashMap<>();
    private final Map<String, CloneMethod> clonedNow = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inPlace = new ConcurrentHashMap<>();
    private volatile String primaryDataDirectory;
    private volatile String systemIdentifier;
    private final boolean standbySide;

    /**
     * @param config    the configuration
     * @param primaryDb connections to the primary
     * @param probes    one probe per standby name
     */
    public ApplyContext(ReplicationConfig config, Db primaryDb, Map<String, StandbyProbe> probes) {
        this.config = config;
        this.primaryDb = primaryDb;
        this.probes = probes;
        this.standbySide = false;
    }

    private ApplyContext(ReplicationConfig config, Map<String, StandbyProbe> probes) {
        this.config = config;
        this.primaryDb = null;
        this.probes = probes;
        this.standbySide = true;
    }

    /**
     * @param config the description (its primary is only an address)
     * @param probes one probe per standby name
     * @return a run with no connection to the primary but the standbys' replication connections
     */
    public static ApplyContext standbySide(ReplicationConfig config, Map<String, StandbyProbe> probes) {
        return new ApplyContext(config, probes);
    }

    /** @return whether this run joins standbys from their side only (no admin connection to the primary) */
    public boolean standbySide() {
        return standbySide;
    }

    /** @param id the primary's system identifier, learnt over a replication connection */
    public void learnSystemIdentifier(String id) {
        systemIdentifier = id;
    }

    /**
     * @return the primary's system identifier when known: always with an admin connection; on the standby side
     *         once a replication connection told it
     */
    public java.util.Optional<String> knownSystemIdentifier() {
        return standbySide ? java.util.Optional.ofNullable(systemIdentifier)
                : java.util.Optional.of(systemIdentifier());
    }

    /** @return the configuration */
    public ReplicationConfig config() {
        return config;
    }

    /** @return connections to the primary */
    public Db primaryDb() {
        return primaryDb;
    }

    /**
     * @param node a node of the set-up: the primary, or a standby (an upstream of cascading standbys)
     * @return statements to it: the primary's connections, or the standby's through its probe
     * @throws ReplicationException when the set-up has no such node
     */
    public SqlSession session(String node) {
        if (node.equals(config.primary().name())) {
            return primaryDb;
        }
        StandbyProbe probe = probes.get(node);
        if (probe == null) {
            throw new ReplicationException("no standby '" + node + "' in this set-up to send statements to");
        }
        return probe.session();
    }

    /**
     * @param node a node of the set-up
     * @return it: the primary's node or a standby's
     * @throws ReplicationException when the set-up has no such node
     */
    public io.github.pgreplication.Node node(String node) {
        return config.nodes().stream().filter(n -> n.name().equals(node)).findFirst()
                .orElseThrow(() -> new ReplicationException("no node '" + node + "' in this set-up"));
    }

    /**
     * @param standby a standby
     * @return its probe
     */
    public StandbyProbe probe(Standby standby) {
        return probes.get(standby.name());
    }

    /** @return per standby, how it was cloned in this run */
    public Map<String, String> cloneMethods() {
        return cloneMethods;
    }

    /**
     * @param standby a standby whose data directory this run has just produced (so it is not running)
     * @param method  the clone method that produced it
     */
    public void markCloned(String standby, CloneMethod method) {
        clonedNow.put(standby, method);
    }

    /**
     * @param standby a standby
     * @return whether this run produced its data directory
     */
    public boolean clonedNow(String standby) {
        return clonedNow.containsKey(standby);
    }

    /**
     * @param standby a standby
     * @return the clone method that produced its data directory in this run, if any
     */
    public java.util.Optional<CloneMethod> clonedNowWith(String standby) {
        return java.util.Optional.ofNullable(clonedNow.get(standby));
    }

    /**
     * Whether a standby already runs in place: in recovery, from its configured data directory, streaming from this
     * primary's endpoint (a WAL receiver streams only from a primary of the same system). Asked once per run, in one
     * statement to the standby alone (its first steps run while the primary is being prepared, maybe restarted), and
     * only of a standby reached through JDBC (a look through psql would cost a command on its host): the steps that
     * make a data directory, clone it and start it are then done without a command on its host. A standby that does
     * not stream at that moment is not in place, and those steps look as they always did.
     *
     * @param standby a standby
     * @return whether it runs in place
     */
    public boolean inPlace(Standby standby) {
        Boolean known = inPlace.get(standby.name());
        if (known != null) {
            return known;
        }
        boolean asked = askInPlace(standby); // not in computeIfAbsent: it asks about the upstream first
        Boolean first = inPlace.putIfAbsent(standby.name(), asked);
        return first != null ? first : asked;
    }

    private boolean askInPlace(Standby standby) {
        StandbyProbe probe = probe(standby);
        if (probe == null || !probe.overJdbc() || clonedNow(standby.name())) {
            return false;
        }
        // A cascading standby streams from its upstream: in place when that one is, so of the same system.
        if (!config.upstreamOf(standby).map(this::inPlace).orElse(true)) {
            return false;
        }
        io.github.pgreplication.Endpoint primary = config.sourceOf(standby).endpoint();
        return probe.row(Sql.STANDBY_IN_PLACE).map(r -> "t".equals(r.get(0)) && standby.dataDirectory().equals(r.get(1))
                && "streaming".equals(r.get(2)) && primary.host().equals(r.get(3))
                && Integer.toString(primary.port()).equals(r.get(4))).orElse(false);
    }

    /** @return the primary's data directory, asked once */
    public String primaryDataDirectory() {
        if (primaryDataDirectory == null) {
            primaryDataDirectory = primaryDb.queryValue(Sql.DATA_DIRECTORY).orElseThrow();
        }
        return primaryDataDirectory;
    }

    /** @return the primary's system identifier, asked once */
    public String systemIdentifier() {
        if (systemIdentifier == null && standbySide) {
            throw new IllegalStateException("the primary's system identifier is not known yet on the standby side");
        }
        if (systemIdentifier == null) {
            systemIdentifier = primaryDb.queryValue(Sql.SYSTEM_IDENTIFIER).orElseThrow();
        }
        return systemIdentifier;
    }

    /**
     * Polls a condition until it holds.
     *
     * @param timeout   how long to wait
     * @param condition the condition
     * @return whether it held before the timeout
     */
    public static boolean waitFor(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 20;
        boolean first = true;
        while (true) {
            if (first ? condition.getAsBoolean() : RoundTrips.polling(condition)) {
                return true;
            }
            first = false;
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep = Math.min(sleep * 2, 250);
        }
    }
}
