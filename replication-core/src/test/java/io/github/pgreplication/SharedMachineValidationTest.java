package io.github.pgreplication;

import static io.github.pgreplication.Descriptions.PRIMARY;
import static io.github.pgreplication.Descriptions.loads;
import static io.github.pgreplication.Descriptions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.SshHost;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 7 item 6: two standbys on one machine ({@code Host.machine()}: every LocalHost is this machine; SshHosts
 * with the same address and port are one machine, whatever their user) need their own data directory and port.
 */
class SharedMachineValidationTest {

    private static Replication.Builder two(Standby a, Standby b) {
        return Replication.primary(Primary.at(PRIMARY)).addStandby(a).addStandby(b);
    }

    @ParameterizedTest(name = "[{index}] {0} and {1}")
    @CsvSource({"/srv/pg/data, /srv/pg/data", "/srv/pg/data, /srv/pg/data/", "/srv/pg/data, /srv//pg/./data",
            "/srv/pg/data/., /srv/pg/data"})
    void theSameNormalisedDataDirectoryOnOneMachineIsRefusedNamingBoth(String a, String b) {
        InvalidReplicationConfigException e = rejected(two(
                Standby.named("one").withHost(LocalHost.current()).withDataDirectory(a),
                Standby.named("two").withHost(LocalHost.runAs("postgres")).withDataDirectory(b).withPort(5433)));

        assertThat(e.getMessage()).contains("standbys 'one' and 'two' on local data directory /srv/pg/data",
                "their clones would write into one directory", "Give 'two' its own, e.g."
                        + " .withDataDirectory(\"/srv/pg/two\")");
    }

    @Test
    void aDataDirectoryInsideAnotherIsRefused() {
        InvalidReplicationConfigException e = rejected(two(
                Standby.named("one").withDataDirectory("/srv/pg"),
                Standby.named("two").withDataDirectory("/srv/pg/two").withPort(5433)));

        assertThat(e.getMessage()).contains("standbys 'one' and 'two' on local data directories /srv/pg and"
                + " /srv/pg/two", "one is inside the other", "Use sibling directories");
    }

    @Test
    void theSamePortOnOneMachineIsRefusedWithAFreeOneSuggested() {
        InvalidReplicationConfigException e = rejected(two(
                Standby.named("one").withDataDirectory("/srv/one").withPort(5433),
                Standby.named("two").withDataDirectory("/srv/two").withPort(5433)));

        assertThat(e.getMessage()).contains("standbys 'one' and 'two' on local port 5433", "both would listen on"
                + " it", "Give 'two' its own port, e.g. .withPort(5434)");
    }

    @Test
    void sshHostsWithTheSameAddressAreOneMachineWhateverTheUserOrCase() {
        InvalidReplicationConfigException e = rejected(two(
                Standby.named("one").withHost(SshHost.to("postgres", "db1.example")).withDataDirectory("/srv/d"),
                Standby.named("two").withHost(SshHost.to("admin", "DB1.example")).withDataDirectory("/srv/d")));

        assertThat(e.problems()).as("directory and port").hasSize(2);
        assertThat(e.getMessage()).contains("on ssh:db1.example:22 data directory /srv/d", "on ssh:db1.example:22"
                + " port 5432");
    }

    @Test
    void differentMachinesMayUseTheSameDirectoryAndPort() {
        loads(two(Standby.named("one").withHost(SshHost.to("postgres", "db1.example")).withDataDirectory("/srv/d"),
                Standby.named("two").withHost(SshHost.to("postgres", "db2.example")).withDataDirectory("/srv/d")));
        loads(two(Standby.named("one").withHost(SshHost.to("postgres", "db1.example")).withDataDirectory("/srv/d"),
                Standby.named("two").withHost(SshHost.to("postgres", "db1.example").withPort(2222))
                        .withDataDirectory("/srv/d")));
    }

    @Test
    void threeStandbysOnOneMachineWithOwnDirectoriesAndPortsLoad() {
        Replication.Builder b = Replication.primary(Primary.at(PRIMARY));
        for (int i = 0; i < 3; i++) {
            b.addStandby(Standby.named("s" + i).withDataDirectory("/srv/pg/s" + i).withPort(5433 + i));
        }
        loads(b);
    }

    @Test
    void everyCollidingPairIsListed() {
        Replication.Builder b = Replication.primary(Primary.at(PRIMARY));
        for (String name : List.of("a", "b", "c")) {
            b.addStandby(Standby.named(name).withDataDirectory("/srv/" + name));
        }
        assertThat(rejected(b).getMessage()).contains("'a' and 'b'", "'a' and 'c'", "'b' and 'c'");
    }

    @Test
    void hostsReportTheirMachine() {
        assertThat(LocalHost.current().machine()).isEqualTo(LocalHost.runAs("postgres").machine())
                .isEqualTo(LocalHost.withPrefix(List.of("doas", "-u", "_postgresql")).machine()).isEqualTo("local");
        assertThat(SshHost.to("postgres", "Eshub.Example").withPort(2222).machine())
                .isEqualTo("ssh:eshub.example:2222");
    }
}
