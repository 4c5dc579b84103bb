package io.github.pgreplication.pgbackrest.internal;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code pgbackrest restore --log-level-console=detail} output: each {@code restore file PATH (SIZE, PCT%)}
 * line becomes a {@link CloneProgress}, logged at INFO every 10 %, and the restored backup's label is remembered.
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
    private final Consumer<CloneProgress> listener;
    private long doneBytes;
    private long matchedBytes;
    private int lastLoggedDecile = -1;
    private int percent;
    private String label;

    /**
     * @param standby  the standby's name, for logs and progress records
     * @param listener receives each progress record; may be null
     */
    public RestoreProgress(String standby, Consumer<CloneProgress> listener) {
        this.standby = standby;
        this.listener = listener;
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
        double pct = Double.parseDouble(m.group(3));
        percent = (int) Math.floor(pct);
        long total = pct > 0 ? Math.round(doneBytes * 100.0 / pct) : 0;
        CloneProgress progress = new CloneProgress(standby, doneBytes, Math.max(total, doneBytes), percent);
        if (listener != null) {
            listener.accept(progress);
        }
        int decile = percent / 10;
        if (decile > lastLoggedDecile) {
            lastLoggedDecile = decile;
            LOG.info("[{}] pgBackRest restore {}% ({} of about {})", standby, percent, human(doneBytes),
                    human(progress.totalBytes()));
        }
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

    /**
     * @param bytes a size
     * @return it as pgBackRest-like text, e.g. {@code 1.5 MB}
     */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int exp = (int) (Math.log(bytes) / Math.log(1024));
        exp = Math.min(exp, 5);
        return String.format(Locale.ROOT, "%.1f %sB", bytes / Math.pow(1024, exp), "KMGTP".charAt(exp - 1));
    }
}
