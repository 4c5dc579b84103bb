package io.github.pgreplication.samples;

import io.github.pgreplication.OperationResult;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationStatus;
import io.github.pgreplication.SyncPolicy;
import java.io.PrintStream;

/**
 * The first runbook's set-up made synchronous: a commit on eshua returns once eshub or eshuc has it on disk (quorum
 * commit), and what an operator does when one of them is down for long: what the README's "Durability" section shows.
 */
public final class DurabilitySample {
    private DurabilitySample() {
    }

    /**
     * @param seed1 the seed-1 description ({@link StreamingReplicationSample#describe}), its standbys streaming
     * @param out   where to print
     * @return the set-up under the quorum policy; close it
     */
    public static Replication quorumCommit(Replication.Builder seed1, PrintStream out) {
        // snippet:durability
        Replication replication = seed1
                .syncPolicy(SyncPolicy.any(1))               // ANY 1 ("eshub", "eshuc"): either confirms a commit
                .load();
        replication.apply();                                 // the list is written once both standbys stream
        ReplicationStatus status = replication.status();
        out.println(status.synchronousStandbyNames());       // ANY 1 ("eshub", "eshuc")
        out.println(status.syncSpare() + " standby may fail before commits wait");
        // end-snippet:durability
        return replication;
    }

    /**
     * @param replication the set-up under {@code ANY 1}, eshub down for maintenance and eshuc stopped too
     * @param out         where to print
     * @return the set-up without a policy; close it
     */
    public static Replication releaseWaitingCommits(Replication replication, PrintStream out) {
        // snippet:durability-relax
        // Both standbys are down: every commit on eshua waits. The library never relaxes a policy by itself;
        // an operator decides that availability wins for now:
        OperationResult relaxed = replication.setSyncPolicy(SyncPolicy.none());
        out.println(relaxed.summary());                      // the waiting commits return
        // end-snippet:durability-relax
        return relaxed.replication();
    }
}
