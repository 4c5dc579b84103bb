package io.github.pgreplication.internal;

import io.github.pgreplication.Lsn;
import io.github.pgreplication.ReplicationException;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.ReplicationStatus.SlotStatus;
import io.github.pgreplication.ReplicationStatus.StandbyStatus;
import io.github.pgreplication.SyncPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ReplicationStatus} from the rows of {@link Sql#STATUS}, one snapshot: every difference (lag,
 * retained WAL) is computed from the positions of the same rows, so {@code lagBytes == primaryLsn - replayLsn}
 * exactly.
 */
public final class StatusRows {
    private StatusRows() {
    }

    /**
     * @param rows   the rows of {@link Sql#STATUS}
     * @param config the set-up: its standbys are reported first and in order (disconnected when absent), and its
     *               policy tells how many listed standbys must confirm
     * @return the status
     */
    public static ReplicationStatus parse(List<List<String>> rows, ReplicationConfig config) {
        ReplicationStatus s = parse(rows, config.treeOrder().stream().map(io.github.pgreplication.Standby::name)
                .toList());
        Map<String, String> states = new LinkedHashMap<>();
        s.standbys().stream().filter(StandbyStatus::streaming).forEach(x -> states.put(x.name(), x.syncState()));
        SyncStateStep.Seen seen = SyncStateStep.judge(config, states);
        List<StandbyStatus> standbys = s.standbys().stream().map(x -> config.standby(x.name())
                .map(d -> x.placed(config.sourceOf(d).name(), config.depth(d), d.applyDelay())).orElse(x)).toList();
        return new ReplicationStatus(s.primaryLsn(), standbys, s.slots(), s.synchronousStandbyNames(),
                config.syncPolicy(), config.syncPolicy().synchronous() ? seen.confirming() : 0);
    }

    /**
     * @param rows       the rows of {@link Sql#STATUS}
     * @param configured the configured standbys' names, reported first and in this order (disconnected when absent)
     * @return the status, as for an asynchronous set-up
     */
    public static ReplicationStatus parse(List<List<String>> rows, List<String> configured) {
        Lsn primary = null;
        String syncNames = "";
        List<List<String>> standbyRows = new ArrayList<>();
        List<List<String>> slotRows = new ArrayList<>();
        for (List<String> r : rows) {
            switch (r.get(0)) {
                case "primary" -> {
                    primary = Lsn.parse(r.get(4));
                    syncNames = r.size() > 5 && r.get(5) != null ? r.get(5) : "";
                }
                case "standby" -> standbyRows.add(r);
                case "slot" -> slotRows.add(r);
                default -> throw new IllegalArgumentException("unexpected status row " + r);
            }
        }
        if (primary == null) {
            throw new ReplicationException("The status query returned no primary position (rows: " + rows + ")");
        }
        Comparator<List<String>> byName = Comparator.comparing(r -> r.get(1) == null ? "" : r.get(1));
        standbyRows.sort(byName);
        slotRows.sort(byName);
        Map<String, StandbyStatus> seen = new LinkedHashMap<>();
        for (List<String> r : standbyRows) {
            Lsn replay = Lsn.parseNullable(r.get(7));
            StandbyStatus s = new StandbyStatus(r.get(1), r.get(2), r.get(3), Lsn.parseNullable(r.get(4)),
                    Lsn.parseNullable(r.get(5)), Lsn.parseNullable(r.get(6)), replay,
                    replay == null ? null : primary.minus(replay),
                    r.get(8) == null ? null : Duration.ofMillis(Long.parseLong(r.get(8))));
            seen.putIfAbsent(s.name(), s);
        }
        List<StandbyStatus> standbys = new ArrayList<>();
        for (String name : configured) {
            StandbyStatus st = seen.remove(name);
            standbys.add(st != null ? st
                    : new StandbyStatus(name, "disconnected", null, null, null, null, null, null, null));
        }
        standbys.addAll(seen.values());
        List<SlotStatus> slots = new ArrayList<>();
        for (List<String> r : slotRows) {
            Lsn restart = Lsn.parseNullable(r.get(4));
            slots.add(new SlotStatus(r.get(1), "t".equals(r.get(2)), restart, r.get(3),
                    restart == null ? null : primary.minus(restart), r.get(5) == null ? null : Long.valueOf(r.get(5))));
        }
        return new ReplicationStatus(primary, standbys, slots, syncNames, SyncPolicy.none(), 0);
    }
}
