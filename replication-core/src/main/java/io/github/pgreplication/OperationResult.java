package io.github.pgreplication;

import java.util.List;
import java.util.Optional;

/**
 * What an operation on a running set-up did, and the set-up it leaves.
 *
 * @param replication  the set-up in its new topology (the same object when nothing changed); close it when done
 * @param steps        what each step did
 * @param notes        what the caller should know: e.g. a possible loss window after a failover
 * @param discarded    WAL that a rewind discarded on the rejoined node, when there was a rewind
 * @param possibleLoss after a failover, WAL the old primary may have had that the promoted standby had not
 *                     received: {@link LossCheck#possibleLoss()} of {@code lossCheck}
 * @param lossCheck    after a failover, how it judged what may be lost: proven by the synchronous policy, or
 *                     bounded by the old primary's last position, and how sure that bound is
 */
public record OperationResult(Replication replication, List<StepOutcome> steps, List<String> notes,
        Optional<WalRange> discarded, Optional<WalRange> possibleLoss, Optional<LossCheck> lossCheck) {
    /**
     * Copies lists.
     *
     * @param replication  the set-up in its new topology (the same object when nothing changed); close it when done
     * @param steps        what each step did
     * @param notes        what the caller should know: e.g. a possible loss window after a failover
     * @param discarded    WAL that a rewind discarded on the rejoined node, when there was a rewind
     * @param possibleLoss after a failover, WAL the old primary may have had that the promoted standby had not
     *                     received: {@link LossCheck#possibleLoss()} of {@code lossCheck}
     * @param lossCheck    after a failover, how it judged what may be lost: proven by the synchronous policy, or
     *                     bounded by the old primary's last position, and how sure that bound is
     */
    public OperationResult {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /**
     * @param replication the set-up in its new topology
     * @param steps       what each step did
     * @param notes       what the caller should know
     * @param discarded   WAL that a rewind discarded
     * @param lossCheck   after a failover, how it judged what may be lost
     */
    public OperationResult(Replication replication, List<StepOutcome> steps, List<String> notes,
            Optional<WalRange> discarded, Optional<LossCheck> lossCheck) {
        this(replication, steps, notes, discarded, lossCheck.flatMap(LossCheck::possibleLoss), lossCheck);
    }

    /** @return the commands its steps ran on hosts, counted (see {@link StepOutcome#commands()}) */
    public int commands() {
        return steps.stream().mapToInt(StepOutcome::commands).sum();
    }

    /** @return the SQL statements its steps sent, counted (see {@link StepOutcome#queries()}) */
    public int queries() {
        return steps.stream().mapToInt(StepOutcome::queries).sum();
    }

    /** @return one line per step, then the notes */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        steps.forEach(s -> sb.append(s).append('\n'));
        notes.forEach(n -> sb.append("Note: ").append(n).append('\n'));
        return sb.toString();
    }
}
