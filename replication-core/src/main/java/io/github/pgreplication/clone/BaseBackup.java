package io.github.pgreplication.clone;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Problem;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.internal.BaseBackupProgressParser;
import io.github.pgreplication.internal.Durations;
import io.github.pgreplication.internal.Limits;
import io.github.pgreplication.internal.Refusals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Over a slow link, the primary can compress what it sends ({@link Compression}, PostgreSQL 15 and later:
 * {@code --compress=server-zstd:level=3}; pg_basebackup decompresses as it writes the plain data directory), and
 * {@link #withMaxRate(DataSize)} leaves room for production traffic on a shared link.
 *
 * <pre>{@code
 * BaseBackup.defaults()
 *         .withCompression(BaseBackup.Compression.server(BaseBackup.Compression.Algorithm.ZSTD, 3))
 *         .withMaxRate(DataSize.ofMegabytes(20))          // --max-rate=20M: 20 MB/s at most
 *         .withTimeout(Duration.ofHours(2))
 *         .withProgressListener(p -> System.out.println(p.standby() + " " + p.percent() + "%"));
 * }</pre>
 */
public final class BaseBackup implements CloneMethod {
    private static final Logger LOG = LoggerFactory.getLogger(BaseBackup.class);
    private static final long MIN_RATE_KB = 32;
    private static final long MAX_RATE_KB = 1024 * 1024;
    /** What pg_basebackup 15 and later says when asked for server compression by a server older than 15. */
    private static final String SERVER_TOO_OLD = "server does not support server-side compression";

    private final boolean fastCheckpoint;
    private final Duration timeout;
    private final String label;
    private final Consumer<CloneProgress> listener;
    private final boolean sync;
    private final Compression compression;
    private final DataSize maxRate;

    private BaseBackup(boolean fastCheckpoint, Duration timeout, String label, Consumer<CloneProgress> listener,
            boolean sync, Compression compression, DataSize maxRate) {
        this.sync = sync;
        this.compression = Objects.requireNonNull(compression, "compression must not be null: give"
                + " BaseBackup.Compression.none() for none");
        this.maxRate = maxRate;
        this.fastCheckpoint = fastCheckpoint;
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null: give e.g. Duration.ofHours(1)");
        this.label = label;
        this.listener = listener;
    }

    /**
     * @return fast checkpoint, 1 hour timeout, label {@code pgreplication <standby>}, no listener, no compression,
     *         no rate limit
     */
    public static BaseBackup defaults() {
        return new BaseBackup(true, Duration.ofHours(1), null, null, true, Compression.none(), null);
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

    /**
     * @param value how the primary compresses what it sends: {@link Compression#none()} (default) or
     *              {@link Compression#server(Compression.Algorithm, int)}, which needs PostgreSQL 15 or later on the
     *              primary ({@code apply()} refuses it on 13 and 14 before changing anything)
     * @return a copy
     */
    public BaseBackup withCompression(Compression value) {
        Objects.requireNonNull(value, "compression must not be null: give BaseBackup.Compression.none() for none");
        return copy(c -> c.compression = value);
    }

    /**
     * Limits the rate at which the primary sends the data directory ({@code --max-rate}), for a link shared with
     * production traffic. The limit applies to the bytes sent, after server compression; WAL streamed during the
     * clone ({@code -Xs}) is not limited.
     *
     * @param perSecond bytes per second, a whole number of kB from 32 kB to 1024 MB (pg_basebackup's range), e.g.
     *                  {@code DataSize.ofMegabytes(20)} or {@code DataSize.parse("512kB")};
     *                  {@link DataSize#unlimited()} for no limit (default)
     * @return a copy
     * @throws IllegalArgumentException outside that range, or not a whole number of kB
     */
    public BaseBackup withMaxRate(DataSize perSecond) {
        Objects.requireNonNull(perSecond, "max rate must not be null: give DataSize.unlimited() for no limit");
        if (perSecond.isUnlimited()) {
            return copy(c -> c.maxRate = null);
        }
        long kb = perSecond.bytes() / 1024;
        if (perSecond.bytes() % 1024 != 0 || kb < MIN_RATE_KB || kb > MAX_RATE_KB) {
            throw new IllegalArgumentException("max rate " + perSecond.bytes() + " bytes (" + perSecond.toPostgres()
                    + ") per second is outside pg_basebackup's --max-rate: a whole number of kB from 32kB to 1024MB"
                    + " per second. Give e.g. .withMaxRate(DataSize.ofMegabytes(20)) or"
                    + " .withMaxRate(DataSize.parse(\"512kB\")), or DataSize.unlimited() for no limit");
        }
        return copy(c -> c.maxRate = perSecond);
    }

    /** @return how the primary compresses what it sends */
    public Compression compression() {
        return compression;
    }

    /** @return the rate limit per second, when there is one */
    public Optional<DataSize> maxRate() {
        return Optional.ofNullable(maxRate);
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
        conn.putAll(context.tlsKeywords());
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
        compression.toArgument().ifPresent(argv::add);
        if (maxRate != null) {
            long kb = maxRate.bytes() / 1024;
            argv.add("--max-rate=" + (kb % 1024 == 0 ? kb / 1024 + "M" : kb + "k"));
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
        BaseBackupProgressParser parser = new BaseBackupProgressParser(standby, listener);
        LOG.info("[{}] pg_basebackup from {} into {}", standby, context.primary().endpoint(),
                context.dataDirectory());
        try {
            context.host().run(command(context).withOutputListener(parser::accept));
        } catch (io.github.pgreplication.CommandFailedException e) {
            if (compression.serverSide() && e.stderrTail().contains(SERVER_TOO_OLD)) {
                // A standby-side join or a re-clone: apply() refuses this before changing anything.
                throw new io.github.pgreplication.ReplicationException(Refusals.serverCompression(
                        context.primary().name(), "13 or 14 (pg_basebackup says \"" + SERVER_TOO_OLD + "\")",
                        List.of(standby), compression.toString(), "Nothing was cloned"), e);
            }
            // The primary refusing the replication connection is said as such, with the line to add there.
            throw io.github.pgreplication.internal.ReplicationAccessFailures.parse(standby,
                    context.primary().endpoint(), context.role(), e.stderrTail(), e, context.clearTextRefusalIsTls())
                    .map(a -> io.github.pgreplication.internal.ReplicationAccessFailures.explain(a,
                            context.primary().adminEndpoint()))
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
        return new BaseBackup(c.fastCheckpoint, c.timeout, c.label, c.listener, c.sync, c.compression, c.maxRate);
    }

    /** This clone method's fields, for a wither to change before {@link #copy} makes a clone method of them. */
    private final class Copy {
        boolean fastCheckpoint = BaseBackup.this.fastCheckpoint;
        Duration timeout = BaseBackup.this.timeout;
        String label = BaseBackup.this.label;
        Consumer<CloneProgress> listener = BaseBackup.this.listener;
        boolean sync = BaseBackup.this.sync;
        Compression compression = BaseBackup.this.compression;
        DataSize maxRate = BaseBackup.this.maxRate;
    }

    /**
     * How the primary compresses the data directory it sends to pg_basebackup ({@code --compress}). With a plain
     * data directory as the result, only server-side compression exists: the primary compresses, the link carries
     * fewer bytes, pg_basebackup decompresses as it writes. (Client-side compression compresses what already
     * crossed the link and is only for tar output: pg_basebackup refuses it with {@code -Fp}, "only tar mode
     * backups can be compressed".) Server-side compression needs PostgreSQL 15 or later on the primary.
     *
     * <pre>{@code
     * BaseBackup.Compression.none();                                  // default
     * BaseBackup.Compression.server(Algorithm.LZ4);                   // --compress=server-lz4
     * BaseBackup.Compression.server(Algorithm.ZSTD, 3);               // --compress=server-zstd:level=3
     * }</pre>
     *
     * @param algorithm the algorithm, {@link Algorithm#NONE} for none
     * @param level     the level, or null for the algorithm's default; within {@link Algorithm#minLevel()} to
     *                  {@link Algorithm#maxLevel()}
     */
    public record Compression(Algorithm algorithm, Integer level) {
        /**
         * Checks the level against PostgreSQL's range for the algorithm.
         *
         * @param algorithm the algorithm, {@link Algorithm#NONE} for none
         * @param level     the level, or null for the algorithm's default
         * @throws IllegalArgumentException for a level outside the algorithm's range, or a level without algorithm
         */
        public Compression {
            Objects.requireNonNull(algorithm, "compression algorithm must not be null: give Algorithm.NONE for none");
            if (level != null && algorithm == Algorithm.NONE) {
                throw new IllegalArgumentException("compression level " + level + " given without an algorithm: give"
                        + " one, e.g. BaseBackup.Compression.server(Algorithm.ZSTD, " + level + ")");
            }
            if (level != null && (level < algorithm.minLevel() || level > algorithm.maxLevel())) {
                throw new IllegalArgumentException("compression level " + level + " for server-"
                        + algorithm.toPostgres() + " is outside PostgreSQL's range for " + algorithm.toPostgres()
                        + ": " + algorithm.minLevel() + " to " + algorithm.maxLevel() + " (the server refuses it)."
                        + " Give e.g. BaseBackup.Compression.server(Algorithm." + algorithm.name() + ", "
                        + algorithm.exampleLevel + "), or no level for the algorithm's default");
            }
        }

        /** @return no compression (pg_basebackup's default) */
        public static Compression none() {
            return new Compression(Algorithm.NONE, null);
        }

        /**
         * @param algorithm gzip, lz4 or zstd
         * @return server-side compression at the algorithm's default level
         */
        public static Compression server(Algorithm algorithm) {
            return new Compression(algorithm, null);
        }

        /**
         * @param algorithm gzip, lz4 or zstd
         * @param level     within {@link Algorithm#minLevel()} to {@link Algorithm#maxLevel()}: gzip 1 to 9, lz4 1 to
         *                  12, zstd -131072 to 22 (negative levels are zstd's fastest)
         * @return server-side compression at that level
         * @throws IllegalArgumentException for a level outside the algorithm's range
         */
        public static Compression server(Algorithm algorithm, int level) {
            return new Compression(algorithm, level);
        }

        /** @return whether the primary compresses (it then needs PostgreSQL 15 or later) */
        public boolean serverSide() {
            return algorithm != Algorithm.NONE;
        }

        /** @return pg_basebackup's argument, e.g. {@code --compress=server-zstd:level=3}; empty for none */
        public Optional<String> toArgument() {
            if (!serverSide()) {
                return Optional.empty();
            }
            return Optional.of("--compress=server-" + algorithm.toPostgres() + (level == null ? "" : ":level="
                    + level));
        }

        @Override
        public String toString() {
            return serverSide() ? toArgument().orElseThrow().substring("--compress=".length()) : "none";
        }

        /** The algorithms the primary can compress with. */
        public enum Algorithm {
            /** No compression. */
            NONE(0, 0, 0),
            /** gzip: levels 1 to 9; slow, the most widely available. */
            GZIP(1, 9, 5),
            /** LZ4: levels 1 to 12; the fastest, compresses least. */
            LZ4(1, 12, 1),
            /** Zstandard: levels -131072 to 22 (default 3); fast and compresses well. */
            ZSTD(-131072, 22, 3);

            private final int minLevel;
            private final int maxLevel;
            private final int exampleLevel;

            Algorithm(int minLevel, int maxLevel, int exampleLevel) {
                this.minLevel = minLevel;
                this.maxLevel = maxLevel;
                this.exampleLevel = exampleLevel;
            }

            /** @return the lowest level PostgreSQL accepts */
            public int minLevel() {
                return minLevel;
            }

            /** @return the highest level PostgreSQL accepts */
            public int maxLevel() {
                return maxLevel;
            }

            /** @return the name pg_basebackup uses, e.g. {@code zstd} */
            public String toPostgres() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }
}
