package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Node;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SyncPolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A validated, frozen description.
 *
 * @param primary          the primary
 * @param role             the replication role
 * @param settings         primary settings
 * @param hbaRules         pg_hba rules to own
 * @param standbys         standbys
 * @param streamingTimeout how long to wait for a standby to stream
 * @param parallel         whether standbys are cloned and started in parallel
 * @param detached         nodes known but replicating from nobody (a failed primary waiting to rejoin)
 * @param formerStandbys   by name, the last standby description of each node that is not a standby now (a promoted
 *                         standby, a detached one), so that it is a standby again as it was described: its slot,
 *                         passfile, parameters and clone methods
 * @param syncPolicy       which standbys confirm commits; its names, when given, follow the operations (a promoted
 *                         standby's place goes to the old primary, a removed standby leaves)
 */
public record ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings,
        List<HbaRule> hbaRules, List<Standby> standbys, Duration streamingTimeout, boolean parallel,
        List<Node> detached, Map<String, Standby> formerStandbys, SyncPolicy syncPolicy) {
    /**
     * Copies collections.
     *
     * @param primary          the primary
     * @param role             the replication role
     * @param settings         primary settings
     * @param hbaRules         pg_hba rules to own
     * @param standbys         standbys
     * @param streamingTimeout how long to wait for a standby to stream
     * @param parallel         whether standbys are cloned and started in parallel
     * @param detached         nodes known but replicating from nobody (a failed primary waiting to rejoin)
     * @param formerStandbys   by name, the last standby description of each node that is not a standby now (a promoted
     *                         standby, a detached one), so that it is a standby again as it was described: its slot,
     *                         passfile, parameters and clone methods
     * @param syncPolicy       which standbys confirm commits; its names, when given, follow the operations (a promoted
     *                         standby's place goes to the old primary, a removed standby leaves)
     */
    public ReplicationConfig {
        hbaRules = List.copyOf(hbaRules);
        standbys = List.copyOf(standbys);
        detached = List.copyOf(detached);
        formerStandbys = Collections.unmodifiableMap(new LinkedHashMap<>(formerStandbys));
        syncPolicy = syncPolicy == null ? SyncPolicy.none() : syncPolicy;
    }

    /**
     * A set-up that remembers no former standby, asynchronous.
     *
     * @param primary          the primary
     * @param role             the replication role
     * @param settings         primary settings
     * @param hbaRules         pg_hba rules to own
     * @param standbys         standbys
     * @param streamingTimeout how long to wait for a standby to stream
     * @param parallel         whether standbys are cloned and started in parallel
     * @param detached         nodes known but replicating from nobody (a failed primary waiting to rejoin)
     */
    public ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings, List<HbaRule> hbaRules,
            List<Standby> standbys, Duration streamingTimeout, boolean parallel, List<Node> detached) {
        this(primary, role, settings, hbaRules, standbys, streamingTimeout, parallel, detached, Map.of(),
                SyncPolicy.none());
    }

    /**
     * A set-up with no detached node, asynchronous.
     *
     * @param primary          the primary
     * @param role             the replication role
     * @param settings         primary settings
     * @param hbaRules         pg_hba rules to own
     * @param standbys         standbys
     * @param streamingTimeout how long to wait for a standby to stream
     * @param parallel         whether standbys are cloned and started in parallel
     */
    public ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings, List<HbaRule> hbaRules,
            List<Standby> standbys, Duration streamingTimeout, boolean parallel) {
        this(primary, role, settings, hbaRules, standbys, streamingTimeout, parallel, List.of(), Map.of(),
                SyncPolicy.none());
    }

    /**
     * @param newPrimary the primary
     * @param newStandbys its standbys
     * @param newDetached detached nodes
     * @return a copy; the standbys that leave the list are remembered in {@link #formerStandbys()}
     */
    public ReplicationConfig withTopology(Primary newPrimary, List<Standby> newStandbys, List<Node> newDetached) {
        Map<String, Standby> former = new LinkedHashMap<>(formerStandbys);
        standbys.forEach(s -> former.put(s.name(), s));
        newStandbys.forEach(s -> former.remove(s.name()));
        return copy(c -> {
            c.primary = newPrimary;
            c.standbys = newStandbys;
            c.detached = newDetached;
            c.formerStandbys = former;
        });
    }

    /**
     * @param rules pg_hba rules
     * @return a copy
     */
    public ReplicationConfig withHbaRules(List<HbaRule> rules) {
        return copy(c -> c.hbaRules = rules);
    }

    /**
     * @param policy which standbys confirm commits
     * @return a copy
     */
    public ReplicationConfig withSyncPolicy(SyncPolicy policy) {
        return copy(c -> c.syncPolicy = policy);
    }

    /**
     * @param name a node name
     * @return the standby of that name, if any
     */
    public java.util.Optional<Standby> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * @param node a node that becomes a standby (a former primary, a detached node)
     * @return its standby description: the one it had the last time it was a standby, on this node (its host, data
     *         directory and endpoint as they are now), else the defaults of {@link Standby#of(Node)}; it streams
     *         from the primary (an operation that makes a node a standby points it there)
     */
    public Standby asStandby(Node node) {
        return standby(node.name()).or(() -> java.util.Optional.ofNullable(formerStandbys.get(node.name())))
                .map(s -> new Standby(node, s.slotName(), s.cloneMethods(), s.emptyDataDirectoryAllowed(),
                        s.passfile(), s.parameters()))
                .orElseGet(() -> Standby.of(node));
    }

    /**
     * @param standby a standby of this set-up
     * @return the standby it streams from ({@link Standby#streamingFrom}); empty when it streams from the primary
     *         (no upstream; the primary's name, after a switchover to its upstream; or a node that is no longer in the
     *         topology, a failed primary detached)
     */
    public java.util.Optional<Standby> upstreamOf(Standby standby) {
        String up = standby.upstream();
        if (up == null || up.equals(primary.name())) {
            return java.util.Optional.empty();
        }
        return standby(up);
    }

    /**
     * @param standby a standby of this set-up
     * @return the server it streams from, as a {@link Primary} view of that node: the primary, or its upstream
     */
    public Primary sourceOf(Standby standby) {
        return upstreamOf(standby).map(u -> Primary.of(u.node())).orElse(primary);
    }

    /**
     * @param standby a standby of this set-up
     * @return whether it streams from another standby
     */
    public boolean cascading(Standby standby) {
        return upstreamOf(standby).isPresent();
    }

    /**
     * @param node a node name: the primary's or a standby's
     * @return the standbys that stream from it, in description order
     */
    public List<Standby> childrenOf(String node) {
        return standbys.stream().filter(s -> upstreamOf(s).map(Standby::name).orElse(primary.name()).equals(node))
                .toList();
    }

    /**
     * @param standby a standby of this set-up
     * @return it, then the standby it streams from, and so on up to the one that streams from the primary (at most
     *         every standby once: load() refused cycles)
     */
    public List<Standby> chain(Standby standby) {
        List<Standby> chain = new java.util.ArrayList<>(List.of(standby));
        java.util.Optional<Standby> up = upstreamOf(standby);
        while (up.isPresent() && chain.size() <= standbys.size()) {
            chain.add(up.get());
            up = upstreamOf(up.get());
        }
        return chain;
    }

    /**
     * @param standby a standby of this set-up
     * @return how many nodes lie between it and the primary plus one: 1 for a standby of the primary
     */
    public int depth(Standby standby) {
        return chain(standby).size();
    }

    /** @return the standbys, each after its upstream (depth first, in description order among siblings) */
    public List<Standby> treeOrder() {
        List<Standby> out = new java.util.ArrayList<>();
        visit(childrenOf(primary.name()), out);
        return out;
    }

    private void visit(List<Standby> level, List<Standby> out) {
        for (Standby s : level) {
            if (out.stream().noneMatch(o -> o.name().equals(s.name()))) {
                out.add(s);
                visit(childrenOf(s.name()), out);
            }
        }
    }

    /** @return every node: the primary, the standbys, the detached */
    public List<Node> nodes() {
        List<Node> all = new java.util.ArrayList<>();
        all.add(primary.node());
        standbys.forEach(s -> all.add(s.node()));
        all.addAll(detached);
        return all;
    }

    /** Makes a set-up of this one's fields as {@code change} leaves them; the constructor copies them again. */
    private ReplicationConfig copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new ReplicationConfig(c.primary, c.role, c.settings, c.hbaRules, c.standbys, c.streamingTimeout,
                c.parallel, c.detached, c.formerStandbys, c.syncPolicy);
    }

    /** This set-up's fields, for a wither to change before {@link #copy} makes a set-up of them. */
    private final class Copy {
        Primary primary = ReplicationConfig.this.primary;
        ReplicationRole role = ReplicationConfig.this.role;
        PrimarySettings settings = ReplicationConfig.this.settings;
        List<HbaRule> hbaRules = ReplicationConfig.this.hbaRules;
        List<Standby> standbys = ReplicationConfig.this.standbys;
        Duration streamingTimeout = ReplicationConfig.this.streamingTimeout;
        boolean parallel = ReplicationConfig.this.parallel;
        List<Node> detached = ReplicationConfig.this.detached;
        Map<String, Standby> formerStandbys = ReplicationConfig.this.formerStandbys;
        SyncPolicy syncPolicy = ReplicationConfig.this.syncPolicy;
    }
}
