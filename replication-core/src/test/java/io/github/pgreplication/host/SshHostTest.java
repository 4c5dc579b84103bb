package io.github.pgreplication.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SshHost refuses a user or address that ssh could read as an option, and builds its argv without a shell. */
class SshHostTest {

    @Test
    void anOptionGivenAsTheUserIsRefusedNamingIt() {
        assertThatThrownBy(() -> SshHost.to("-oProxyCommand=touch /tmp/pwned", "db1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh user '-oProxyCommand=touch /tmp/pwned' is not a login name")
                .hasMessageContaining("not starting with '-'")
                .hasMessageContaining("SshHost.to(\"postgres\", \"db1.example.com\")");
    }

    @Test
    void anOptionGivenAsTheAddressIsRefusedNamingIt() {
        assertThatThrownBy(() -> SshHost.to("postgres", "-oProxyCommand=touch /tmp/pwned"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh address '-oProxyCommand=touch /tmp/pwned' is not a host name or IP"
                        + " address")
                .hasMessageContaining("leading '-'")
                .hasMessageContaining("Give only the host, e.g. SshHost.to(\"postgres\", \"db1.example.com\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-l", "-", "post gres", "postgres\n", "root;id", "a@b", "pg$", "'x'",
            "x\u2028y", "abcdefghijklmnopqrstuvwxyz0123456"})
    void hostileUsersAreRefused(String user) {
        assertThatThrownBy(() -> SshHost.to(user, "db1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh user '" + printable(user) + "' is not a login name")
                .hasMessageContaining("1 to 32 letters, digits, '.', '_' or '-'");
    }

    @Test
    void aUserWrittenAsUserAtHostIsToldToGiveThemApart() {
        assertThatThrownBy(() -> SshHost.to("postgres@db1", "db1"))
                .hasMessageContaining("ssh user 'postgres@db1'")
                .hasMessageContaining("Give the user and the address apart");
    }

    @Test
    void aControlCharacterIsShownEscapedSoTheMessageStaysOnOneLine() {
        assertThatThrownBy(() -> SshHost.to("postgres", "db1\n-oProxyCommand=x"))
                .hasMessageContaining("ssh address 'db1\\n-oProxyCommand=x'")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-db1", "db 1", " db1", "db1\n", "db1\t", "postgres@db1", "db1;id", "db1:22",
            "db1.", ".db1", "db..example", "db1-.example", "db1/x", "$(id)", "[db1]", "[]", "[::1", "256.0.0.1",
            "10.0.0", "10.0.0.5.6", "010.0.0.5", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "12345::1", "::g",
            "fe80::1%", "fe80::1%eth 0", "1.2.3.4::"})
    void hostileAddressesAreRefused(String address) {
        assertThatThrownBy(() -> SshHost.to("postgres", address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh address '" + printable(address) + "' is not a host name or IP address");
    }

    @Test
    void aHostNameLongerThan253CharactersIsRefused() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label);
        assertThat(name).hasSize(255);
        assertThatThrownBy(() -> SshHost.to("postgres", name)).hasMessageContaining("at most 253 characters");
        assertThat(SshHost.to("postgres", name.substring(2)).name()).endsWith(name.substring(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "pg-user.1", "_pg", "Admin", "abcdefghijklmnopqrstuvwxyz012345"})
    void loginNamesAreAccepted(String user) {
        assertThat(SshHost.to(user, "db1").sshArgv()).as("the user travels as -l USER").containsSubsequence("-l",
                user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"db1", "db-1.example.org", "localhost", "eshub.ghelew.ch", "DB1.Example", "project_db_1",
            "10.0.0.5", "255.255.255.255", "0.0.0.0", "::1", "fe80::1", "2001:db8::8a2e:370:7334",
            "1:2:3:4:5:6:7:8", "::", "::ffff:10.0.0.5", "fe80::1%eth0"})
    void hostNamesAndAddressesAreAccepted(String address) {
        assertThat(SshHost.to("postgres", address).sshArgv()).as("the address is the argument after --")
                .endsWith("--", address);
    }

    @Test
    void anIpv6AddressInBracketsIsPassedToSshWithout() {
        SshHost host = SshHost.to("postgres", "[fe80::1]").withPort(2222);
        assertThat(host.sshArgv()).endsWith("-l", "postgres", "--", "fe80::1");
        assertThat(host.name()).isEqualTo("ssh:postgres@[fe80::1]:2222");
        assertThat(host.machine()).as("same machine however it is written")
                .isEqualTo(SshHost.to("admin", "FE80::1").withPort(2222).machine()).isEqualTo("ssh:[fe80::1]:2222");
    }

    @Test
    void theArgvPassesUserAndAddressAsTheirOwnArguments() {
        assertThat(SshHost.to("postgres", "db1.example.org").sshArgv()).containsExactly("ssh", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=15", "-p", "22", "-l", "postgres", "--",
                "db1.example.org");
        assertThat(SshHost.to("postgres", "10.0.0.5").withPort(2222).withIdentityFile("/home/app/.ssh/id_ed25519")
                .withKnownHostsFile("/home/app/.ssh/known_hosts").sshArgv()).containsExactly("ssh", "-o",
                "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=15", "-p", "2222", "-i",
                "/home/app/.ssh/id_ed25519", "-o", "IdentitiesOnly=yes", "-o",
                "UserKnownHostsFile=/home/app/.ssh/known_hosts", "-l", "postgres", "--", "10.0.0.5");
    }

    @Test
    void theNameShowsUserAddressAndAPortOtherThan22() {
        assertThat(SshHost.to("postgres", "db1").name()).isEqualTo("ssh:postgres@db1");
        assertThat(SshHost.to("postgres", "db1").withPort(2222).name()).isEqualTo("ssh:postgres@db1:2222");
        assertThat(SshHost.to("postgres", "::1").name()).isEqualTo("ssh:postgres@[::1]");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
    void portsOutsideTcpAreRefused(int port) {
        SshHost host = SshHost.to("postgres", "db1");
        assertThatThrownBy(() -> host.withPort(port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh port " + port + " is not a TCP port: it must be between 1 and 65535");
    }

    @Test
    void portsOneAnd65535AreAccepted() {
        assertThat(SshHost.to("postgres", "db1").withPort(1).sshArgv()).containsSequence("-p", "1");
        assertThat(SshHost.to("postgres", "db1").withPort(65535).sshArgv()).containsSequence("-p", "65535");
    }

    @Test
    void everyCopyKeepsTheValidatedDestination() {
        List<String> argv = SshHost.to("postgres", "db1").withIdentityFile("/k").withKnownHostsFile("/kh")
                .withPostgresBinaries("/usr/lib/postgresql/17/bin").withPort(2200).sshArgv();
        assertThat(argv).endsWith("-l", "postgres", "--", "db1").containsSequence("-p", "2200");
    }

    @Test
    void keyAndKnownHostsFilesThatSshWouldReadOtherwiseAreRefused() {
        SshHost host = SshHost.to("postgres", "db1");
        assertThatThrownBy(() -> host.withKnownHostsFile("/home/app/my keys/known_hosts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh known_hosts file '/home/app/my keys/known_hosts' has whitespace, where ssh"
                        + " splits it into several files")
                .hasMessageContaining(".withKnownHostsFile(\"/var/lib/postgresql/.ssh/known_hosts\")");
        assertThatThrownBy(() -> host.withIdentityFile("/home/%u/id"))
                .hasMessageContaining("ssh identity file '/home/%u/id' has '%', which ssh expands as a token");
        assertThatThrownBy(() -> host.withIdentityFile("id_ed25519"))
                .hasMessageContaining("is not absolute (it must start with / or ~/)");
        assertThatThrownBy(() -> host.withKnownHostsFile("/k\nStrictHostKeyChecking=no"))
                .hasMessageContaining("'/k\\nStrictHostKeyChecking=no' has a control character");
        assertThat(host.withIdentityFile("/home/app/my keys/id").withKnownHostsFile("~/.ssh/known_hosts").sshArgv())
                .as("a space is fine in -i, which is its own argument")
                .containsSequence("-i", "/home/app/my keys/id")
                .contains("UserKnownHostsFile=~/.ssh/known_hosts");
    }

    private static String printable(String s) {
        return io.github.pgreplication.internal.Text.printable(s);
    }
}
