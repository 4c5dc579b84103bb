package io.github.pgreplication.testkit;

import io.github.pgreplication.Problem;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.SlotStatus;
import io.github.pgreplication.StandbyStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a cluster, from what its primary reports now ({@code status()}: pg_stat_replication and
 * pg_replication_slots). Made by {@link ReplicationAssertions#assertThat(ReplicationCluster)}.
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, ReplicationCluster> {

    ClusterAssert(ReplicationCluster actual) {
        super(actual, ClusterAssert.class);
    }

    /**
     * Verifies that the primary lists the standby as streaming.
     *
     * @param standby the standby's name
     * @return this
     */
    public ClusterAssert hasStreamingStandby(String standby) {
        ReplicationStatus status = status();
        StandbyStatus s = standby(status, standby);
        if (!s.streaming()) {
            fail(standby, "Expected the primary to list standby '" + standby + "' as streaming, but it reports "
                    + describe(s), status);
        }
        return this;
    }

    /**
     * Verifies that the primary lists every standby of the cluster as streaming.
     *
     * @return this
     */
    public ClusterAssert hasEveryStandbyStreaming() {
        actual.standbys().forEach(s -> hasStreamingStandby(s.name()));
        return this;
    }

    /**
     * Verifies that the standby's replay is less than {@code bytes} behind the primary's current position.
     *
     * @param standby the standby's name
     * @param bytes   the bound, exclusive
     * @return this
     */
    public ClusterAssert hasLagBelow(String standby, long bytes) {
        ReplicationStatus status = status();
        StandbyStatus s = standby(status, standby);
        if (s.lagBytes() == null || s.lagBytes() >= bytes) {
            fail(standby, "Expected standby '" + standby + "' to lag less than " + bytes + " bytes behind the"
                    + " primary, but the primary reports " + describe(s), status);
        }
        return this;
    }

    /**
     * Verifies that the standby's replay lag ({@code pg_stat_replication.replay_lag}: from a commit on the primary
     * to its replay there; none once it has caught up) is below {@code bound}.
     *
     * @param standby the standby's name
     * @param bound   the bound, exclusive
     * @return this
     */
    public ClusterAssert hasLagBelow(String standby, Duration bound) {
        Objects.requireNonNull(bound, "bound");
        ReplicationStatus status = status();
        StandbyStatus s = standby(status, standby);
        boolean connected = !"disconnected".equals(s.state());
        if (!connected || (s.replayLag() != null && s.replayLag().compareTo(bound) >= 0)) {
            fail(standby, "Expected standby '" + standby + "' to lag less than " + bound.toMillis() + " ms behind"
                    + " the primary, but the primary reports " + describe(s), status);
        }
        return this;
    }

    /**
     * Verifies that a physical replication slot on the primary is active (a standby is connected to it).
     *
     * @param slot the slot's name, e.g. {@code standby1_slot}
     * @return this
     */
    public ClusterAssert hasActiveSlot(String slot) {
        ReplicationStatus status = status();
        Optional<SlotStatus> s = status.slot(slot);
        if (s.isEmpty() || !s.get().active()) {
            String what = s.isEmpty() ? "no slot of that name" : "it inactive, restart_lsn " + s.get().restartLsn()
                    + ", wal_status " + s.get().walStatus() + ", retaining " + s.get().retainedBytes() + " bytes";
            failWithMessage("%s", "Expected slot '" + slot + "' to be active on the primary, but the primary reports "
                    + what + "\nStatus:\n" + status.toTable());
        }
        return this;
    }

    private ReplicationStatus status() {
        isNotNull();
        return actual.replication().status();
    }

    private StandbyStatus standby(ReplicationStatus status, String name) {
        Objects.requireNonNull(name, "standby");
        return status.standby(name).orElseGet(() -> {
            failWithMessage("%s", "Expected a standby named '" + Problem.shown(name) + "', but the cluster's"
                    + " standbys are "
                    + actual.standbys().stream().map(ClusterNode::name).toList() + "\nStatus:\n" + status.toTable());
            return null;
        });
    }

    private static String describe(StandbyStatus s) {
        return "state " + s.state() + ", sent " + s.sentLsn() + ", write " + s.writeLsn() + ", flush " + s.flushLsn()
                + ", replay " + s.replayLsn() + ", lag_bytes " + s.lagBytes() + ", replay_lag "
                + (s.replayLag() == null ? "none" : s.replayLag().toMillis() + " ms");
    }

    private void fail(String standby, String message, ReplicationStatus status) {
        String tail = actual.standbys().stream().filter(n -> n.name().equals(standby)).findFirst()
                .map(ReplicationAssertions::logTail).orElse("");
        failWithMessage("%s", message + "\nStatus:\n" + status.toTable() + tail);
    }
}
