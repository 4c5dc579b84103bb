package io.github.pgreplication.pgbackrest;

import io.github.pgreplication.internal.PathRules;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.pgbackrest.internal.AutoConf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Options of {@code pgbackrest restore}. Immutable; {@code withX} returns a copy.
 *
 * <pre>{@code
 * RestoreOptions.standby("/var/lib/postgresql/data")           // --type=standby --delta --pg1-path=...
 *         .withRecoveryOption("primary_conninfo", context.primaryConninfo())
 *         .withRecoveryOption("primary_slot_name", "eshub_slot")
 *         .withProcessMax(2);
 * }</pre>
 *
 * @param pgPath          {@code --pg1-path}: where the data directory is restored; null to use the stanza's
 *                        {@code pg1-path} from the configuration
 * @param type            {@code --type}, or null for pgBackRest's default
 * @param delta           {@code --delta}: reuse files that already match (only in a directory that holds a cluster)
 * @param deltaMatch      how a delta restore matches files: {@link DeltaMatch#CHECKSUM} (the default) or
 *                        {@link DeltaMatch#SIZE_AND_TIMESTAMP} ({@code --force}, only with {@code delta})
 * @param recoveryOptions {@code --recovery-option=KEY=VALUE} settings pgBackRest writes to postgresql.auto.conf,
 *                        in order
 * @param processMax      {@code --process-max}, or null for the configuration's value
 * @param options         any other options, each a full argument such as {@code --set=20261122-004606F}
 */
public record RestoreOptions(String pgPath, Type type, boolean delta, DeltaMatch deltaMatch,
        Map<String, String> recoveryOptions, Integer processMax, List<String> options) {
    private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,62}");

    /**
     * Copies collections and checks every value before it can reach pgBackRest's arguments.
     *
     * @throws IllegalArgumentException for a data directory that is not an absolute path (or has a {@code ..}
     *                                  segment or a control character, or is a system directory or inside one,
     *                                  as the core's rule for data directories says); a recovery setting whose name
     *                                  is not a setting's name, or whose value pgBackRest would copy into
     *                                  postgresql.auto.conf unescaped (a quote, a backslash, a control character);
     *                                  an option that does not start with {@code --} or has a control character;
     *                                  {@link DeltaMatch#SIZE_AND_TIMESTAMP} without {@code delta}, or {@code --force}
     *                                  among the options (pgBackRest would overwrite the whole directory)
     * @param pgPath          {@code --pg1-path}: where the data directory is restored; null to use the stanza's
     *                        {@code pg1-path} from the configuration
     * @param type            {@code --type}, or null for pgBackRest's default
     * @param delta           {@code --delta}: reuse files that already match (only in a directory that holds a cluster)
     * @param deltaMatch      how a delta restore matches files: {@link DeltaMatch#CHECKSUM} (the default; null is
     *                        taken as it) or {@link DeltaMatch#SIZE_AND_TIMESTAMP} ({@code --force}, only with
     *                        {@code delta})
     * @param recoveryOptions {@code --recovery-option=KEY=VALUE} settings pgBackRest writes to postgresql.auto.conf,
     *                        in order
     * @param processMax      {@code --process-max}, or null for the configuration's value
     * @param options         any other options, each a full argument such as {@code --set=20261122-004606F}
     */
    public RestoreOptions {
        String problem = pgPath == null ? null : PathRules.dataDirectoryProblem(pgPath);
        if (problem != null) {
            throw new IllegalArgumentException("--pg1-path '" + Text.printable(pgPath) + "': " + problem
                    + ". Give the data directory's absolute path, e.g. /var/lib/postgresql/17/main");
        }
        recoveryOptions = Collections.unmodifiableMap(new LinkedHashMap<>(recoveryOptions));
        recoveryOptions.forEach(RestoreOptions::checkRecoveryOption);
        options = List.copyOf(options);
        for (String option : options) {
            if (!option.startsWith("--") || Text.hasControl(option)) {
                throw new IllegalArgumentException("'" + Text.printable(option) + "' is not an option: write it as"
                        + " one argument --name=value, without line breaks or other control characters");
            }
            if (option.equals("--force") || option.startsWith("--force=")) {
                throw new IllegalArgumentException("'" + Text.printable(option) + "' among the restore options:"
                        + " without --delta pgBackRest's --force overwrites the whole data directory, with it it"
                        + " matches files by size and timestamp. Say which: .withDelta(DeltaMatch"
                        + ".SIZE_AND_TIMESTAMP) for the second; empty the directory yourself for the first");
            }
        }
        deltaMatch = deltaMatch == null ? DeltaMatch.CHECKSUM : deltaMatch;
        if (deltaMatch == DeltaMatch.SIZE_AND_TIMESTAMP && !delta) {
            throw new IllegalArgumentException("delta match SIZE_AND_TIMESTAMP without --delta: pgBackRest's --force"
                    + " alone overwrites the whole data directory instead of keeping the files that match. Turn the"
                    + " delta on with it: .withDelta(DeltaMatch.SIZE_AND_TIMESTAMP)");
        }
    }

    /**
     * The options of a restore that matches files by checksum when it is a delta ({@link DeltaMatch#CHECKSUM}).
     *
     * @param pgPath          {@code --pg1-path}, or null for the stanza's {@code pg1-path}
     * @param type            {@code --type}, or null for pgBackRest's default
     * @param delta           {@code --delta}
     * @param recoveryOptions {@code --recovery-option=KEY=VALUE} settings, in order
     * @param processMax      {@code --process-max}, or null for the configuration's value
     * @param options         any other options, each a full argument
     */
    public RestoreOptions(String pgPath, Type type, boolean delta, Map<String, String> recoveryOptions,
            Integer processMax, List<String> options) {
        this(pgPath, type, delta, DeltaMatch.CHECKSUM, recoveryOptions, processMax, options);
    }

    private static void checkRecoveryOption(String key, String value) {
        if (!SETTING.matcher(key).matches()) {
            throw new IllegalArgumentException("recovery option '" + Text.printable(key) + "' is not a setting's"
                    + " name: letters, digits, '_', '.' and '-' (pgBackRest writes '-' as '_'), at most 63, not"
                    + " starting with a digit or '-' (e.g. primary_slot_name)");
        }
        if (!AutoConf.safeForPgBackRest(value)) {
            throw new IllegalArgumentException("recovery option " + key + " has a quote, a backslash or a control"
                    + " character in its value: pgBackRest copies the value between single quotes into"
                    + " postgresql.auto.conf without escaping it, which would corrupt the file or set other"
                    + " settings. Leave it out of the restore and set it afterwards, quoted (ALTER SYSTEM SET " + key
                    + " = '...' once the server runs); PgBackRestRestore does that by itself");
        }
    }

    /**
     * @param pgPath where the data directory goes
     * @return a restore as a standby ({@code --type=standby --delta}): pgBackRest writes {@code standby.signal} and
     *         a {@code restore_command} running {@code archive-get} with the same configuration
     */
    public static RestoreOptions standby(String pgPath) {
        return new RestoreOptions(pgPath, Type.STANDBY, true, DeltaMatch.CHECKSUM, Map.of(), null, List.of());
    }

    /**
     * @param pgPath where the data directory goes
     * @return a plain restore with pgBackRest's defaults
     */
    public static RestoreOptions into(String pgPath) {
        return new RestoreOptions(pgPath, null, false, DeltaMatch.CHECKSUM, Map.of(), null, List.of());
    }

    /**
     * @param newType {@code --type}
     * @return a copy
     */
    public RestoreOptions withType(Type newType) {
        return copy(c -> c.type = newType);
    }

    /**
     * @param on {@code --delta}, matching files by checksum; false also drops a {@link DeltaMatch} given before
     * @return a copy
     */
    public RestoreOptions withDelta(boolean on) {
        return copy(c -> {
            c.delta = on;
            c.deltaMatch = DeltaMatch.CHECKSUM;
        });
    }

    /**
     * @param how {@code --delta}, matching files as {@code how} says; {@link DeltaMatch#SIZE_AND_TIMESTAMP} adds
     *            {@code --force} (see its Javadoc for when it is unsafe)
     * @return a copy
     * @throws IllegalArgumentException for null
     */
    public RestoreOptions withDelta(DeltaMatch how) {
        if (how == null) {
            throw new IllegalArgumentException("delta match null: give DeltaMatch.CHECKSUM (safe, reads every file)"
                    + " or DeltaMatch.SIZE_AND_TIMESTAMP (reads none; unsafe for a directory whose files may have"
                    + " changed without their size or time changing)");
        }
        return copy(c -> {
            c.delta = true;
            c.deltaMatch = how;
        });
    }

    /**
     * @param key   a recovery setting, e.g. {@code primary_conninfo}
     * @param value its value, without quotes; never a password (use a passfile in a conninfo); no quote, backslash
     *              or control character (pgBackRest copies it unescaped)
     * @return a copy
     */
    public RestoreOptions withRecoveryOption(String key, String value) {
        return copy(c -> c.recoveryOptions.put(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value")));
    }

    /**
     * @param n {@code --process-max}: parallel restore processes
     * @return a copy
     */
    public RestoreOptions withProcessMax(int n) {
        if (n < 1 || n > 999) {
            throw new IllegalArgumentException("process-max " + n + " must be between 1 and 999");
        }
        return copy(c -> c.processMax = n);
    }

    /**
     * @param label {@code --set}: the backup to restore instead of the latest
     * @return a copy
     */
    public RestoreOptions withSet(String label) {
        return withOption("--set=" + label);
    }

    /**
     * @param option any other restore option, as one argument, e.g. {@code --target=...}
     * @return a copy
     */
    public RestoreOptions withOption(String option) {
        Objects.requireNonNull(option, "option");
        return copy(c -> c.options.add(option));
    }

    /** @return the options as pgBackRest arguments, in a fixed order */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        if (type != null) {
            args.add("--type=" + type.toPgBackRest());
        }
        if (delta) {
            args.add("--delta");
        }
        if (delta && deltaMatch == DeltaMatch.SIZE_AND_TIMESTAMP) {
            args.add("--force");
        }
        if (pgPath != null) {
            args.add("--pg1-path=" + pgPath);
        }
        if (processMax != null) {
            args.add("--process-max=" + processMax);
        }
        recoveryOptions.forEach((k, v) -> args.add("--recovery-option=" + k + "=" + v));
        args.addAll(options);
        return args;
    }

    /** Makes options of these fields as {@code change} leaves them; the constructor checks them again. */
    private RestoreOptions copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new RestoreOptions(c.pgPath, c.type, c.delta, c.deltaMatch, c.recoveryOptions, c.processMax,
                c.options);
    }

    /** These options' fields, for a wither to change before {@link #copy} makes options of them. */
    private final class Copy {
        String pgPath = RestoreOptions.this.pgPath;
        Type type = RestoreOptions.this.type;
        boolean delta = RestoreOptions.this.delta;
        DeltaMatch deltaMatch = RestoreOptions.this.deltaMatch;
        Map<String, String> recoveryOptions = new LinkedHashMap<>(RestoreOptions.this.recoveryOptions);
        Integer processMax = RestoreOptions.this.processMax;
        List<String> options = new ArrayList<>(RestoreOptions.this.options);
    }

    /**
     * Values of the restore command's {@code --type} that need no target. Targets (time, xid, lsn, name) go through
     * {@link RestoreOptions#withOption(String)}.
     */
    public enum Type {
        /** Recover to the end of the archive stream. */
        DEFAULT,
        /** Recover only until the cluster is consistent. */
        IMMEDIATE,
        /**
         * Start as a standby: pgBackRest writes {@code standby.signal} and a {@code restore_command} that runs
         * {@code archive-get} with the same configuration.
         */
        STANDBY,
        /** Write no recovery settings. */
        NONE,
        /** Keep the existing recovery settings. */
        PRESERVE;

        /** @return the value pgBackRest uses, e.g. {@code standby} */
        public String toPgBackRest() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
