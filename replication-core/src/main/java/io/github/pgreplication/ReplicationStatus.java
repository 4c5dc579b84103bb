package io.github.pgreplication;

import java.util.List;
import java.util.Optional;

/**
 * Live replication state, read from the primary in one statement (one snapshot: the differences it reports are
 * computed from its own positions).
 *
 * @param primaryLsn the primary's WAL write position, read after the standbys' and slots' positions (none is
 *                   ahead of it)
 * @param standbys   one entry per configured standby, then any other connected standby
 * @param slots      physical slots
 */
public record ReplicationStatus(Lsn primaryLsn, List<StandbyStatus> standbys, List<SlotStatus> slots) {
    /** Copies the lists. */
    public ReplicationStatus {
        standbys = List.copyOf(standbys);
        slots = List.copyOf(slots);
    }

    /** @param name a standby's name @return its status */
    public Optional<StandbyStatus> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @param name a slot's name @return its status */
    public Optional<SlotStatus> slot(String name) {
        return slots.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return a text table: one line per standby (name, state, sync, replay LSN, lag), then one per slot */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("primary at ").append(primaryLsn).append('\n');
        sb.append(String.format("%-16s %-12s %-9s %-14s %12s %10s%n", "standby", "state", "sync", "replay_lsn",
                "lag_bytes", "lag_ms"));
        for (StandbyStatus s : standbys) {
            sb.append(String.format("%-16s %-12s %-9s %-14s %12s %10s%n", s.name(), s.state(),
                    s.syncState() == null ? "-" : s.syncState(), s.replayLsn() == null ? "-" : s.replayLsn(),
                    s.lagBytes() == null ? "-" : s.lagBytes(),
                    s.replayLag() == null ? "0" : s.replayLag().toMillis()));
        }
        sb.append(String.format("%-16s %-7s %-14s %-11s %14s%n", "slot", "active", "restart_lsn", "wal_status",
                "retained_bytes"));
        for (SlotStatus s : slots) {
            sb.append(String.format("%-16s %-7s %-14s %-11s %14s%n", s.name(), s.active(),
                    s.restartLsn() == null ? "-" : s.restartLsn(), s.walStatus() == null ? "-" : s.walStatus(),
                    s.retainedBytes() == null ? "-" : s.retainedBytes()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable();
    }
}
