package io.github.pgreplication.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.DataSize;
import org.junit.jupiter.api.Test;

/** The commands that shape a container's egress, as built (the shaping itself: ShapedLinkIT). */
class LinkShapingTest {
    @Test
    void aLimitIsATokenBucketInTheContainersNetworkNamespace() {
        assertThat(LinkShaping.limit(4242, "eth0", new DataSize(12_500_000))).as("100 Mbit/s, 125 kB bucket")
                .containsExactly("nsenter", "-t", "4242", "-n", "tc", "qdisc", "replace", "dev", "eth0", "root", "tbf",
                        "rate", "100000kbit", "burst", "125000", "latency", "400ms");
        assertThat(LinkShaping.limit(1, "eth1", DataSize.ofMegabytes(4))).as("4 MB/s, 10 ms of it in the bucket")
                .containsSubsequence("rate", "33554kbit", "burst", "41943");
        assertThat(LinkShaping.limit(1, "eth0", new DataSize(100_000))).as("never a bucket under 4 kB")
                .containsSubsequence("rate", "800kbit", "burst", "4096");
        assertThat(LinkShaping.unlimit(4242, "eth0"))
                .containsExactly("nsenter", "-t", "4242", "-n", "tc", "qdisc", "del", "dev", "eth0", "root");
        assertThat(LinkShaping.interfaces(7)).containsExactly("nsenter", "-t", "7", "-n", "ip", "-o", "link", "show");
    }

    @Test
    void everyInterfaceButLoopbackIsShaped() {
        String ip = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\\    link/loopback\n"
                + "8963: eth0@if8964: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue\\    link/ether\n"
                + "8970: eth1@if8971: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n";
        assertThat(LinkShaping.devices(ip)).containsExactly("eth0", "eth1");
        assertThat(LinkShaping.devices("")).isEmpty();
    }

    @Test
    void aRateUnderOneKilobyteIsRefusedWithTheFix() {
        assertThatThrownBy(() -> LinkShaping.limit(1, "eth0", new DataSize(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give at least 1 kB, e.g. DataSize.ofMegabytes(4)");
        assertThatThrownBy(() -> LinkShaping.limit(1, "eth0", DataSize.unlimited()))
                .hasMessageContaining("unlimitBandwidth()");
    }
}
