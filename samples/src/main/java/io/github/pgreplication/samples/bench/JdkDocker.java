package io.github.pgreplication.samples.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark-only: Docker's Engine API over its Unix socket with the JDK alone, enough for
 * {@link JdkFirstClusterBenchmark} and {@link JdkDockerFloorBenchmark} to measure what a Docker client of the
 * testkit's own would cost in a fresh JVM. HTTP/1.1, one connection per call; an exec's standard input and output go
 * through the hijacked connection (Docker's multiplexed frames). Not a client: no TLS, no TCP, no error handling
 * beyond the status code, JSON written by hand and read with regular expressions.
 */
final class JdkDocker {
    /** {@code DOCKER_HOST} when it names a Unix socket, else Docker's default socket. */
    private static final UnixDomainSocketAddress SOCKET = UnixDomainSocketAddress.of(
            System.getenv().getOrDefault("DOCKER_HOST", "").startsWith("unix://")
                    ? System.getenv("DOCKER_HOST").substring("unix://".length()) : "/var/run/docker.sock");
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]+)\"");
    private static final Pattern EXIT = Pattern.compile("\"ExitCode\"\\s*:\\s*(-?\\d+)");

    private JdkDocker() {
    }

    /** An exec's exit code and its two streams. */
    record Exec(int exitCode, String stdout, String stderr) {
    }

    /** @return the "Id" of a JSON answer */
    static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no Id in " + body);
        }
        return m.group(1);
    }

    /** @return a JSON string literal */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** @return a JSON array of strings */
    static String json(List<String> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            b.append(i == 0 ? "" : ",").append(json(list.get(i)));
        }
        return b.append(']').toString();
    }

    /** One call on a new connection; returns the body (chunked bodies decoded); throws on a status >= 300. */
    static String call(String method, String path, String body) {
        try (SocketChannel channel = open()) {
            send(channel, method, path, body, false);
            byte[] all = readAll(channel);
            String response = new String(all, StandardCharsets.ISO_8859_1);
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] rest = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            String text = new String(head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")
                    ? dechunk(rest) : rest, StandardCharsets.UTF_8);
            if (status >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + status + " " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command in a container and waits for it.
     *
     * @param env   environment, {@code NAME=value}
     * @param stdin bytes for its standard input, or null
     */
    static Exec exec(String container, String user, List<String> argv, List<String> env, byte[] stdin) {
        String id = id(call("POST", "/containers/" + container + "/exec", "{\"User\":" + json(user)
                + ",\"Cmd\":" + json(argv) + ",\"Env\":" + json(env) + ",\"AttachStdin\":" + (stdin != null)
                + ",\"AttachStdout\":true,\"AttachStderr\":true}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SocketChannel channel = open()) {
            send(channel, "POST", "/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":false}", true);
            // Headers of the 101 answer, then the raw stream.
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IllegalStateException("exec start: connection closed in the headers: " + head);
                }
                head.write(one.array()[0]);
            }
            String status = head.toString(StandardCharsets.ISO_8859_1);
            if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("exec start: " + status);
            }
            if (stdin != null) {
                ByteBuffer in = ByteBuffer.wrap(stdin);
                while (in.hasRemaining()) {
                    channel.write(in);
                }
                channel.shutdownOutput();
            }
            byte[] frames = readAll(channel);
            int i = 0;
            while (i + 8 <= frames.length) {
                int type = frames[i];
                int size = ((frames[i + 4] & 0xff) << 24) | ((frames[i + 5] & 0xff) << 16)
                        | ((frames[i + 6] & 0xff) << 8) | (frames[i + 7] & 0xff);
                (type == 2 ? err : out).write(frames, i + 8, size);
                i += 8 + size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = EXIT.matcher(call("GET", "/exec/" + id + "/json", null));
        if (!m.find()) {
            throw new IllegalStateException("no exit code for exec " + id);
        }
        return new Exec(Integer.parseInt(m.group(1)), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Follows a container's output until a line equals {@code line}. */
    static void awaitLine(String container, String line) {
        try (SocketChannel channel = open()) {
            send(channel, "GET", "/containers/" + container + "/logs?follow=1&stdout=1&stderr=1", null, false);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (channel.read(buf) >= 0) {
                seen.write(buf.array(), 0, buf.position());
                buf.clear();
                if (seen.toString(StandardCharsets.ISO_8859_1).contains(line + "\n")) {
                    return;
                }
            }
            throw new IllegalStateException(container + " ended its output without '" + line + "': " + seen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates and starts a container, with {@code --init}, on {@code network} under {@code alias}.
     *
     * @param ports     container port to host port (0: one Docker picks)
     * @param tmpfsData whether {@code dataDirectory} is an anonymous tmpfs volume, as the testkit's in-memory nodes
     * @return its id
     */
    static String run(String name, String image, List<String> cmd, String network, String alias,
            Map<Integer, Integer> ports, boolean tmpfsData, String dataDirectory) {
        StringBuilder exposed = new StringBuilder();
        StringBuilder bindings = new StringBuilder();
        ports.forEach((inside, outside) -> {
            exposed.append(exposed.length() == 0 ? "" : ",").append('"').append(inside).append("/tcp\":{}");
            bindings.append(bindings.length() == 0 ? "" : ",").append('"').append(inside)
                    .append("/tcp\":[{\"HostPort\":\"").append(outside == 0 ? "" : outside).append("\"}]");
        });
        String mounts = tmpfsData ? ",\"Mounts\":[{\"Type\":\"volume\",\"Target\":" + json(dataDirectory)
                + ",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\","
                + "\"device\":\"tmpfs\",\"o\":\"mode=0700\"}}}}]" : "";
        String body = "{\"Image\":" + json(image) + ",\"Cmd\":" + json(cmd) + ",\"Hostname\":" + json(alias)
                + ",\"ExposedPorts\":{" + exposed + "},\"HostConfig\":{\"Init\":true,\"PortBindings\":{" + bindings
                + "},\"NetworkMode\":" + json(network) + mounts + "},\"NetworkingConfig\":{\"EndpointsConfig\":{"
                + json(network) + ":{\"Aliases\":[" + json(alias) + "]}}}}";
        String id = id(call("POST", "/containers/create?name=" + name, body));
        call("POST", "/containers/" + id + "/start", null);
        return id;
    }

    private static SocketChannel open() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(SOCKET);
        return channel;
    }

    private static void send(SocketChannel channel, String method, String path, String json, boolean upgrade)
            throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\n"
                + (upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "Connection: close\r\n")
                + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(h.length + body.length);
        out.put(h).put(body).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(16384);
        while (channel.read(buf) >= 0) {
            in.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return in.toByteArray();
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int eol = i;
            while (eol + 1 < raw.length && !(raw[eol] == '\r' && raw[eol + 1] == '\n')) {
                eol++;
            }
            String sizeLine = new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).trim();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
