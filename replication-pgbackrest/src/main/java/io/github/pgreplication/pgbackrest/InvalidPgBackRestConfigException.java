package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.Problem;
import java.util.List;

/**
 * Thrown by {@link PgBackRestConfig.Builder#build()} when the configuration is invalid. It lists every problem at
 * once, numbered, each naming the value, the rule and the fix.
 */
public class InvalidPgBackRestConfigException extends PgBackRestException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** @param problems every problem found; at least one */
    public InvalidPgBackRestConfigException(List<Problem> problems) {
        super(render(problems), null);
        this.problems = List.copyOf(problems);
    }

    /** @return the problems, in the order found */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("Invalid pgBackRest configuration: ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (int i = 0; i < problems.size(); i++) {
            sb.append(System.lineSeparator()).append("  ").append(i + 1).append(". ")
                    .append(problems.get(i).describe());
        }
        return sb.toString();
    }
}
