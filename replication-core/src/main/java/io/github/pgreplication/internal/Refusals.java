package io.github.pgreplication.internal;

import io.github.pgreplication.OperationRefusedException;
import io.github.pgreplication.OperationRefusedException.Kind;
import java.util.List;

/** The refusals of {@code apply()}'s steps that only the caller can resolve, each with its message. */
public final class Refusals {
    private Refusals() {
    }

    /**
     * @param standby   the standby's name
     * @param host      its host's name
     * @param directory the data directory
     * @param entries   what it holds
     * @param why       why it is not reused
     * @param keptBy    the clone method that would keep the directory and re-sync it in place, or null
     * @return the refusal to clone into it; nothing in it was changed
     */
    static OperationRefusedException dataDirectoryNotEmpty(String standby, String host, String directory,
            List<String> entries, String why, String keptBy) {
        String start = "Data directory " + directory + " of standby '" + standby + "' on " + host + " is not empty ("
                + entries.size() + " entries: " + String.join(", ", entries.subList(0, Math.min(8, entries.size())))
                + (entries.size() > 8 ? ", ..." : "") + ") and " + why + ".";
        String allow = "Standby.named(\"" + standby + "\")....withEmptyDataDirectoryAllowed(true).";
        if (keptBy != null) {
            return new OperationRefusedException(Kind.DATA_DIRECTORY_NOT_EMPTY, standby, start + " " + keptBy
                    + " would re-sync it in place (it keeps the files that match and overwrites the others), which"
                    + " needs your permission to overwrite the directory; nothing in it was changed. Allow it: "
                    + allow);
        }
        return new OperationRefusedException(Kind.DATA_DIRECTORY_NOT_EMPTY, standby, start + " A clone needs an absent"
                + " or empty directory; nothing in it was changed. Move its contents away yourself, or let the library"
                + " delete them: " + allow);
    }

    /**
     * @param node       the node's name
     * @param parameters the parameters left {@code pending_restart}
     * @return the refusal to go on without the restart they need
     */
    static OperationRefusedException restartRequired(String node, List<String> parameters) {
        return new OperationRefusedException(Kind.RESTART_REQUIRED, node, "Settings " + parameters + " on '" + node
                + "' were written with ALTER SYSTEM but only take effect after a restart (pg_settings.pending_restart)."
                + " Restart the server yourself and re-run apply(), or let the library do it:"
                + " Primary.withService(ServiceControl.pgCtl()) or ServiceControl.command(List.of(\"systemctl\","
                + " \"restart\", \"postgresql\")).");
    }

    /**
     * @param primary     the primary's name
     * @param version     what is known of its major version, e.g. {@code 14}
     * @param standbys    the standbys cloned with server compression
     * @param compression one of their compressions, e.g. {@code server-zstd:level=3}
     * @param done        what was done, e.g. {@code Nothing was changed}
     * @return why they cannot be cloned so, what was done and what to do
     */
    public static String serverCompression(String primary, String version, List<String> standbys, String compression,
            String done) {
        boolean many = standbys.size() > 1;
        return "Primary '" + primary + "' runs PostgreSQL " + version + ", and standby" + (many ? "s " : " ")
                + String.join(", ", standbys.stream().map(n -> "'" + n + "'").toList()) + (many ? " are" : " is")
                + " cloned with pg_basebackup --compress=" + compression + ": server-side compression needs"
                + " PostgreSQL 15 or later on the primary (before 15, pg_basebackup compresses only tar output, after"
                + " the transfer). " + done + ". On 13 and 14 clone without compression (BaseBackup.defaults(), whose"
                + " compression is Compression.none()), or restore from a pgBackRest repository, whose backups are"
                + " compressed (PgBackRestConfig.Builder.compressType).";
    }
}
