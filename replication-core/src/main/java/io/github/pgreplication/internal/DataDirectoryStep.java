package io.github.pgreplication.internal;

import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Command;
import java.util.List;
import java.util.Optional;

/**
 * Checks the standby's data directory before anything is cloned into it: absent, empty, or holding a standby (which
 * the clone step then compares with the primary). Anything else is an error, and is left untouched, unless the user
 * allowed emptying it. Needs nothing from the primary, so it runs while the primary is being configured; the clone
 * step reuses its listing, and the mode step the directory's mode seen by the same command.
 */
final class DataDirectoryStep extends Step {
    private final Standby standby;
    private volatile DirectoryLook look;

    DataDirectoryStep(Standby standby) {
        super(standby.name(), "data directory " + standby.dataDirectory() + " is absent, empty or already a standby"
                + (!standby.emptyDataDirectoryAllowed() ? "" : keepsFirst(standby) ? " (overwriting allowed: "
                + standby.cloneMethods().get(0).name() + " re-syncs a data directory in place)"
                : " (emptying allowed)"), Kind.CHECK,
                List.of("ls -A " + Command.shellQuote(standby.dataDirectory())
                        + "   # must print nothing, or hold PG_VERSION and standby.signal"));
        this.standby = standby;
    }

    /** @return what the directory held when this step ran; empty before it ran */
    Optional<List<String>> entries() {
        return look().map(DirectoryLook::entries);
    }

    /** @return what the one command of this step saw, entries and mode; empty before it ran */
    Optional<DirectoryLook> look() {
        return Optional.ofNullable(look);
    }

    /** @return whether the standby's first clone method re-syncs a data directory in place */
    static boolean keepsFirst(Standby standby) {
        return !standby.cloneMethods().isEmpty() && standby.cloneMethods().get(0).keepsDataDirectory();
    }

    /**
     * @param standby the standby
     * @param entries its data directory's entries, not empty
     * @return its first clone method when that method re-syncs a directory in place and the directory holds a
     *         PostgreSQL data directory (pgBackRest's delta refuses anything else); else null
     */
    static CloneMethod keeper(Standby standby, List<String> entries) {
        return keepsFirst(standby) && entries.contains("PG_VERSION") ? standby.cloneMethods().get(0) : null;
    }

    /**
     * @param entries a non-empty data directory's entries, found not to be a standby of {@code primary}
     * @param primary the primary's name
     * @return why the directory cannot be reused as it is, for messages
     */
    static String whyNotReusable(List<String> entries, String primary) {
        if (!entries.contains("PG_VERSION")) {
            return "is not a PostgreSQL data directory";
        }
        return "holds a PostgreSQL cluster that is not a standby of primary '" + primary + "' ("
                + (entries.contains("standby.signal") ? "different system identifier" : "no standby.signal") + ")";
    }

    @Override
    public boolean isDone(ApplyContext ctx) {
        return false;
    }

    @Override
    public boolean needsPrimary() {
        return false;
    }

    @Override
    public String run(ApplyContext ctx) {
        look = null;
        if (ctx.inPlace(standby)) {
            return "a standby of this primary runs from it";
        }
        DirectoryLook seenNow = DirectoryLook.of(standby.host(), standby.dataDirectory());
        look = seenNow;
        List<String> seen = seenNow.entries();
        if (seen.isEmpty()) {
            return "absent or empty";
        }
        if (seen.contains("PG_VERSION") && seen.contains("standby.signal")) {
            return "holds a standby; the clone step compares it with the primary";
        }
        String why = whyNotReusable(seen, ctx.config().primary().name());
        CloneMethod keeper = keeper(standby, seen);
        if (!standby.emptyDataDirectoryAllowed()) {
            throw Refusals.dataDirectoryNotEmpty(standby.name(), standby.host().name(), standby.dataDirectory(),
                    seen, why, keeper == null ? null : keeper.name());
        }
        return "not empty: it " + why + (keeper == null ? "; the clone step empties it, as allowed"
                : "; " + keeper.name() + " re-syncs it in place, as allowed");
    }
}
