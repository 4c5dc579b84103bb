package io.github.pgreplication.samples;

import io.github.pgreplication.NodeStatus;
import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.Resync;
import io.github.pgreplication.Standby;
import io.github.pgreplication.Switchover;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The first runbook's set-up, then a planned switchover to eshub (for maintenance on eshua) and back, printing
 * every node's status after each: what the README's "Operations" section shows; and a re-sync of eshub.
 */
public final class OperationsSample {
    private OperationsSample() {
    }

    /**
     * @param replication the seed-1 set-up, applied and streaming
     * @param out         where to print
     */
    public static void switchoverAndBack(Replication replication, PrintStream out) {
        // snippet:operations
        out.println(replication.plan(Switchover.to("eshub")).toRunbook()); // every command, before anything runs
        OperationResult toEshub = replication.switchover("eshub");         // eshua stopped cleanly, eshub promoted
        try (Replication eshubPrimary = toEshub.replication()) {          // the set-up in its new topology
            eshubPrimary.nodeStatus().forEach(out::println);              // eshub: primary, timeline 2 ...
            OperationResult back = eshubPrimary.switchover("eshua");      // maintenance done: back to eshua
            try (Replication eshuaPrimary = back.replication()) {
                for (NodeStatus node : eshuaPrimary.nodeStatus()) {       // eshua: primary, timeline 3 ...
                    out.println(node);
                }
                out.println(eshuaPrimary.status().toTable());
            }
        }
        // end-snippet:operations
    }

    /**
     * Re-syncs eshub after its slot lost the WAL it needs (docs/operations.md, "Re-syncing a standby that cannot
     * stream"): its warning, the plan, then the re-sync.
     *
     * @param description the seed-1 set-up, eshub described with {@code withEmptyDataDirectoryAllowed(true)}
     * @param out         where to print
     */
    public static void resyncEshub(Replication.Builder description, PrintStream out) {
        // snippet:resync
        try (Replication replication = description.load()) {   // eshub: withEmptyDataDirectoryAllowed(true)
            replication.status().warnings().forEach(out::println); // slot eshub_slot lost WAL its standby needs ...
            out.println(replication.plan(Resync.node("eshub")).toRunbook());
            replication.resync(Resync.node("eshub")).notes().forEach(out::println);
            // eshub was re-synced from eshua (its slot eshub_slot lost the WAL it needs (wal_status lost), it does not
            // answer): cloned with pg_basebackup; slot eshub_slot was dropped (it had lost its WAL) and created again.
        }
        // end-snippet:resync
    }

    /**
     * Reads a table dropped on the primary back from a delayed standby (docs/operations.md, "Delayed standbys").
     *
     * @param eshud       a standby of the seed-1 primary, to be described as delayed by an hour
     * @param replication the set-up with eshud described so, applied and streaming
     * @param out         where to print
     */
    public static void delayedStandby(Standby eshud, Replication replication, PrintStream out) {
        // snippet:delayed
        Standby delayed = eshud.withApplyDelay(Duration.ofHours(1)); // add it with addStandby(delayed), apply()

        // A DROP TABLE went through on the primary ten minutes ago:
        replication.pauseReplay("eshud");                     // the drop is not replayed there: the table is readable
        // ... copy its rows out of eshud, then
        replication.resumeReplay("eshud");

        // Or show the primary as it was at a moment, up to the last commit before it:
        replication.replayUpTo("eshud", Instant.parse("2026-12-07T09:41:00Z")); // restarts eshud, pauses there
        replication.resumeReplay("eshud");                    // target removed, delay back, restarted as a standby
        // end-snippet:delayed
        out.println(delayed.name() + " replays " + delayed.applyDelay() + " late");
    }

    /**
     * A cascade (docs/operations.md, "Cascading standbys"): eshuc, in another data centre, streams from eshub there
     * rather than from the primary across the ocean.
     *
     * @param primary the seed-1 primary
     * @param eshub   a standby of the primary
     * @param eshuc   a standby to stream from eshub
     * @param out     where to print
     */
    public static void cascade(Primary primary, Standby eshub, Standby eshuc, PrintStream out) {
        // snippet:cascade
        try (Replication replication = Replication.primary(primary)
                .addStandby(eshub)
                .addStandby(eshuc.streamingFrom("eshub")) // cloned from eshub, its slot there
                .load()) {
            replication.apply();                          // eshub streams before eshuc is cloned from it
            replication.status().standby("eshuc")
                    .ifPresent(s -> out.println(s.upstream() + ", depth " + s.depth())); // eshub, depth 2
        }
        // end-snippet:cascade
    }
}
