package io.github.pgreplication.internal;

import io.github.pgreplication.DataSize;
import io.github.pgreplication.Problem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What PostgreSQL accepts for each parameter {@link io.github.pgreplication.PrimarySettings} has a typed method
 * for, however the value was given (typed method or {@code withParameter}): type, unit and range as
 * {@code pg_settings} reports them (min_val, max_val, unit, enumvals; PostgreSQL 15 and 17 agree), plus the
 * start-up rule that max_wal_size and min_wal_size hold at least two WAL segments. A value PostgreSQL would round
 * to its unit is refused, naming what it would become, instead of being changed silently.
 */
final class SettingRules {
    private enum Kind { BOOL, ENUM, INT, SIZE_MB, TIME_S }

    private record Spec(Kind kind, long min, long max, Set<String> values, String fix) {
    }

    private static final long MAX_INT = Integer.MAX_VALUE;
    private static final Set<String> BOOLS = Set.of("on", "off", "true", "false", "yes", "no", "1", "0", "t", "f");
    private static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("wal_level", enumSpec("withWalLevel(WalLevel.REPLICA)", "minimal", "replica", "logical")),
            Map.entry("fsync", boolSpec("withFsync(true)")),
            Map.entry("synchronous_commit", enumSpec("withSynchronousCommit(SynchronousCommit.ON)", "local",
                    "remote_write", "remote_apply", "on", "off")),
            Map.entry("wal_sync_method", enumSpec("withWalSyncMethod(WalSyncMethod.FDATASYNC)", "fsync",
                    "fdatasync", "open_sync", "open_datasync", "fsync_writethrough")),
            Map.entry("full_page_writes", boolSpec("withFullPageWrites(true)")),
            Map.entry("wal_log_hints", boolSpec("withWalLogHints(true)")),
            Map.entry("wal_compression", enumSpec("withWalCompression(WalCompression.PGLZ)", "pglz", "lz4", "zstd",
                    "on", "off")),
            Map.entry("hot_standby", boolSpec("withHotStandby(true)")),
            Map.entry("archive_mode", enumSpec("withArchiveMode(ArchiveMode.ON)", "always", "on", "off")),
            Map.entry("max_wal_senders", new Spec(Kind.INT, 0, 262143, Set.of(), "withMaxWalSenders(10)")),
            Map.entry("max_replication_slots", new Spec(Kind.INT, 0, 262143, Set.of(), "withMaxReplicationSlots(10)")),
            Map.entry("max_wal_size", new Spec(Kind.SIZE_MB, 2, MAX_INT, Set.of(), "withMaxWalSize(\"1GB\")")),
            Map.entry("min_wal_size", new Spec(Kind.SIZE_MB, 2, MAX_INT, Set.of(), "withMinWalSize(\"80MB\")")),
            Map.entry("wal_keep_size", new Spec(Kind.SIZE_MB, 0, MAX_INT, Set.of(),
                    "withWalKeepSize(DataSize.parse(\"1GB\"))")),
            Map.entry("max_slot_wal_keep_size", new Spec(Kind.SIZE_MB, -1, MAX_INT, Set.of(),
                    "withMaxSlotWalKeepSize(DataSize.unlimited())")),
            Map.entry("archive_timeout", new Spec(Kind.TIME_S, 0, 1073741823, Set.of(),
                    "withArchiveTimeout(Duration.ofMinutes(1))")));
    /** PostgreSQL refuses to start when max_wal_size or min_wal_size holds fewer than two WAL segments. */
    private static final Set<String> TWO_SEGMENTS = Set.of("max_wal_size", "min_wal_size");
    private static final long DEFAULT_SEGMENT_MB = 16;
    private static final Pattern WHOLE = Pattern.compile("-?\\d+");
    private static final Pattern TIME = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(us|ms|s|min|h|d)?");
    private static final Map<String, BigDecimal> MICROS = Map.of("us", BigDecimal.ONE, "ms", BigDecimal.valueOf(1000),
            "s", BigDecimal.valueOf(1_000_000), "min", BigDecimal.valueOf(60_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000L), "d", BigDecimal.valueOf(86_400_000_000L));
    private static final long MB = 1024 * 1024;

    private SettingRules() {
    }

    private static Spec boolSpec(String fix) {
        return new Spec(Kind.BOOL, 0, 0, BOOLS, fix);
    }

    private static Spec enumSpec(String fix, String... values) {
        return new Spec(Kind.ENUM, 0, 0, Set.of(values), fix);
    }

    /**
     * @param name  a parameter name
     * @param value its value as written in postgresql.conf
     * @return the problem with it, when the library types this parameter and PostgreSQL would refuse or change
     *         the value
     */
    static Optional<Problem> check(String name, String value) {
        Spec spec = SPECS.get(name);
        if (spec == null) {
            return Optional.empty();
        }
        String v = value.trim();
        String subject = name + " = '" + Text.printable(value) + "'";
        String fix = "Use " + spec.fix();
        return Optional.ofNullable(switch (spec.kind()) {
            case BOOL -> spec.values().contains(v.toLowerCase(Locale.ROOT)) ? null
                    : new Problem(subject, "a boolean is on or off (also true/false, yes/no, 1/0)", fix);
            case ENUM -> spec.values().contains(v.toLowerCase(Locale.ROOT)) ? null
                    : new Problem(subject, "PostgreSQL accepts one of " + new java.util.TreeSet<>(spec.values()), fix);
            case INT -> WHOLE.matcher(v).matches() ? range(subject, name, new BigDecimal(v), spec, "", fix)
                    : new Problem(subject, "must be a whole number between " + spec.min() + " and " + spec.max(), fix);
            case SIZE_MB -> size(subject, name, v, spec, fix);
            case TIME_S -> time(subject, name, v, spec, fix);
        });
    }

    private static Problem range(String subject, String name, BigDecimal n, Spec spec, String unit, String fix) {
        if (n.compareTo(BigDecimal.valueOf(spec.min())) < 0 || n.compareTo(BigDecimal.valueOf(spec.max())) > 0) {
            return new Problem(subject, "is outside PostgreSQL's range for " + name + ": " + spec.min() + " to "
                    + spec.max() + unit + (spec.min() == -1 ? " (-1 for no limit)" : "")
                    + (spec.kind() == Kind.TIME_S && spec.min() == 0 ? " (0 disables it)" : ""), fix);
        }
        if (TWO_SEGMENTS.contains(name) && n.longValue() < 2 * DEFAULT_SEGMENT_MB) {
            return new Problem(subject, "must hold at least two WAL segments (" + 2 * DEFAULT_SEGMENT_MB
                    + "MB with the default " + DEFAULT_SEGMENT_MB + "MB segments), or PostgreSQL refuses to start",
                    "Write '" + 2 * DEFAULT_SEGMENT_MB + "MB' or more, e.g. " + spec.fix());
        }
        return null;
    }

    private static Problem size(String subject, String name, String v, Spec spec, String fix) {
        if (WHOLE.matcher(v).matches()) {
            // PostgreSQL reads a number without unit in the parameter's unit, MB here.
            return range(subject, name, new BigDecimal(v), spec, "MB", fix);
        }
        DataSize size;
        try {
            size = DataSize.parse(v);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int tryAt = message.lastIndexOf(" Try ");
            String rule = (tryAt < 0 ? message : message.substring(0, tryAt)).replaceAll("\\.$", "");
            String suggested = tryAt < 0 ? null : message.substring(tryAt + 1);
            Matcher s = Pattern.compile("Try '([^']*)'").matcher(suggested == null ? "" : suggested);
            if (!s.find() || check(name, s.group(1)).isPresent()) {
                suggested = megabytes(name, v).orElse(fix);
            }
            return new Problem(subject, rule.replace("'" + Problem.shown(v) + "' ", ""), suggested);
        }
        if (size.bytes() % MB != 0) {
            long down = Math.floorDiv(size.bytes(), MB);
            long rounded = BigDecimal.valueOf(size.bytes()).divide(BigDecimal.valueOf(MB), 0, RoundingMode.HALF_EVEN)
                    .longValue();
            List<String> fine = java.util.stream.Stream.of(down + 1, down).map(n -> n + "MB")
                    .filter(c -> check(name, c).isEmpty()).toList();
            return new Problem(subject, "PostgreSQL keeps " + name + " in whole MB and would make it " + rounded
                    + "MB", fine.isEmpty() ? "Write a whole number of MB, e.g. " + spec.fix()
                    : "Write '" + String.join("' or '", fine) + "'");
        }
        return range(subject, name, BigDecimal.valueOf(size.bytes() / MB), spec, "MB", fix);
    }

    /** @return for a size PostgreSQL would take but DataSize does not (1.5MB), the whole MB values that load */
    private static Optional<String> megabytes(String name, String v) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|kB|MB|GB|TB)").matcher(v);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal mb = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(DataSize.parse("1" + m.group(2))
                .bytes())).divide(BigDecimal.valueOf(MB), 6, RoundingMode.HALF_EVEN);
        List<String> fine = Stream.of(mb.setScale(0, RoundingMode.CEILING), mb.setScale(0, RoundingMode.FLOOR))
                .distinct().map(n -> n.toPlainString() + "MB").filter(c -> check(name, c).isEmpty()).toList();
        return fine.isEmpty() ? Optional.empty() : Optional.of("Write '" + String.join("' or '", fine) + "'");
    }

    private static Problem time(String subject, String name, String v, Spec spec, String fix) {
        Matcher m = TIME.matcher(v);
        if (!m.matches()) {
            return new Problem(subject, "is not a PostgreSQL duration: a number followed by us, ms, s, min, h or d"
                    + " (case-sensitive), or a number of seconds", fix);
        }
        BigDecimal micros = new BigDecimal(m.group(1)).multiply(MICROS.get(m.group(2) == null ? "s" : m.group(2)));
        BigDecimal seconds = micros.divide(MICROS.get("s"));
        if (seconds.stripTrailingZeros().scale() > 0) {
            long rounded = seconds.setScale(0, RoundingMode.HALF_EVEN).longValue();
            long up = seconds.setScale(0, RoundingMode.CEILING).longValue();
            return new Problem(subject, "PostgreSQL keeps " + name + " in whole seconds and would make it " + rounded
                    + "s" + (rounded == 0 ? ", which disables it" : ""), "Use "
                    + spec.fix().replaceFirst("Duration\\.of\\w+\\(\\d+\\)", "Duration.ofSeconds(" + Math.max(1, up)
                    + ")"));
        }
        return range(subject, name, seconds, spec, " s", fix);
    }
}
