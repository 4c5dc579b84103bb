package io.github.pgreplication.internal;

import io.github.pgreplication.clone.ContributedStep;

/** A step contributed through the clone SPI, run like the library's own steps. */
final class ContributedStepRunner extends Step {
    private final ContributedStep step;

    ContributedStepRunner(ContributedStep step) {
        super(step.node(), step.title(), step.kind(), step.runbook());
        this.step = step;
    }

    /** @return what makes it the same as another contributed step */
    String key() {
        return step.key();
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return step.isDone();
    }

    @Override
    public String run(ApplyContext ctx) {
        String detail = step.run();
        return detail == null ? "" : detail;
    }
}
