package io.github.pgreplication.clone;

import io.github.pgreplication.Problem;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.internal.BaseBackupProgressParser;
import io.github.pgreplication.internal.Durations;
import io.github.pgreplication.internal.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.pgreplication.clone.CloneMethod.CloneProgress;

/**
 * Clones a standby with {@code pg_basebackup}, run on the standby's host, as in the first runbook:
 * {@code pg_basebackup -h PRIMARY -p PORT -U ROLE -D PGDATA -S SLOT -Fp -Xs -P -R -w}, plus a fast checkpoint,
 * a label, and {@code application_name} and {@code passfile} in the connection string so that {@code -R} writes
 * them into {@code primary_conninfo}. The password, when there is one, is only in the 0600 passfile.
 *
 * <pre>{@code
 * BaseBackup.defaults()
 *         .withTimeout(Duration.ofHours(2))
 *         .withProgressListener(p -> System.out.println(p.standby() + " " + p.percent() + "%"));
 * }</pre>
 */
public final class BaseBackup implements CloneMethod {
    private static final Logger LOG = LoggerFactory.getLogger(BaseBackup.class);

    private final boolean fastCheckpoint;
    private final Duration timeout;
    private final String label;
    private final Consumer<CloneProgress> listener;
    private final boolean sync;

    private BaseBackup(boolean fastCheckpoint, Duration timeout, String label, Consumer<CloneProgress> listener,
            boolean sync) {
        this.sync = sync;
        this.fastCheckpoint = fastCheckpoint;
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null: give e.g. Duration.ofHours(1)");
        this.label = label;
        this.listener = listener;
    }

    /** @return fast checkpoint, 1 hour timeout, label {@code pgreplication <standby>}, no listener */
    public static BaseBackup defaults() {
        return new BaseBackup(true, Duration.ofHours(1), null, null, true);
    }

    /**
     * @param fast {@code --checkpoint=fast} (default) or spread
     * @return a copy
     */
    public BaseBackup withFastCheckpoint(boolean fast) {
        return copy(c -> c.fastCheckpoint = fast);
    }

    /**
     * @param limit how long the clone may take, positive; default 1 hour
     * @return a copy
     * @throws IllegalArgumentException when it is zero or negative
     */
    public BaseBackup withTimeout(Duration limit) {
        Durations.positive("pg_basebackup timeout", limit, ".withTimeout(Duration.ofHours(2))");
        return copy(c -> c.timeout = limit);
    }

    /**
     * @param newLabel backup label ({@code -l}), on one line, at most 1024 bytes (PostgreSQL's limit)
     * @return a copy
     * @throws IllegalArgumentException when it holds a control character or is too long
     */
    public BaseBackup withLabel(String newLabel) {
        if (io.github.pgreplication.internal.Text.hasControl(newLabel)) {
            throw new IllegalArgumentException("backup label '" + Problem.shown(newLabel) + "' must not contain line"
                    + " breaks or NUL (nor any other control character): it goes into the pg_basebackup command and"
                    + " backup_label. Write it on one line");
        }
        String tooLong = newLabel == null ? null : Limits.backupLabelProblem(newLabel);
        if (tooLong != null) {
            throw new IllegalArgumentException("backup label '" + Problem.shown(newLabel) + "' " + tooLong
                    + ". Give a shorter one, e.g. .withLabel(\"standby eshub\")");
        }
        return copy(c -> c.label = newLabel);
    }

    /**
     * @param progress receives progress parsed from {@code -P}
     * @return a copy
     */
    public BaseBackup withProgressListener(Consumer<CloneProgress> progress) {
        return copy(c -> c.listener = progress);
    }

    /**
     * @param value whether pg_basebackup waits for the files to reach disk (default true); false adds
     *              {@code --no-sync}: faster, but a crash of the standby's machine right after the clone can leave
     *              it corrupt. For throw-away test clusters.
     * @return a copy
     */
    public BaseBackup withSync(boolean value) {
        return copy(c -> c.sync = value);
    }

    @Override
    public String name() {
        return "pg_basebackup";
    }

    /**
     * @param context the standby being cloned
     * @return the pg_basebackup command, without running it
     */
    public Command command(CloneContext context) {
        Map<String, String> conn = new LinkedHashMap<>();
        conn.put("application_name", context.standby().name());
        if (context.passfile() != null) {
            conn.put("passfile", context.passfile());
        }
        List<String> argv = new ArrayList<>(List.of("pg_basebackup",
                "-h", context.primary().endpoint().host(),
                "-p", Integer.toString(context.primary().endpoint().port()),
                "-U", context.role().name(),
                "-D", context.dataDirectory(),
                "-Fp", "-Xs", "-P", "-R", "-w",
                "--checkpoint=" + (fastCheckpoint ? "fast" : "spread"),
                "-l", label != null ? label : "pgreplication " + context.standby().name(),
                "-d", CloneContext.conninfo(conn)));
        if (!context.slot().isEmpty()) {
            argv.addAll(9, List.of("-S", context.slot())); // after -D DIR, as before
        }
        if (!sync) {
            argv.add("--no-sync");
        }
        // No withRedacted: the password is in no argument (only in the passfile), and masking its text inside
        // unrelated arguments (a label containing it) would hint at it instead of hiding it.
        return Command.of(argv).withTimeout(timeout);
    }

    @Override
    public List<String> runbook(CloneContext context) {
        return List.of(command(context).toCommandLine());
    }

    @Override
    public void cloneInto(CloneContext context) {
        String standby = context.standby().name();
        BaseBackupProgressParser parser = new BaseBackupProgressParser(standby, progress -> {
            if (listener != null) {
                listener.accept(progress);
            }
        });
        LOG.info("[{}] pg_basebackup from {} into {}", standby, context.primary().endpoint(),
                context.dataDirectory());
        try {
            context.host().run(command(context).withOutputListener(parser::accept));
        } catch (io.github.pgreplication.CommandFailedException e) {
            // The primary refusing the replication connection is said as such, with the line to add there.
            throw io.github.pgreplication.internal.ReplicationAccessFailures.parse(standby,
                    context.primary().endpoint(), context.role(), e.stderrTail(), e)
                    .<RuntimeException>map(a -> a).orElse(e);
        }
        LOG.info("[{}] pg_basebackup done", standby);
    }

    @Override
    public String toString() {
        return name();
    }

    /** Makes a clone method of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private BaseBackup copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new BaseBackup(c.fastCheckpoint, c.timeout, c.label, c.listener, c.sync);
    }

    /** This clone method's fields, for a wither to change before {@link #copy} makes a clone method of them. */
    private final class Copy {
        boolean fastCheckpoint = BaseBackup.this.fastCheckpoint;
        Duration timeout = BaseBackup.this.timeout;
        String label = BaseBackup.this.label;
        Consumer<CloneProgress> listener = BaseBackup.this.listener;
        boolean sync = BaseBackup.this.sync;
    }
}
