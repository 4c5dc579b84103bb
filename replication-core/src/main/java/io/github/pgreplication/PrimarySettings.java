package io.github.pgreplication;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Server parameters the library sets on the primary with {@code ALTER SYSTEM}, then {@code pg_reload_conf()}, and
 * a restart through the primary's {@link io.github.pgreplication.host.ServiceControl} when a parameter is left
 * {@code pending_restart}. Only parameters set here are touched; everything else keeps the server's value.
 * Standbys inherit them, because pg_basebackup copies {@code postgresql.auto.conf}.
 *
 * <p>Immutable: every {@code withX} returns a copy. Sizes given as text are checked by
 * {@link Replication.Builder#load()}, with every other problem.
 *
 * <pre>{@code
 * PrimarySettings settings = PrimarySettings.empty()
 *         .withListenAddresses("*")
 *         .withWalLevel(WalLevel.REPLICA)
 *         .withMaxWalSize(DataSize.parse("1GB"))
 *         .withParameter("log_min_messages", "warning");
 * }</pre>
 */
public final class PrimarySettings {
    private static final PrimarySettings EMPTY = new PrimarySettings(Map.of());

    private final Map<String, String> values;

    private PrimarySettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** @return settings that change nothing */
    public static PrimarySettings empty() {
        return EMPTY;
    }

    /**
     * Settings that trade durability for speed: {@code fsync=off}, {@code synchronous_commit=off},
     * {@code full_page_writes=off}. For throw-away test clusters only: a crash can corrupt the data.
     *
     * @return the non-durable settings
     */
    public static PrimarySettings nonDurable() {
        return EMPTY.withFsync(false).withSynchronousCommit(SynchronousCommit.OFF).withFullPageWrites(false);
    }

    /**
     * The escape hatch for any parameter without a typed method. The name is checked at {@code load()}; the
     * value is sent as a quoted literal, never spliced into SQL.
     *
     * @param name  parameter name, e.g. {@code log_min_messages}
     * @param value value as written in postgresql.conf, without quotes
     * @return a copy with the parameter set
     */
    public PrimarySettings withParameter(String name, String value) {
        Objects.requireNonNull(name, "parameter name must not be null: give e.g. \"log_min_messages\"");
        Objects.requireNonNull(value, "value of parameter " + name + " must not be null: give the value as text,"
                + " e.g. \"warning\"");
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new PrimarySettings(copy);
    }

    /**
     * @param other settings to add
     * @return a copy with every parameter of {@code other} set, {@code other} winning on conflicts
     */
    public PrimarySettings withAll(PrimarySettings other) {
        Objects.requireNonNull(other, "settings must not be null: give e.g. PrimarySettings.empty()");
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return new PrimarySettings(copy);
    }

    /**
     * @param addresses {@code listen_addresses}, e.g. {@code *}
     * @return a copy
     */
    public PrimarySettings withListenAddresses(String addresses) {
        return withParameter("listen_addresses", addresses);
    }

    /**
     * @param level {@code wal_level} (restart)
     * @return a copy
     */
    public PrimarySettings withWalLevel(WalLevel level) {
        Objects.requireNonNull(level, "wal_level must not be null: give e.g. WalLevel.REPLICA");
        return withParameter("wal_level", level.toPostgres());
    }

    /**
     * @param on {@code fsync}; off risks corruption on crash
     * @return a copy
     */
    public PrimarySettings withFsync(boolean on) {
        return withParameter("fsync", onOff(on));
    }

    /**
     * @param mode {@code synchronous_commit}
     * @return a copy
     */
    public PrimarySettings withSynchronousCommit(SynchronousCommit mode) {
        Objects.requireNonNull(mode, "synchronous_commit must not be null: give e.g. SynchronousCommit.ON");
        return withParameter("synchronous_commit", mode.toPostgres());
    }

    /**
     * @param method {@code wal_sync_method}
     * @return a copy
     */
    public PrimarySettings withWalSyncMethod(WalSyncMethod method) {
        Objects.requireNonNull(method, "wal_sync_method must not be null: give e.g. WalSyncMethod.FDATASYNC");
        return withParameter("wal_sync_method", method.toPostgres());
    }

    /**
     * @param on {@code full_page_writes}
     * @return a copy
     */
    public PrimarySettings withFullPageWrites(boolean on) {
        return withParameter("full_page_writes", onOff(on));
    }

    /**
     * @param on {@code wal_log_hints} (restart)
     * @return a copy
     */
    public PrimarySettings withWalLogHints(boolean on) {
        return withParameter("wal_log_hints", onOff(on));
    }

    /**
     * @param compression {@code wal_compression}
     * @return a copy
     */
    public PrimarySettings withWalCompression(WalCompression compression) {
        Objects.requireNonNull(compression, "wal_compression must not be null: give e.g. WalCompression.PGLZ");
        return withParameter("wal_compression", compression.toPostgres());
    }

    /**
     * @param size {@code max_wal_size}
     * @return a copy
     */
    public PrimarySettings withMaxWalSize(DataSize size) {
        Objects.requireNonNull(size, "max_wal_size must not be null: give e.g. DataSize.parse(\"1GB\")");
        return withParameter("max_wal_size", size.toPostgres());
    }

    /**
     * @param size {@code max_wal_size} as text, e.g. {@code 1GB}; checked at load()
     * @return a copy
     */
    public PrimarySettings withMaxWalSize(String size) {
        return withParameter("max_wal_size", size);
    }

    /**
     * @param size {@code min_wal_size}
     * @return a copy
     */
    public PrimarySettings withMinWalSize(DataSize size) {
        Objects.requireNonNull(size, "min_wal_size must not be null: give e.g. DataSize.parse(\"80MB\")");
        return withParameter("min_wal_size", size.toPostgres());
    }

    /**
     * @param size {@code min_wal_size} as text, e.g. {@code 300MB}; checked at load()
     * @return a copy
     */
    public PrimarySettings withMinWalSize(String size) {
        return withParameter("min_wal_size", size);
    }

    /**
     * @param senders {@code max_wal_senders} (restart); at least standbys plus clones
     * @return a copy
     */
    public PrimarySettings withMaxWalSenders(int senders) {
        return withParameter("max_wal_senders", Integer.toString(senders));
    }

    /**
     * @param slots {@code max_replication_slots} (restart); at least one per standby
     * @return a copy
     */
    public PrimarySettings withMaxReplicationSlots(int slots) {
        return withParameter("max_replication_slots", Integer.toString(slots));
    }

    /**
     * @param on {@code hot_standby}: standbys accept read-only queries (inherited by standbys)
     * @return a copy
     */
    public PrimarySettings withHotStandby(boolean on) {
        return withParameter("hot_standby", onOff(on));
    }

    /**
     * @param mode {@code archive_mode} (restart)
     * @return a copy
     */
    public PrimarySettings withArchiveMode(ArchiveMode mode) {
        Objects.requireNonNull(mode, "archive_mode must not be null: give e.g. ArchiveMode.ON");
        return withParameter("archive_mode", mode.toPostgres());
    }

    /**
     * @param command {@code archive_command}, e.g. {@code pgbackrest --stanza=main archive-push %p}
     * @return a copy
     */
    public PrimarySettings withArchiveCommand(String command) {
        return withParameter("archive_command", command);
    }

    /**
     * @param timeout {@code archive_timeout}; zero disables. Written exactly (for example {@code 0.5s}): load()
     *                refuses what PostgreSQL would round to whole seconds, and negative durations
     * @return a copy
     */
    public PrimarySettings withArchiveTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "archive_timeout must not be null: give e.g. Duration.ofMinutes(1)");
        java.math.BigDecimal seconds = java.math.BigDecimal.valueOf(timeout.getSeconds())
                .add(java.math.BigDecimal.valueOf(timeout.getNano(), 9));
        return withParameter("archive_timeout", seconds.stripTrailingZeros().toPlainString() + "s");
    }

    /**
     * @param size {@code wal_keep_size}
     * @return a copy
     */
    public PrimarySettings withWalKeepSize(DataSize size) {
        Objects.requireNonNull(size, "wal_keep_size must not be null: give e.g. DataSize.parse(\"1GB\")");
        return withParameter("wal_keep_size", size.toPostgres());
    }

    /**
     * @param size {@code max_slot_wal_keep_size}; {@link DataSize#unlimited()} for no limit
     * @return a copy
     */
    public PrimarySettings withMaxSlotWalKeepSize(DataSize size) {
        Objects.requireNonNull(size, "max_slot_wal_keep_size must not be null: give e.g. DataSize.unlimited()");
        return withParameter("max_slot_wal_keep_size", size.toPostgres());
    }

    /**
     * @param names {@code synchronous_standby_names}, e.g. {@code FIRST 1 (eshub, eshuc)}
     * @return a copy
     */
    public PrimarySettings withSynchronousStandbyNames(String names) {
        return withParameter("synchronous_standby_names", names);
    }

    /**
     * @param name parameter name
     * @return its value here, if set
     */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** @return every parameter set here, in the order set */
    public Map<String, String> asMap() {
        return values;
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrimarySettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "PrimarySettings" + values;
    }

    /** Values of {@code wal_level}. Streaming replication needs {@link #REPLICA} or {@link #LOGICAL}. */
    public enum WalLevel {
        /** {@code minimal} */
        MINIMAL("minimal"),
        /** {@code replica} */
        REPLICA("replica"),
        /** {@code logical} */
        LOGICAL("logical");

        private final String value;

        WalLevel(String value) {
            this.value = value;
        }

        /** @return the value as written in postgresql.conf */
        public String toPostgres() {
            return value;
        }
    }

    /** Values of {@code wal_sync_method}; which ones work depends on the operating system. */
    public enum WalSyncMethod {
        /** {@code open_datasync} */
        OPEN_DATASYNC("open_datasync"),
        /** {@code fdatasync} */
        FDATASYNC("fdatasync"),
        /** {@code fsync} */
        FSYNC("fsync"),
        /** {@code fsync_writethrough} */
        FSYNC_WRITETHROUGH("fsync_writethrough"),
        /** {@code open_sync} */
        OPEN_SYNC("open_sync");

        private final String value;

        WalSyncMethod(String value) {
            this.value = value;
        }

        /** @return the value as written in postgresql.conf */
        public String toPostgres() {
            return value;
        }
    }

    /** Values of {@code wal_compression}; lz4 and zstd need a server built with them. */
    public enum WalCompression {
        /** {@code off} */
        OFF("off"),
        /** {@code on} */
        ON("on"),
        /** {@code pglz} */
        PGLZ("pglz"),
        /** {@code lz4} */
        LZ4("lz4"),
        /** {@code zstd} */
        ZSTD("zstd");

        private final String value;

        WalCompression(String value) {
            this.value = value;
        }

        /** @return the value as written in postgresql.conf */
        public String toPostgres() {
            return value;
        }
    }

    /** Values of {@code archive_mode}. */
    public enum ArchiveMode {
        /** {@code off} */
        OFF("off"),
        /** {@code on} */
        ON("on"),
        /** {@code always} */
        ALWAYS("always");

        private final String value;

        ArchiveMode(String value) {
            this.value = value;
        }

        /** @return the value as written in postgresql.conf */
        public String toPostgres() {
            return value;
        }
    }
}
