package io.github.pgreplication.internal;

import io.github.pgreplication.HbaRule;
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
 */
public record ReplicationConfig(Primary primary, ReplicationRole role, PrimarySettings settings,
        List<HbaRule> hbaRules, List<Standby> standbys, Duration streamingTimeout, boolean parallel) {
    /** Copies lists. */
    public ReplicationConfig {
        hbaRules = List.copyOf(hbaRules);
        standbys = List.copyOf(standbys);
    }
}
