package io.github.pgreplication;

import java.util.List;

/** One step of a {@link Plan}: what it does, on which node, and how a person would do it by hand. */
public interface PlanStep {
    /** Whether a step changes something or only checks. */
    enum Kind {
        /** Changes the system; skipped when already done. */
        CHANGE,
        /** Only checks; always runs. */
        CHECK
    }

    /** @return the node the step acts on */
    String node();

    /** @return a one-line description */
    String title();

    /** @return whether it changes or checks */
    Kind kind();

    /** @return commands or SQL a person would type, one per line, secrets as {@code ****} */
    List<String> runbook();
}
