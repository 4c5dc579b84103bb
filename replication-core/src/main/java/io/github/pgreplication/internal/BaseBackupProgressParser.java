package io.github.pgreplication.internal;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses pg_basebackup {@code -P} lines such as {@code 30817/30817 kB (100%), 1/1 tablespace}. When its error
 * output is not a terminal, pg_basebackup ends each progress report with a newline, so reports arrive as lines.
 * Logs at INFO each time the percentage crosses a multiple of 10.
 */
public final class BaseBackupProgressParser {
    private static final Logger LOG = LoggerFactory.getLogger(BaseBackupProgressParser.class);
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+)/(\\d+) kB \\((\\d+)%\\)");

    private final String standby;
    private final Consumer<CloneProgress> listener;
    private int lastLoggedDecile = -1;

    /**
     * @param standby standby name
     * @param listener receives each parsed report
     */
    public BaseBackupProgressParser(String standby, Consumer<CloneProgress> listener) {
        this.standby = standby;
        this.listener = listener;
    }

    /** @param line one output line; lines that are not progress reports are ignored */
    public void accept(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return;
        }
        CloneProgress p = new CloneProgress(standby, Long.parseLong(m.group(1)) * 1024,
                Long.parseLong(m.group(2)) * 1024, Integer.parseInt(m.group(3)));
        int decile = p.percent() / 10;
        if (decile != lastLoggedDecile) {
            lastLoggedDecile = decile;
            LOG.info("[{}] clone {}% ({} of {} kB)", standby, p.percent(), p.doneBytes() / 1024,
                    p.totalBytes() / 1024);
        }
        listener.accept(p);
    }
}
