package io.github.pgreplication;

import java.util.List;

/**
 * Thrown by {@link Replication.Builder#load()} when the description is invalid. It lists every problem at once,
 * numbered, each naming the value, the rule and the fix, so that one round of corrections is enough.
 */
public class InvalidReplicationConfigException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** @param problems every problem found; at least one */
    public InvalidReplicationConfigException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    /** @return the problems, in the order they were found */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("Invalid replication configuration: ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        for (int i = 0; i < problems.size(); i++) {
            sb.append(System.lineSeparator()).append("  ").append(i + 1).append(". ")
                    .append(problems.get(i).describe());
        }
        return sb.toString();
    }
}
