package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Node;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import java.time.Duration;
import java.util.List;

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
 */
public record ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings,
        List<HbaRule> hbaRules, List<Standby> standbys, Duration streamingTimeout, boolean parallel,
        List<Node> detached) {
    /** Copies lists. */
    public ReplicationConfig {
        hbaRules = List.copyOf(hbaRules);
        standbys = List.copyOf(standbys);
        detached = List.copyOf(detached);
    }

    /** A set-up with no detached node. */
    public ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings, List<HbaRule> hbaRules,
            List<Standby> standbys, Duration streamingTimeout, boolean parallel) {
        this(primary, role, settings, hbaRules, standbys, streamingTimeout, parallel, List.of());
    }

    /** @param newPrimary the primary @param newStandbys its standbys @param newDetached detached nodes @return a copy */
    public ReplicationConfig withTopology(Primary newPrimary, List<Standby> newStandbys, List<Node> newDetached) {
        return new ReplicationConfig(newPrimary, role, settings, hbaRules, newStandbys, streamingTimeout, parallel,
                newDetached);
    }

    /** @param rules pg_hba rules @return a copy */
    public ReplicationConfig withHbaRules(List<HbaRule> rules) {
        return new ReplicationConfig(primary, role, settings, rules, standbys, streamingTimeout, parallel, detached);
    }

    /** @param name a node name @return the standby of that name, if any */
    public java.util.Optional<Standby> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return every node: the primary, the standbys, the detached */
    public List<Node> nodes() {
        List<Node> all = new java.util.ArrayList<>();
        all.add(primary.node());
        standbys.forEach(s -> all.add(s.node()));
        all.addAll(detached);
        return all;
    }
}
