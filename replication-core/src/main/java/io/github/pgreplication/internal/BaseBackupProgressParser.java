package io.github.pgreplication.internal;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses pg_basebackup {@code -P} lines such as {@code 30817/30817 kB (100%), 1/1 tablespace}. When its error
 * output is not a terminal, pg_basebackup ends each progress report with a newline (at most one a second), so
 * reports arrive as lines. Each becomes a {@link CloneProgress} through a {@link ProgressReporter}, which logs.
 */
public final class BaseBackupProgressParser {
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\)");

    private final ProgressReporter reporter;

    /**
     * @param standby standby name
     * @param listener receives each parsed report; may be null
     */
    public BaseBackupProgressParser(String standby, Consumer<CloneProgress> listener) {
        this.reporter = new ProgressReporter(standby, "pg_basebackup", listener);
    }

    /**
     * @param standby  standby name
     * @param listener receives each parsed report; may be null
     * @param nanoTime the clock (tests give their own)
     */
    BaseBackupProgressParser(String standby, Consumer<CloneProgress> listener, LongSupplier nanoTime) {
        this.reporter = new ProgressReporter(standby, "pg_basebackup", listener, nanoTime);
    }

    /** @param line one output line; lines that are not progress reports are ignored */
    public void accept(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return;
        }
        long done = Long.parseLong(m.group(1)) * 1024;
        long total = Long.parseLong(m.group(2)) * 1024;
        reporter.report(done, Math.max(done, total), Math.min(100, Integer.parseInt(m.group(3))));
    }
}
