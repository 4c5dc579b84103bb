package io.github.pgreplication.samples;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.PrimarySettings;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.host.SshHost;
import java.time.Duration;
import java.util.List;

/**
 * The first runbook on its own machines (OpenBSD servers {@code eshua.ghelew.ch}, {@code eshub.ghelew.ch},
 * {@code eshuc.ghelew.ch}, reached over SSH, restarted with {@code doas rcctl}): the shortest description of it, as
 * the README's first screen shows it, and the pieces the reference pages quote. It is compiled with the samples but
 * needs those machines, so no test runs it; {@link StreamingReplicationSample} runs the same set-up on containers
 * ({@code scripts/run-sample.sh}).
 */
public final class RealMachinesSample {
    private RealMachinesSample() {
    }

    /**
     * Sets up the first runbook's replication on its machines and prints the plan, then the status.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // snippet:seed1-real-machines
        ServiceControl rcctl = ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql"));
        Replication.Builder seed1 = Replication.primary(Primary.at(Endpoint.of("eshua.ghelew.ch", 5432))
                        .withHost(SshHost.to("_postgresql", "eshua.ghelew.ch")) // where pg_hba.conf is edited
                        .withService(rcctl))
                .replicationRole(ReplicationRole.named("replicator"))           // no password, as in the runbook
                .settings(PrimarySettings.empty().withListenAddresses("*"))     // wal_level replica: the default
                .allow(HbaRule.parse("host replication replicator samenet trust")); // only our servers reach it
        for (String name : List.of("eshub", "eshuc")) {                         // slots eshub_slot, eshuc_slot
            seed1.addStandby(Standby.named(name).withHost(SshHost.to("_postgresql", name + ".ghelew.ch"))
                    .withDataDirectory("/var/postgresql/data").withService(rcctl));
        }
        try (Replication replication = seed1.load()) {          // checks everything, reports every problem at once
            System.out.println(replication.plan().toRunbook()); // what will happen, as a runbook; touches nothing
            replication.apply();                                // returns when every standby streams
            System.out.println(replication.status().toTable()); // one line per standby: state, LSNs, lag; slots
        }
        // end-snippet:seed1-real-machines
    }

    /**
     * Loads a description, prints its plan, applies it, waits for the standbys to replay the primary's position and
     * prints the status: the life of a set-up in one block.
     *
     * @param replication a description, not yet loaded
     */
    public static void loadPlanApplyStatus(Replication.Builder replication) {
        // snippet:load-plan-apply
        try (Replication r = replication.load()) {          // validates everything, reports every problem at once
            System.out.println(r.plan().toRunbook());       // what will happen, as a runbook; touches nothing
            ApplyResult result = r.apply();                 // returns when every standby streams
            System.out.println(result.summary());           // applied / already done, step by step
            r.awaitReplay(r.currentLsn(), Duration.ofSeconds(30));
            System.out.println(r.status().toTable());       // one line per standby: state, LSNs, lag; then slots
        }
        // end-snippet:load-plan-apply
    }

    /** The hosts and service controls of real machines, one per kind. */
    public static void hostsOfRealMachines() {
        // snippet:real-machines
        Primary.at(Endpoint.of("eshua.ghelew.ch", 5432))
                .withHost(LocalHost.runAs("postgres"))                         // or SshHost.to("postgres", "eshua...")
                .withService(ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")));
        Standby.named("eshub")
                .withHost(SshHost.to("postgres", "eshub.ghelew.ch")
                        .withIdentityFile("/home/app/.ssh/id_ed25519")
                        .withKnownHostsFile("/home/app/.ssh/known_hosts")    // pinned host keys; unknown keys fail
                        .withPostgresBinaries("/usr/lib/postgresql/17/bin")) // Debian keeps pg_ctl off the PATH
                .withDataDirectory("/var/postgresql/data");
        // end-snippet:real-machines
    }

    /**
     * A standby cloned across the internet: the primary compresses what it sends, and the clone leaves room for
     * production traffic on the link.
     *
     * @return the standby
     */
    public static Standby clonedOverASlowLink() {
        // snippet:clone-compression
        Standby eshub = Standby.named("eshub")
                .withHost(SshHost.to("_postgresql", "eshub.ghelew.ch"))
                .withDataDirectory("/var/postgresql/data")
                .withCloneMethods(BaseBackup.defaults()      // --compress=server-zstd:level=3 --max-rate=20M
                        .withCompression(BaseBackup.Compression.server(BaseBackup.Compression.Algorithm.ZSTD, 3))
                        .withMaxRate(DataSize.ofMegabytes(20))             // at most 20 MB/s on the link
                        .withProgressListener(p -> System.out.println(p.percent() + "% at "
                                + p.bytesPerSecond() / 1024 + " kB/s, "
                                + p.eta().map(Duration::toSeconds).orElse(-1L) + " s left")));
        // end-snippet:clone-compression
        return eshub;
    }
}
