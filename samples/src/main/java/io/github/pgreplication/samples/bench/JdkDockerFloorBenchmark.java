package io.github.pgreplication.samples.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor of {@link DockerFloorBenchmark} without Testcontainers: the same network, three idle containers started
 * in parallel (network alias and a published port each) and one {@code true} run in each, through Docker's Engine API
 * over its Unix socket with the JDK alone (HTTP/1.1, one connection per call). It answers one question for the cold
 * start of issue 10: what a Docker client of the testkit's own would cost in a fresh JVM. An experiment, not a client:
 * no TLS, no {@code DOCKER_HOST} but a Unix socket's, no error handling beyond the status code. Prints one
 * line {@code jdkFloor=<ms> jdkFloorNetwork=<ms> jdkFloorContainers=<ms> jdkFloorExecs=<ms> jdkFloorCpu=<ms>
 * jdkFloorJvmCpu=<ms>}.
 */
public final class JdkDockerFloorBenchmark {
    /** {@code DOCKER_HOST} when it names a Unix socket, else Docker's default socket. */
    private static final UnixDomainSocketAddress SOCKET = UnixDomainSocketAddress.of(
            System.getenv().getOrDefault("DOCKER_HOST", "").startsWith("unix://")
                    ? System.getenv("DOCKER_HOST").substring("unix://".length()) : "/var/run/docker.sock");
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]+)\"");

    private JdkDockerFloorBenchmark() {
    }

    /** @param args optional image, default {@code pgreplication/postgres:17-local} */
    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "pgreplication/postgres:17-local";
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        String prefix = "jf" + UUID.randomUUID().toString().substring(0, 8);
        long b0 = FirstClusterBenchmark.busyMillis();
        long j0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        call("GET", "/_ping", null);
        String network = id(call("POST", "/networks/create", "{\"Name\":\"" + prefix + "\",\"CheckDuplicate\":true}"));
        long t1 = System.nanoTime();
        List<String> containers = new ArrayList<>();
        try {
            List<CompletableFuture<String>> started = new ArrayList<>();
            for (String name : List.of("primary", "standby1", "standby2")) {
                started.add(CompletableFuture.supplyAsync(() -> {
                    String body = "{\"Image\":\"" + image + "\",\"Cmd\":[\"sleep\",\"infinity\"],\"Hostname\":\"" + name
                            + "\",\"ExposedPorts\":{\"5432/tcp\":{}},\"HostConfig\":{\"Init\":true,"
                            + "\"PortBindings\":{\"5432/tcp\":[{\"HostPort\":\"\"}]},\"NetworkMode\":\"" + prefix
                            + "\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"" + prefix + "\":{\"Aliases\":[\""
                            + name + "\"]}}}}";
                    String id = id(call("POST", "/containers/create?name=" + prefix + "-" + name, body));
                    synchronized (containers) {
                        containers.add(id);
                    }
                    call("POST", "/containers/" + id + "/start", null);
                    call("GET", "/containers/" + id + "/json", null);
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            started.forEach(f -> ids.add(f.join()));
            long t2 = System.nanoTime();
            for (String id : ids) {
                String exec = id(call("POST", "/containers/" + id + "/exec",
                        "{\"Cmd\":[\"true\"],\"AttachStdout\":true,\"AttachStderr\":true}"));
                call("POST", "/exec/" + exec + "/start", "{\"Detach\":false,\"Tty\":false}");
                String inspect = call("GET", "/exec/" + exec + "/json", null);
                if (!inspect.contains("\"ExitCode\":0")) {
                    throw new IllegalStateException("exec in " + id + ": " + inspect);
                }
            }
            long t3 = System.nanoTime();
            long b1 = FirstClusterBenchmark.busyMillis();
            long j1 = os.getProcessCpuTime();
            System.out.printf("jdkFloor=%d jdkFloorNetwork=%d jdkFloorContainers=%d jdkFloorExecs=%d jdkFloorCpu=%d"
                    + " jdkFloorJvmCpu=%d%n", (t3 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000, b0 < 0 || b1 < 0 ? -1 : b1 - b0, (j1 - j0) / 1_000_000);
        } finally {
            for (String id : containers) {
                call("DELETE", "/containers/" + id + "?force=true&v=true", null);
            }
            call("DELETE", "/networks/" + network, null);
        }
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no Id in " + body);
        }
        return m.group(1);
    }

    /** One HTTP/1.1 call on a new connection; returns the body (raw, chunks included); throws on a status >= 300. */
    static String call(String method, String path, String json) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(SOCKET);
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length
                    + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (channel.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String response = in.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(response.substring(9, 12));
            if (status >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + response);
            }
            int split = response.indexOf("\r\n\r\n");
            return split < 0 ? "" : response.substring(split + 4);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
