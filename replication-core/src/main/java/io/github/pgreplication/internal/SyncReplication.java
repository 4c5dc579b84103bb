package io.github.pgreplication.internal;

import java.util.Arrays;

/**
 * What a wait for a standby tells about synchronous replication: while a standby named in the primary's
 * {@code synchronous_standby_names} is absent, commits on the primary that wait for synchronous standbys block.
 */
public final class SyncReplication {
    private SyncReplication() {
    }

    /**
     * @param primary connections to the primary
     * @param standby the awaited standby's name (its application_name)
     * @return a sentence for a wait's message, starting with a space; empty when synchronous replication is off or
     *         the primary cannot be asked
     */
    public static String note(Db primary, String standby) {
        try {
            return note(primary.queryValue(Sql.SYNCHRONOUS_STANDBY_NAMES).orElse(""), standby);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * @param names   the primary's synchronous_standby_names
     * @param standby the awaited standby's name
     * @return the sentence, empty when {@code names} is empty
     */
    static String note(String names, String standby) {
        if (names == null || names.isBlank()) {
            return "";
        }
        return " The primary has synchronous_standby_names = '" + names + "'" + (listed(names, standby)
                ? ", which names '" + standby + "': while it is not streaming, commits on the primary that wait for a"
                        + " synchronous standby (synchronous_commit on, remote_write or remote_apply) block unless"
                        + " another listed standby answers (the library's own sessions use synchronous_commit = local)."
                : ", which does not name '" + standby + "'.");
    }

    /**
     * @return whether the standby is one of the names (or {@code *}), the way PostgreSQL matches them: without
     *         regard to case, quoted or not
     */
    static boolean listed(String names, String standby) {
        String list = names.strip();
        int open = list.indexOf('(');
        if (open >= 0 && list.endsWith(")")) {
            list = list.substring(open + 1, list.length() - 1);
        }
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .map(n -> n.length() > 1 && n.startsWith("\"") && n.endsWith("\"")
                        ? n.substring(1, n.length() - 1).replace("\"\"", "\"") : n)
                .anyMatch(n -> n.equals("*") || n.equalsIgnoreCase(standby));
    }
}
