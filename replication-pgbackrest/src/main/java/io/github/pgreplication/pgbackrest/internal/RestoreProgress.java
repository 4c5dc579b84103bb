package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import io.github.pgreplication.internal.ProgressReporter;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code pgbackrest restore --log-level-console=detail} output: each {@code restore file PATH (SIZE, PCT%)}
 * line becomes a {@link CloneProgress} through the core's {@link ProgressReporter} (rate, time left, logged at
 * INFO at most every 5 s), and the restored backup's label is remembered.
 * A delta restore's {@code restore file PATH - exists and matches backup (SIZE, PCT%)} lines count as done but not
 * copied ({@link #matchedBytes()}).
 */
public final class RestoreProgress implements Consumer<String> {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);
    private static final Pattern FILE = Pattern.compile("restore (?:zeroed )?file .*\\((?:bundle [^,()]*, )?"
            + "(?:bi [^/()]*/)?([\\d.]+)(B|KB|MB|GB|TB|PB), ([\\d.]+)%\\)");
    /** pgBackRest's note on a file it kept: {@code - exists and matches backup}, {@code - exists and is zero size}. */
    private static final Pattern KEPT = Pattern.compile("restore file .* - exists and ");
    private static final Pattern LABEL = Pattern.compile("restore backup set ([^,\\s]+)");

    private final String standby;
    private final ProgressReporter reporter;
    private long doneBytes;
    private long matchedBytes;
    private int percent;
    private String label;

    /**
     * @param standby  the standby's name, for logs and progress records
     * @param listener receives each progress record; may be null
     */
    public RestoreProgress(String standby, Consumer<CloneProgress> listener) {
        this(standby, listener, System::nanoTime);
    }

    /**
     * @param standby  the standby's name, for logs and progress records
     * @param listener receives each progress record; may be null
     * @param nanoTime the clock (tests give their own)
     */
    public RestoreProgress(String standby, Consumer<CloneProgress> listener, LongSupplier nanoTime) {
        this.standby = standby;
        this.reporter = new ProgressReporter(standby, "pgBackRest restore", listener, nanoTime);
    }

    @Override
    public synchronized void accept(String line) {
        Matcher l = LABEL.matcher(line);
        if (label == null && l.find()) {
            label = l.group(1);
            LOG.info("[{}] pgBackRest restores backup {}", standby, label);
            return;
        }
        Matcher m = FILE.matcher(line);
        if (!m.find()) {
            return;
        }
        long size = bytes(m.group(1), m.group(2));
        doneBytes += size;
        if (KEPT.matcher(line).find()) {
            matchedBytes += size;
        }
        double pct = Math.min(100, Double.parseDouble(m.group(3)));
        percent = (int) Math.floor(pct);
        long total = pct > 0 ? Math.round(doneBytes * 100.0 / pct) : 0;
        reporter.report(doneBytes, Math.max(total, doneBytes), percent);
    }

    /** @return the label of the backup being restored, or null before pgBackRest names it */
    public synchronized String label() {
        return label;
    }

    /** @return the last percentage seen */
    public synchronized int percent() {
        return percent;
    }

    /** @return bytes restored so far, summed from the file sizes pgBackRest prints (rounded by it) */
    public synchronized long doneBytes() {
        return doneBytes;
    }

    /**
     * @return of {@link #doneBytes()}, what a delta restore kept because the file in the data directory matched the
     *         backup ({@code - exists and matches backup}); zero into an empty directory
     */
    public synchronized long matchedBytes() {
        return matchedBytes;
    }

    /** @return of {@link #doneBytes()}, what pgBackRest copied from the repository */
    public synchronized long copiedBytes() {
        return doneBytes - matchedBytes;
    }

    static long bytes(String number, String unit) {
        double n = Double.parseDouble(number);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            case "PB" -> 50;
            default -> 0;
        };
        return Math.round(n * (1L << shift));
    }
}
