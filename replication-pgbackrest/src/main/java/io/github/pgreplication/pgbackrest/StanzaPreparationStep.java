package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.clone.ContributedStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's side of a restore, as one step of {@code apply()} on the repository host, once the primary is
 * prepared and before any clone: {@link PgBackRestPrimary#prepare(PgBackRest)} (stanza-create when missing, check,
 * first full backup when there is none). Every standby restored through the same pgBackRest contributes the same
 * step, which runs once; done when {@code info} shows the stanza with a backup.
 */
final class StanzaPreparationStep extends ContributedStep {
    private final PgBackRest pgBackRest;

    StanzaPreparationStep(PgBackRest pgBackRest) {
        super(Phase.AFTER_PRIMARY, pgBackRest.nodeName(), "pgBackRest stanza " + pgBackRest.stanza()
                        + ": created, archiving checked, a full backup in the repository",
                PgBackRestPrimary.runbook(pgBackRest));
        this.pgBackRest = pgBackRest;
    }

    @Override
    public boolean isDone() {
        StanzaInfo info = pgBackRest.info();
        return info.status().ok() && info.latestBackup().isPresent();
    }

    @Override
    public String run() {
        PgBackRestPrimary.StanzaSetup setup = PgBackRestPrimary.prepare(pgBackRest);
        List<String> done = new ArrayList<>();
        if (setup.stanzaCreated()) {
            done.add("stanza created");
        }
        done.add("archiving checked");
        done.add(setup.fullBackupTaken() ? "full backup " + setup.latestBackup().label() + " taken"
                : "backup " + setup.latestBackup().label() + " already there");
        return String.join(", ", done);
    }
}
