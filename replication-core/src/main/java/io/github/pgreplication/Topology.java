package io.github.pgreplication;

import java.util.List;

/**
 * Which node is where: the primary, the standbys that stream from it, and the nodes known but detached (a failed
 * primary waiting for {@link Replication#rejoin(Rejoin)}).
 *
 * @param primary  the primary's name
 * @param standbys the standbys' names, in order
 * @param detached nodes that replicate from nobody and wait to rejoin
 */
public record Topology(String primary, List<String> standbys, List<String> detached) {
    /**
     * Copies lists.
     *
     * @param primary  the primary's name
     * @param standbys the standbys' names, in order
     * @param detached nodes that replicate from nobody and wait to rejoin
     */
    public Topology {
        standbys = List.copyOf(standbys);
        detached = List.copyOf(detached);
    }

    @Override
    public String toString() {
        return "primary " + primary + ", standbys " + standbys + (detached.isEmpty() ? "" : ", detached " + detached);
    }
}
