package io.github.pgreplication.internal;

import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.host.CommandResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link Command} as a local process with Commons Exec: argument list, timeout, output pumped by line. */
public final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final int MAX_CAPTURE = 1 << 20;

    private ProcessRunner() {
    }

    /**
     * @param hostName      name for logs and errors
     * @param command       the command; its argv is executed as is
     * @param displayed     the command as shown in logs and errors (may differ from argv, e.g. without ssh options)
     * @return the result, whatever the exit code
     */
    public static CommandResult run(String hostName, Command command, Command displayed) {
        List<String> argv = command.argv();
        CommandLine line = new CommandLine(argv.get(0));
        for (String arg : argv.subList(1, argv.size())) {
            line.addArgument(arg, false);
        }
        LineCollector out = new LineCollector(hostName, displayed, "out");
        LineCollector err = new LineCollector(hostName, displayed, "err");
        byte[] stdin = command.stdin();
        PumpStreamHandler streams = new PumpStreamHandler(out, err,
                stdin == null ? null : new ByteArrayInputStream(stdin));
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(command.timeout()).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(streams);
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        LOG.debug("[{}] $ {}", hostName, displayed.toCommandLine());
        int exit;
        try {
            Map<String, String> env = new HashMap<>(EnvironmentUtils.getProcEnvironment());
            env.putAll(command.environment());
            exit = executor.execute(line, env);
        } catch (IOException e) {
            throw new CommandFailedException(hostName, displayed.toCommandLine(), -1, false,
                    displayed.redact(e.getMessage()), "Check that '" + argv.get(0) + "' is installed and on PATH.");
        } finally {
            out.flushQuietly();
            err.flushQuietly();
        }
        if (watchdog.killedProcess()) {
            throw new CommandFailedException(hostName, displayed.toCommandLine(), exit, true,
                    displayed.redact(err.tail(out)), "It ran longer than its timeout of " + command.timeout()
                    + "; raise the timeout or check what it waits for.");
        }
        return new CommandResult(exit, out.text(), err.text());
    }

    /** Collects output lines, forwards them to the command's listener and to DEBUG logging. */
    private static final class LineCollector extends LogOutputStream {
        private final String hostName;
        private final Command command;
        private final String stream;
        private final StringBuilder text = new StringBuilder();
        private boolean announced;

        LineCollector(String hostName, Command command, String stream) {
            super(1, StandardCharsets.UTF_8);
            this.hostName = hostName;
            this.command = command;
            this.stream = stream;
        }

        @Override
        protected void processLine(String line, int level) {
            if (command.outputLogged()) {
                LOG.debug("[{}] {}: {}", hostName, stream, command.redact(line));
            } else if (!announced) {
                announced = true;
                LOG.debug("[{}] {}: (not logged: it may hold a secret)", hostName, stream);
            }
            synchronized (text) {
                if (text.length() < MAX_CAPTURE) {
                    text.append(line).append('\n');
                }
            }
            if (command.outputListener() != null) {
                command.outputListener().accept(line);
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        String tail(LineCollector other) {
            String t = text();
            return (t.isBlank() ? other.text() : t).lines().reduce((a, b) -> b).orElse("");
        }

        void flushQuietly() {
            try {
                close();
            } catch (IOException e) {
                LOG.trace("closing output collector", e);
            }
        }
    }
}
