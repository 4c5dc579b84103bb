package io.github.pgreplication.pgbackrest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param recoveryOptions {@code --recovery-option=KEY=VALUE} settings pgBackRest writes to postgresql.auto.conf,
 *                        in order
 * @param processMax      {@code --process-max}, or null for the configuration's value
 * @param options         any other options, each a full argument such as {@code --set=20261122-004606F}
 */
public record RestoreOptions(String pgPath, RestoreType type, boolean delta, Map<String, String> recoveryOptions,
        Integer processMax, List<String> options) {

    /** Copies collections. */
    public RestoreOptions {
        recoveryOptions = Collections.unmodifiableMap(new LinkedHashMap<>(recoveryOptions));
        options = List.copyOf(options);
    }

    /**
     * @param pgPath where the data directory goes
     * @return a restore as a standby ({@code --type=standby --delta}): pgBackRest writes {@code standby.signal} and
     *         a {@code restore_command} running {@code archive-get} with the same configuration
     */
    public static RestoreOptions standby(String pgPath) {
        return new RestoreOptions(pgPath, RestoreType.STANDBY, true, Map.of(), null, List.of());
    }

    /** @param pgPath where the data directory goes @return a plain restore with pgBackRest's defaults */
    public static RestoreOptions into(String pgPath) {
        return new RestoreOptions(pgPath, null, false, Map.of(), null, List.of());
    }

    /** @param newType {@code --type} @return a copy */
    public RestoreOptions withType(RestoreType newType) {
        return new RestoreOptions(pgPath, newType, delta, recoveryOptions, processMax, options);
    }

    /** @param on {@code --delta} @return a copy */
    public RestoreOptions withDelta(boolean on) {
        return new RestoreOptions(pgPath, type, on, recoveryOptions, processMax, options);
    }

    /**
     * @param key   a recovery setting, e.g. {@code primary_conninfo}
     * @param value its value, without quotes; never a password (use a passfile in a conninfo)
     * @return a copy
     */
    public RestoreOptions withRecoveryOption(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(recoveryOptions);
        m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new RestoreOptions(pgPath, type, delta, m, processMax, options);
    }

    /** @param n {@code --process-max}: parallel restore processes @return a copy */
    public RestoreOptions withProcessMax(int n) {
        if (n < 1 || n > 999) {
            throw new IllegalArgumentException("process-max " + n + " must be between 1 and 999");
        }
        return new RestoreOptions(pgPath, type, delta, recoveryOptions, n, options);
    }

    /** @param label {@code --set}: the backup to restore instead of the latest @return a copy */
    public RestoreOptions withSet(String label) {
        return withOption("--set=" + label);
    }

    /** @param option any other restore option, as one argument, e.g. {@code --target=...} @return a copy */
    public RestoreOptions withOption(String option) {
        if (!Objects.requireNonNull(option, "option").startsWith("--")) {
            throw new IllegalArgumentException("'" + option + "' is not an option: write it as --name=value");
        }
        List<String> o = new ArrayList<>(options);
        o.add(option);
        return new RestoreOptions(pgPath, type, delta, recoveryOptions, processMax, o);
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
}
