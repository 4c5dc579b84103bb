package io.github.pgreplication.testkit;

import io.github.pgreplication.DataSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that shape a container's egress with the kernel's token bucket filter ({@code tc qdisc ... tbf}), run
 * on the Docker host inside the container's network namespace ({@code nsenter -t PID -n}), so the container needs
 * neither {@code tc} nor {@code NET_ADMIN}. Only what the container sends is limited: shape a clone's source to
 * model the link a standby clones over. The bucket holds 10 ms of traffic (at least 4 kB, tbf's floor above the MTU),
 * and packets wait at most 400 ms in it before they are dropped, as on a congested link.
 */
final class LinkShaping {
    /** tbf's latency: how long a packet may wait for tokens. */
    static final String LATENCY = "400ms";

    private LinkShaping() {
    }

    /**
     * @param pid       the container's main process on the host
     * @param device    its network interface, e.g. {@code eth0}
     * @param perSecond the rate: bytes per second, at least 1 kB
     * @return {@code nsenter ... tc qdisc replace dev DEVICE root tbf rate Nkbit burst B latency 400ms}
     */
    static List<String> limit(long pid, String device, DataSize perSecond) {
        long bytes = perSecond.bytes();
        if (bytes < 1000) {
            throw new IllegalArgumentException("bandwidth " + perSecond + " per second: give at least 1 kB, e.g."
                    + " DataSize.ofMegabytes(4) (undo a limit with unlimitBandwidth())");
        }
        List<String> argv = new ArrayList<>(namespace(pid));
        argv.addAll(List.of("tc", "qdisc", "replace", "dev", device, "root", "tbf", "rate", bytes * 8 / 1000 + "kbit",
                "burst", Long.toString(Math.max(4096, bytes / 100)), "latency", LATENCY));
        return argv;
    }

    /**
     * @param pid    the container's main process on the host
     * @param device its network interface
     * @return the command that removes the limit ({@code tc qdisc del dev DEVICE root})
     */
    static List<String> unlimit(long pid, String device) {
        List<String> argv = new ArrayList<>(namespace(pid));
        argv.addAll(List.of("tc", "qdisc", "del", "dev", device, "root"));
        return argv;
    }

    /**
     * @param pid the container's main process on the host
     * @return the command that lists its network interfaces, one a line ({@code ip -o link show})
     */
    static List<String> interfaces(long pid) {
        List<String> argv = new ArrayList<>(namespace(pid));
        argv.addAll(List.of("ip", "-o", "link", "show"));
        return argv;
    }

    /**
     * @param ipOutput what {@code ip -o link show} printed
     * @return the interfaces but loopback, without their {@code @ifN} peer suffix
     */
    static List<String> devices(String ipOutput) {
        List<String> out = new ArrayList<>();
        for (String line : ipOutput.split("\\R")) {
            String[] parts = line.split(":\\s*", 3);
            if (parts.length < 3) {
                continue;
            }
            String name = parts[1].strip();
            int at = name.indexOf('@');
            name = at < 0 ? name : name.substring(0, at);
            if (!name.equals("lo") && !name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    private static List<String> namespace(long pid) {
        return List.of("nsenter", "-t", Long.toString(pid), "-n");
    }
}
