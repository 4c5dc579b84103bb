package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.ApplyResult;
import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Standby;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import io.github.pgreplication.host.SshHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SshHost with the real OpenSSH client against real sshd in containers: commands, files, and a whole apply(). */
class SshHostIT {
    static PostgresMachines machines;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        machines = PostgresMachines.start(PostgresImage.resolve(17), "sshprimary", "sshstandby");
        dir = Files.createTempDirectory("sshhost-it");
        LocalHost.current().run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sshhost-it",
                "-f", dir.resolve("id").toString()));
        String publicKey = Files.readString(dir.resolve("id.pub"));
        StringBuilder knownHosts = new StringBuilder();
        for (ClusterNode node : machines.machines()) {
            node.startSshd();
            node.host().createDirectories("/var/lib/postgresql/.ssh", "0700");
            node.host().writeFile("/var/lib/postgresql/.ssh/authorized_keys", publicKey, "0600");
            String[] key = node.sshHostKey().split(" ");
            knownHosts.append("[").append(node.sshEndpoint().host()).append("]:").append(node.sshEndpoint().port())
                    .append(' ').append(key[0]).append(' ').append(key[1]).append('\n');
        }
        Files.writeString(dir.resolve("known_hosts"), knownHosts.toString());
        machines.initDatabase("sshprimary");
    }

    @AfterAll
    static void stop() throws Exception {
        if (machines != null) {
            machines.close();
        }
        LocalHost.current().run(Command.of("rm", "-rf", dir.toString()));
    }

    static SshHost ssh(String machine) {
        ClusterNode node = machines.machine(machine);
        return SshHost.to("postgres", node.sshEndpoint().host()).withPort(node.sshEndpoint().port())
                .withIdentityFile(dir.resolve("id").toString())
                .withKnownHostsFile(dir.resolve("known_hosts").toString())
                .withPostgresBinaries("/usr/lib/postgresql/17/bin"); // Debian: pg_ctl is off an SSH session's PATH
    }

    @Test
    void argumentsArriveExactlyAsGivenAndAreNeverInterpretedByTheRemoteShell() {
        String[] hostile = {"a b", "it's", "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "x; touch /tmp/pwned",
                "\"quoted\"", "back\\slash", "*"};
        String out = ssh("sshstandby").run(Command.of("printf", "%s\\n").withArgs(hostile)).stdout();
        assertThat(out.split("\n")).containsExactly(hostile);
        assertThat(machines.machine("sshstandby").host().exists("/tmp/pwned")).isFalse();
    }

    @Test
    void filesAreWrittenWithTheirModeReadAndListed() {
        SshHost host = ssh("sshstandby");
        host.createDirectories("/var/lib/postgresql/files", "0700");
        host.writeFile("/var/lib/postgresql/files/secret", "line 'one'\nline \"two\"\n", "0600");
        assertThat(host.readFile("/var/lib/postgresql/files/secret")).contains("line 'one'\nline \"two\"\n");
        assertThat(host.run(Command.of("stat", "-c", "%a", "/var/lib/postgresql/files/secret")).stdout().strip())
                .isEqualTo("600");
        assertThat(host.list("/var/lib/postgresql/files")).containsExactly("secret");
        assertThat(host.readFile("/var/lib/postgresql/files/absent")).isEmpty();
        assertThat(host.list("/var/lib/postgresql/absent")).isEmpty();
    }

    @Test
    void aWriteThroughASymbolicLinkKeepsTheLinkAndReplacesItsTargetInOneConnection() {
        SshHost host = ssh("sshstandby");
        ContainerHost inside = machines.machine("sshstandby").host();
        host.createDirectories("/var/lib/postgresql/managed", "0700");
        host.writeFile("/var/lib/postgresql/managed/pg_hba.conf", "old\n", "0600");
        inside.run(Command.of("ln", "-sfn", "managed/pg_hba.conf", "/var/lib/postgresql/hba-link"));

        host.writeFile("/var/lib/postgresql/hba-link", "host all all all scram-sha-256 # it's $(id)\n", "0640");

        assertThat(inside.run(Command.of("stat", "-c", "%F", "/var/lib/postgresql/hba-link")).stdout().strip())
                .as("the link stays a link").isEqualTo("symbolic link");
        assertThat(inside.run(Command.of("cat", "/var/lib/postgresql/managed/pg_hba.conf")).stdout())
                .isEqualTo("host all all all scram-sha-256 # it's $(id)\n");
        assertThat(inside.run(Command.of("stat", "-c", "%a", "/var/lib/postgresql/managed/pg_hba.conf")).stdout()
                .strip()).isEqualTo("640");
        assertThat(host.list("/var/lib/postgresql/managed")).as("no temporary file left").containsExactly(
                "pg_hba.conf");
        assertThatThrownBy(() -> host.writeFile("/var/lib/postgresql/managed", "x", "0600"))
                .as("never renamed into a directory").isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("a directory: not replaced");
        assertThat(host.list("/var/lib/postgresql/managed")).containsExactly("pg_hba.conf");
        assertThat(host.list("/var/lib/postgresql")).noneMatch(f -> f.contains(".pgreplication-tmp"));
    }

    @Test
    void aProgramOffThePathFailsWithAHintToSetTheBinaryDirectory() {
        ClusterNode node = machines.machine("sshstandby");
        SshHost plain = SshHost.to("postgres", node.sshEndpoint().host()).withPort(node.sshEndpoint().port())
                .withIdentityFile(dir.resolve("id").toString())
                .withKnownHostsFile(dir.resolve("known_hosts").toString());
        assertThatThrownBy(() -> plain.run(Command.of("pg_controldata", "--version")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exit code 127")
                .hasMessageContaining("withPostgresBinaries(\"/usr/lib/postgresql/17/bin\")");
        assertThat(ssh("sshstandby").run(Command.of("pg_controldata", "--version")).stdout()).contains("17.");
    }

    @Test
    void anUnknownHostKeyIsRefusedNotTrusted() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty_known_hosts"));
        ClusterNode node = machines.machine("sshstandby");
        SshHost stranger = SshHost.to("postgres", node.sshEndpoint().host()).withPort(node.sshEndpoint().port())
                .withIdentityFile(dir.resolve("id").toString()).withKnownHostsFile(empty.toString());
        assertThatThrownBy(() -> stranger.run(Command.of("true")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Host key verification failed");
    }

    @Test
    void aWholeSetUpRunsOverSshAloneAndTheStandbyIsVerifiedThroughPsql() {
        ClusterNode primary = machines.machine("sshprimary");
        try (Replication replication = Replication.primary(Primary.at(primary.internalEndpoint())
                        .withName("sshprimary").withAdminEndpoint(primary.endpoint())
                        .withAdmin("postgres", primary.password())
                        .withHost(ssh("sshprimary")).withService(ServiceControl.pgCtl()))
                .replicationRole(ReplicationRole.named("replicator"))
                .allow(HbaRule.parse("host replication replicator samenet trust"))
                .addStandby(Standby.named("sshstandby").withHost(ssh("sshstandby"))
                        .withDataDirectory(PostgresMachines.DATA_DIRECTORY))
                .load()) {
            ApplyResult result = replication.apply();
            assertThat(result.cloneMethodUsed("sshstandby")).contains("cloned with pg_basebackup");
            replication.awaitReplay(replication.currentLsn(), Duration.ofSeconds(30));
            assertThat(replication.status().standby("sshstandby"))
                    .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo("streaming"));
            assertThat(replication.apply().changed()).as("second apply over SSH").isFalse();
        }
    }
}
