package io.github.pgreplication.internal;

import io.github.pgreplication.clone.CloneMethod.CloneProgress;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a clone's raw progress (bytes done, estimated total, percentage) into {@link CloneProgress} records with
 * the elapsed time, the rate and so the time left, for every clone method: each report reaches the listener, and
 * one is logged at INFO at most every {@link #LOG_INTERVAL}, plus the first and the first at 100 %. The rate is
 * measured from the first report on (pg_basebackup reports nothing while it waits for the checkpoint), over the
 * whole transfer so far.
 */
public final class ProgressReporter {
    /** Shortest time between two INFO lines of one clone. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final String standby;
    private final String what;
    private final Consumer<CloneProgress> listener;
    private final LongSupplier nanoTime;
    private final long started;
    private long firstAt = -1;
    private long firstBytes;
    private long loggedAt = -1;
    private boolean loggedDone;
    /** What was logged at INFO, for tests. */
    private final java.util.List<String> logged = new java.util.ArrayList<>();

    /**
     * @param standby  the standby's name, for logs and records
     * @param what     what is cloning, for logs, e.g. {@code pg_basebackup}
     * @param listener receives every record; may be null
     */
    public ProgressReporter(String standby, String what, Consumer<CloneProgress> listener) {
        this(standby, what, listener, System::nanoTime);
    }

    /**
     * @param standby  the standby's name, for logs and records
     * @param what     what is cloning, for logs
     * @param listener receives every record; may be null
     * @param nanoTime the clock, in nanoseconds (tests give their own)
     */
    public ProgressReporter(String standby, String what, Consumer<CloneProgress> listener, LongSupplier nanoTime) {
        this.standby = standby;
        this.what = what;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /**
     * @param doneBytes  bytes done so far
     * @param totalBytes estimated total bytes
     * @param percent    percentage done, 0 to 100
     * @return the record given to the listener
     */
    public synchronized CloneProgress report(long doneBytes, long totalBytes, int percent) {
        long now = nanoTime.getAsLong();
        if (firstAt < 0) {
            firstAt = now;
            firstBytes = doneBytes;
        }
        long measured = now - firstAt;
        long rate = measured <= 0 ? 0 : (long) ((doneBytes - firstBytes) * 1e9 / measured);
        CloneProgress p = new CloneProgress(standby, doneBytes, totalBytes, percent, Duration.ofNanos(now - started),
                Math.max(0, rate));
        boolean done = percent >= 100;
        if (loggedAt < 0 || (done && !loggedDone) || now - loggedAt >= LOG_INTERVAL.toNanos()) {
            loggedAt = now;
            loggedDone |= done;
            String line = "[" + standby + "] " + what + " " + describe(p);
            logged.add(line);
            LOG.info("{}", line);
        }
        if (listener != null) {
            listener.accept(p);
        }
        return p;
    }

    /** @return the lines logged at INFO so far */
    synchronized java.util.List<String> logged() {
        return java.util.List.copyOf(logged);
    }

    /**
     * @param p a record
     * @return e.g. {@code 42% (1.2 GB of 2.9 GB, 35.1 MB/s, about 48 s left)}
     */
    public static String describe(CloneProgress p) {
        StringBuilder sb = new StringBuilder().append(p.percent()).append("% (").append(human(p.doneBytes()))
                .append(" of ").append(p.percent() >= 100 ? "" : "about ").append(human(p.totalBytes()));
        if (p.bytesPerSecond() > 0) {
            sb.append(", ").append(human(p.bytesPerSecond())).append("/s");
        }
        p.eta().filter(eta -> p.percent() < 100).ifPresent(eta -> sb.append(", about ").append(duration(eta))
                .append(" left"));
        if (p.percent() >= 100) {
            sb.append(", in ").append(duration(p.elapsed()));
        }
        return sb.append(')').toString();
    }

    /**
     * @param bytes a size
     * @return it in binary units with one decimal, e.g. {@code 1.5 MB}
     */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int exp = Math.min((int) (Math.log(bytes) / Math.log(1024)), 5);
        return String.format(Locale.ROOT, "%.1f %sB", bytes / Math.pow(1024, exp), "KMGTP".charAt(exp - 1));
    }

    /**
     * @param d a duration
     * @return it rounded to whole seconds, e.g. {@code 48 s}, {@code 12 min 5 s}, {@code 2 h 3 min}
     */
    static String duration(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
