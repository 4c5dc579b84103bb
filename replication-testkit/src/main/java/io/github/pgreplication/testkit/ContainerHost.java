package io.github.pgreplication.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import io.github.pgreplication.host.Host;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/**
 * A {@link Host} inside a running container: commands run with {@code docker exec} as a given user (argument
 * list, environment, output streamed line by line), files are copied in with their permissions set from the start.
 *
 * <pre>{@code
 * Host host = ContainerHost.of(container, "postgres");
 * host.run(Command.of("pg_ctl", "-D", "/var/lib/postgresql/data", "status"));
 * }</pre>
 */
public final class ContainerHost implements Host {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerHost.class);

    private final GenericContainer<?> container;
    private final String user;
    private final String name;

    private ContainerHost(GenericContainer<?> container, String user, String name) {
        this.container = Objects.requireNonNull(container, "container");
        this.user = Objects.requireNonNull(user, "user");
        this.name = name;
    }

    /**
     * @param container a started container
     * @param user      the user commands run as, e.g. {@code postgres} (PostgreSQL refuses to run as root)
     * @return the host
     */
    public static ContainerHost of(GenericContainer<?> container, String user) {
        String alias = container.getNetworkAliases().isEmpty() ? container.getContainerName()
                : container.getNetworkAliases().get(container.getNetworkAliases().size() - 1);
        return new ContainerHost(container, user, "container:" + alias + ":" + user);
    }

    /** @param otherUser another user @return a host in the same container running as {@code otherUser} */
    public ContainerHost as(String otherUser) {
        return of(container, otherUser);
    }

    /** @return the container */
    public GenericContainer<?> container() {
        return container;
    }

    /** @return the user commands run as */
    public String user() {
        return user;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CommandResult execute(Command command) {
        DockerClient docker = DockerClientFactory.instance().client();
        List<String> env = new ArrayList<>();
        command.environment().forEach((k, v) -> env.add(k + "=" + v));
        byte[] stdin = command.stdin();
        ExecCreateCmdResponse exec = docker.execCreateCmd(container.getContainerId())
                .withCmd(command.argv().toArray(String[]::new))
                .withUser(user)
                .withEnv(env)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withAttachStdin(stdin != null)
                .exec();
        LOG.debug("[{}] $ {}", name, command.toCommandLine());
        Collector collector = new Collector(command);
        try {
            var start = docker.execStartCmd(exec.getId());
            if (stdin != null) {
                start = start.withStdIn(new ByteArrayInputStream(stdin));
            }
            start.exec(collector);
            boolean done = collector.awaitCompletion(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new CommandFailedException(name, command.toCommandLine(), -1, true,
                        command.redact(collector.tail()), "It ran longer than its timeout of " + command.timeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(name, command.toCommandLine(), -1, false, "", "interrupted");
        } finally {
            try {
                collector.close();
            } catch (java.io.IOException e) {
                LOG.trace("closing exec stream", e);
            }
        }
        collector.flush();
        Long exit = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        return new CommandResult(exit == null ? -1 : exit.intValue(), collector.out.toString(),
                collector.err.toString());
    }

    /**
     * Copies the content in with the given permissions from the start (never readable by others), then gives it to
     * this host's user. Unlike the default, the file is not renamed into place: in a test container nothing reads
     * it concurrently, and one round trip fewer keeps cluster start-up fast.
     */
    @Override
    public void writeFile(String path, String content, String mode) {
        container.copyFileToContainer(Transferable.of(content.getBytes(StandardCharsets.UTF_8),
                Integer.parseInt(mode, 8)), path);
        if (!user.equals("root")) {
            as("root").run(Command.of("chown", user + ":", path));
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Splits exec frames into lines, per stream, for the listener and DEBUG logging. */
    private final class Collector extends ResultCallback.Adapter<Frame> {
        private final Command command;
        private final StringBuilder out = new StringBuilder();
        private final StringBuilder err = new StringBuilder();
        private final StringBuilder partialOut = new StringBuilder();
        private final StringBuilder partialErr = new StringBuilder();

        Collector(Command command) {
            this.command = command;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            boolean isErr = frame.getStreamType() == StreamType.STDERR;
            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
            (isErr ? err : out).append(text);
            StringBuilder partial = isErr ? partialErr : partialOut;
            partial.append(text);
            int nl;
            while ((nl = indexOfLineEnd(partial)) >= 0) {
                line(partial.substring(0, nl), isErr);
                partial.delete(0, nl + 1);
            }
        }

        private int indexOfLineEnd(StringBuilder sb) {
            for (int i = 0; i < sb.length(); i++) {
                char c = sb.charAt(i);
                if (c == '\n' || c == '\r') {
                    return i;
                }
            }
            return -1;
        }

        private void line(String line, boolean isErr) {
            if (line.isEmpty()) {
                return;
            }
            LOG.debug("[{}] {}: {}", name, isErr ? "err" : "out", command.redact(line));
            if (command.outputListener() != null) {
                command.outputListener().accept(line);
            }
        }

        synchronized void flush() {
            line(partialOut.toString(), false);
            line(partialErr.toString(), true);
            partialOut.setLength(0);
            partialErr.setLength(0);
        }

        synchronized String tail() {
            String t = err.length() > 0 ? err.toString() : out.toString();
            return t.length() > 2000 ? t.substring(t.length() - 2000) : t;
        }
    }
}
