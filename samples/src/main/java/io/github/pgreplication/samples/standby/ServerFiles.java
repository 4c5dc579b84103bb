package io.github.pgreplication.samples.standby;

import io.github.pgreplication.host.Host;
import java.util.function.Consumer;

/**
 * A primary laid out the Debian way (the runbook's {@code /etc/postgresql/15/main}) keeps postgresql.conf and
 * pg_hba.conf outside its data directory, so a restored standby lacks them: minimal ones are written, once.
 */
final class ServerFiles {
    private ServerFiles() {
    }

    static void ensure(Host host, String data, Consumer<String> log) {
        if (!host.exists(data + "/postgresql.conf")) {
            host.writeFile(data + "/postgresql.conf", String.join("\n",
                    "# written by the standby container: the primary keeps its configuration outside its data"
                            + " directory",
                    "listen_addresses = 'localhost'",
                    "hot_standby = on",
                    "unix_socket_directories = '/var/run/postgresql'",
                    ""), "0600");
            log.accept("wrote a minimal " + data + "/postgresql.conf (the restored data directory had none)");
        }
        if (!host.exists(data + "/pg_hba.conf")) {
            host.writeFile(data + "/pg_hba.conf", "local all all peer\n", "0600");
            log.accept("wrote " + data + "/pg_hba.conf: local peer connections only");
        }
    }
}
