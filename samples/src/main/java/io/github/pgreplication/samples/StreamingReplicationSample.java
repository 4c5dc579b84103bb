package io.github.pgreplication.samples;

import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.SynchronousCommit;
import io.github.pgreplication.PrimarySettings.WalCompression;
import io.github.pgreplication.PrimarySettings.WalLevel;
import io.github.pgreplication.PrimarySettings.WalSyncMethod;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.testkit.PostgresMachines;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The first runbook, reproduced with the public API: a controller database "eshua" and two
 * read-only mail-server standbys "eshub" and "eshuc", each with its slot, cloned with pg_basebackup by a
 * password-less {@code replicator} role. The three machines are containers ({@link PostgresMachines}); on real
 * machines, use {@code SshHost}/{@code LocalHost} and {@code ServiceControl.command(List.of("doas", "rcctl",
 * "restart", "postgresql"))} instead, and nothing else changes.
 *
 * <p>Run it with {@code scripts/run-sample.sh}.
 */
public final class StreamingReplicationSample {
    /** The standbys of the runbook. */
    public static final List<String> STANDBYS = List.of("eshub", "eshuc");

    private StreamingReplicationSample() {
    }

    /**
     * @param args ignored
     * @throws SQLException when the demonstration queries fail
     */
    public static void main(String[] args) throws SQLException {
        try (PostgresMachines machines = PostgresMachines.start(17, "eshua", "eshub", "eshuc")) {
            machines.initDatabase("eshua"); // the controller's existing database
            run(machines, System.out);
        }
    }

    /**
     * The runbook's description. The primary's settings are the runbook's postgresql.conf lines.
     *
     * @param machines machines named eshua, eshub, eshuc; eshua initialised
     * @return the description, not yet loaded
     */
    public static Replication.Builder describe(PostgresMachines machines) {
        var eshua = machines.machine("eshua");
        // snippet:seed1
        Replication.Builder replication = Replication.primary(Primary.at(eshua.internalEndpoint())
                        .withName("eshua")
                        .withAdminEndpoint(eshua.endpoint())       // where this program reaches it
                        .withAdmin("postgres", eshua.password())
                        .withHost(eshua.host())                    // where pg_hba.conf is edited
                        .withService(ServiceControl.pgCtl()))      // or doas rcctl restart postgresql
                .replicationRole(ReplicationRole.named("replicator")) // no password, as in the runbook
                .settings(PrimarySettings.empty()
                        .withListenAddresses("*")
                        .withWalLevel(WalLevel.REPLICA)
                        .withFsync(true)
                        .withSynchronousCommit(SynchronousCommit.ON)
                        .withWalSyncMethod(WalSyncMethod.FSYNC)
                        .withFullPageWrites(true)
                        .withWalLogHints(false)
                        .withWalCompression(WalCompression.OFF)
                        .withMaxWalSize("1GB")                     // sizes checked at load()
                        .withMinWalSize("300MB"))
                .allow(HbaRule.parse("host replication replicator samenet trust")); // only our servers reach it
        for (String name : STANDBYS) {
            var machine = machines.machine(name);
            replication.addStandby(Standby.named(name)
                    .withSlot(name + "_slot")                      // eshub_slot, eshuc_slot
                    .withHost(machine.host())
                    .withEndpoint(machine.internalEndpoint())      // where peers connect if it becomes primary
                    .withDataDirectory(PostgresMachines.DATA_DIRECTORY)
                    .withService(ServiceControl.pgCtl())
                    .withAdminEndpoint(machine.endpoint(), "postgres", machine.password()));
        }
        // end-snippet:seed1
        return replication;
    }

    /**
     * Prints the runbook, applies it, writes rows on the primary, reads them on both standbys, prints the status.
     *
     * @param machines the machines, eshua initialised
     * @param out      where to print
     * @throws SQLException when the demonstration queries fail
     */
    public static void run(PostgresMachines machines, PrintStream out) throws SQLException {
        try (Replication replication = describe(machines).load()) {
            out.println(replication.plan().toRunbook());
            out.println(replication.apply().summary());

            try (Connection c = machines.machine("eshua").dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS mailbox (address text PRIMARY KEY, quota_mb int)");
                st.execute("INSERT INTO mailbox VALUES ('thierry@ghelew.ch', 2048), ('postmaster@ghelew.ch', 512)"
                        + " ON CONFLICT DO NOTHING");
            }
            var written = replication.currentLsn();
            replication.awaitReplay(written, Duration.ofSeconds(30));
            for (String name : STANDBYS) {
                try (Connection c = machines.machine(name).dataSource().getConnection();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM mailbox")) {
                    rs.next();
                    out.printf("%s reads %d mailboxes (replayed up to %s)%n", name, rs.getInt(1), written);
                }
            }
            out.println();
            out.println(replication.status().toTable());
        }
    }
}
