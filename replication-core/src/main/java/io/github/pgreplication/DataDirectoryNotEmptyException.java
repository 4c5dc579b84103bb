package io.github.pgreplication;

import java.util.List;

/**
 * A standby's data directory holds files and is not already a standby of this primary, and emptying it was not
 * allowed. Nothing in it was changed.
 */
public class DataDirectoryNotEmptyException extends ReplicationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param standby   the standby's name
     * @param host      its host's name
     * @param directory the data directory
     * @param entries   what it holds
     * @param why       why it is not reused
     */
    public DataDirectoryNotEmptyException(String standby, String host, String directory, List<String> entries,
            String why) {
        super("Data directory " + directory + " of standby '" + standby + "' on " + host + " is not empty ("
                + entries.size() + " entries: " + String.join(", ", entries.subList(0, Math.min(8, entries.size())))
                + (entries.size() > 8 ? ", ..." : "") + ") and " + why + ". A clone needs an absent or empty"
                + " directory; nothing in it was changed. Move its contents away yourself, or let the library"
                + " delete them: Standby.named(\"" + standby + "\")....withEmptyDataDirectoryAllowed(true).");
    }
}
