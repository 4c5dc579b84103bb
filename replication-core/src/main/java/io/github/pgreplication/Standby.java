package io.github.pgreplication;

import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.clone.CloneMethod;
import io.github.pgreplication.host.Host;
import io.github.pgreplication.host.LocalHost;
import io.github.pgreplication.host.ServiceControl;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import io.github.pgreplication.internal.SlotName;

/**
 * A standby server: its name (its {@code application_name} on the primary), its replication slot, where it runs,
 * its data directory, how it is cloned and started, and how the library reaches it to verify it streams.
 *
 * <p>The library reaches a standby through JDBC when {@link #adminEndpoint()} is set, else through {@code psql} on
 * its {@link #host()} over the local socket, so a standby that opens no inbound port still works.
 *
 * <pre>{@code
 * Standby eshub = Standby.named("eshub")
 *         .withHost(SshHost.to("postgres", "eshub.ghelew.ch"))
 *         .withDataDirectory("/var/postgresql/data")
 *         .withService(ServiceControl.command(List.of("doas", "rcctl", "restart", "postgresql")));
 * }</pre>
 *
 * <p>A view of a {@link Node} in a standby's place, with what a standby needs on top (its slot, how it is cloned,
 * its passfile and own parameters); {@link #node()} is the server itself.
 *
 * @param node                      the server; its name is the standby's application_name
 * @param slotName                  physical slot; null means {@code <name>_slot}
 * @param cloneMethods              how its data directory is produced, tried in order; default pg_basebackup
 * @param emptyDataDirectoryAllowed whether a non-empty data directory that is not already this primary's standby
 *                                  may be emptied before cloning; default false
 * @param passfile                  where the replication password file is kept on the host; null means
 *                                  {@code <parent of dataDirectory>/.pgpass-<name>}
 * @param parameters                settings written to the standby's postgresql.auto.conf after cloning, e.g.
 *                                  {@code port}
 * @param upstream                  the node it streams from (see streamingFrom); null means the primary
 */
public record Standby(Node node, String slotName, List<CloneMethod> cloneMethods, boolean emptyDataDirectoryAllowed,
        String passfile, Map<String, String> parameters, String upstream) {
    /** The setting of a delayed standby ({@link #withApplyDelay}). */
    private static final String APPLY_DELAY = "recovery_min_apply_delay";

    /**
     * Copies collections and checks for nulls where a value is required.
     *
     * @param node                      the server; its name is the standby's application_name
     * @param slotName                  physical slot; null means {@code <name>_slot}
     * @param cloneMethods              how its data directory is produced, tried in order; default pg_basebackup
     * @param emptyDataDirectoryAllowed whether a non-empty data directory that is not already this primary's standby
     *                                  may be emptied before cloning; default false
     * @param passfile                  where the replication password file is kept on the host; null means
     *                                  {@code <parent of dataDirectory>/.pgpass-<name>}
     * @param parameters                settings written to the standby's postgresql.auto.conf after cloning, e.g.
     *                                  {@code port}
     * @param upstream                  the node it streams from (see streamingFrom); null means the primary
     */
    public Standby {
        Objects.requireNonNull(node, "node must not be null: e.g. Standby.of(Node.named(\"eshub\"))");
        Objects.requireNonNull(node.service(), "the standby's service control must not be null: it is how the"
                + " library starts it, e.g. withService(ServiceControl.pgCtl())");
        Objects.requireNonNull(cloneMethods, "clone methods must not be null: give e.g. BaseBackup.defaults()");
        for (CloneMethod m : cloneMethods) {
            Objects.requireNonNull(m, "a clone method must not be null: give e.g. BaseBackup.defaults()");
        }
        cloneMethods = List.copyOf(cloneMethods);
        Objects.requireNonNull(parameters, "parameters must not be null: give Map.of()");
        parameters.forEach((k, v) -> {
            Objects.requireNonNull(k, "parameter name must not be null");
            Objects.requireNonNull(v, "value of parameter " + k + " must not be null: give the value as text");
        });
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * A standby that streams from the primary.
     *
     * @param node                      the server; its name is the standby's application_name
     * @param slotName                  physical slot; null means {@code <name>_slot}
     * @param cloneMethods              how its data directory is produced, tried in order; default pg_basebackup
     * @param emptyDataDirectoryAllowed whether a non-empty data directory that is not already this primary's standby
     *                                  may be emptied before cloning; default false
     * @param passfile                  where the replication password file is kept on the host; null means
     *                                  {@code <parent of dataDirectory>/.pgpass-<name>}
     * @param parameters                settings written to the standby's postgresql.auto.conf after cloning
     */
    public Standby(Node node, String slotName, List<CloneMethod> cloneMethods, boolean emptyDataDirectoryAllowed,
            String passfile, Map<String, String> parameters) {
        this(node, slotName, cloneMethods, emptyDataDirectoryAllowed, passfile, parameters, null);
    }

    /**
     * @param name standby name (letters, digits, underscores)
     * @return a standby with defaults
     */
    public static Standby named(String name) {
        Objects.requireNonNull(name, "standby name must not be null: give one, e.g. Standby.named(\"eshub\")");
        return of(Node.named(name));
    }

    /**
     * @param node the server to make a standby; a node without a service control gets {@link ServiceControl#pgCtl()}
     * @return a standby of that node with defaults: slot {@code <name>_slot}, cloned with pg_basebackup
     */
    public static Standby of(Node node) {
        Node n = Objects.requireNonNull(node, "node must not be null: e.g. Standby.of(Node.named(\"eshub\"))");
        if (n.service() == null) {
            n = n.withService(ServiceControl.pgCtl());
        }
        Map<String, String> parameters = n.port() == Endpoint.DEFAULT_PORT ? Map.of()
                : Map.of("port", Integer.toString(n.port()));
        return new Standby(n, null, List.of(BaseBackup.defaults()), false, null, parameters);
    }

    /** @return standby name; also its application_name */
    public String name() {
        return node.name();
    }

    /** @return where it runs; default {@link LocalHost#current()} */
    public Host host() {
        return node.host();
    }

    /** @return its PGDATA; required */
    public String dataDirectory() {
        return node.dataDirectory();
    }

    /** @return how it is started; default {@link ServiceControl#pgCtl()} */
    public ServiceControl service() {
        return node.service();
    }

    /** @return the port it listens on (psql uses it); default 5432 */
    public int port() {
        return node.port();
    }

    /** @return JDBC address for verification; null means psql on the host */
    public Endpoint adminEndpoint() {
        return node.adminEndpoint();
    }

    /** @return user for verification queries; default {@code postgres} */
    public String adminUser() {
        return node.adminUser();
    }

    /** @return its password */
    public Secret adminPassword() {
        return node.adminPassword();
    }

    /** @return the slot name in effect: the one given, or {@code <name>_slot} made valid */
    public String effectiveSlotName() {
        return slotName != null ? slotName : SlotName.suggest(name() + "_slot");
    }

    /** @return the passfile path in effect */
    public String effectivePassfile() {
        if (passfile != null) {
            return passfile;
        }
        String dataDirectory = node.dataDirectory();
        String dir = dataDirectory == null || !dataDirectory.startsWith("/") ? ""
                : io.github.pgreplication.internal.PathRules.normalise(dataDirectory);
        int slash = dir.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : dir.substring(0, slash);
        return (parent.endsWith("/") ? parent : parent + "/") + ".pgpass-" + name();
    }

    /**
     * @param tls the node's TLS material, e.g. {@code Tls.off().withReplication(Tls.Client.verifyFull(...))}
     * @return a copy
     */
    public Standby withTls(Tls tls) {
        return copy(c -> c.node = node.withTls(tls));
    }

    /**
     * @param slot the slot name
     * @return a copy
     */
    public Standby withSlot(String slot) {
        return copy(c -> c.slotName = slot);
    }

    /**
     * @param newHost where the standby runs
     * @return a copy
     */
    public Standby withHost(Host newHost) {
        Objects.requireNonNull(newHost, "standby host must not be null: give e.g. LocalHost.current() or"
                + " SshHost.to(\"postgres\", \"eshub.example.com\")");
        return copy(c -> c.node = node.withHost(newHost));
    }

    /**
     * @param path absolute path of its PGDATA on its host; trailing slashes, {@code //} and {@code .} segments are
     *             removed
     * @return a copy
     */
    public Standby withDataDirectory(String path) {
        return copy(c -> c.node = node.withDataDirectory(path));
    }

    /**
     * @param newService how to start it
     * @return a copy
     */
    public Standby withService(ServiceControl newService) {
        Objects.requireNonNull(newService, "standby service must not be null: give e.g. ServiceControl.pgCtl()");
        return copy(c -> c.node = node.withService(newService));
    }

    /**
     * @param endpoint the address its peers would connect to, needed for it to become the primary in a switchover
     *                 or failover
     * @return a copy
     */
    public Standby withEndpoint(Endpoint endpoint) {
        return copy(c -> c.node = node.withEndpoint(endpoint));
    }

    /**
     * Sets the port the standby listens on; also written as {@code port} in its postgresql.auto.conf when it
     * differs from 5432 (needed when several servers share a machine).
     *
     * @param newPort TCP port
     * @return a copy
     */
    public Standby withPort(int newPort) {
        return copy(c -> {
            c.node = node.withPort(newPort);
            if (newPort == Endpoint.DEFAULT_PORT) {
                c.parameters.remove("port");
            } else {
                c.parameters.put("port", Integer.toString(newPort));
            }
        });
    }

    /**
     * @param endpoint JDBC address to verify the standby through
     * @param user     user to connect as
     * @param password its password
     * @return a copy
     */
    public Standby withAdminEndpoint(Endpoint endpoint, String user, Secret password) {
        Objects.requireNonNull(user, "standby admin user must not be null: give e.g. \"postgres\"");
        Objects.requireNonNull(password, "standby admin password must not be null: give Secret.none() for no"
                + " password");
        return copy(c -> c.node = node.withAdmin(endpoint, user, password));
    }

    /**
     * @param methods clone methods, tried in order until one succeeds
     * @return a copy
     */
    public Standby withCloneMethods(CloneMethod... methods) {
        Objects.requireNonNull(methods, "clone methods must not be null: give e.g. BaseBackup.defaults()");
        return copy(c -> c.cloneMethods = java.util.Arrays.asList(methods));
    }

    /**
     * Allows the library to delete everything in a non-empty data directory before cloning, when that directory
     * is not already a standby of this primary. Off by default: without it a non-empty directory is an error
     * and is left untouched.
     *
     * @param allowed whether emptying is allowed
     * @return a copy
     */
    public Standby withEmptyDataDirectoryAllowed(boolean allowed) {
        return copy(c -> c.emptyDataDirectoryAllowed = allowed);
    }

    /**
     * @param path where to keep the replication passfile on the standby's host
     * @return a copy
     */
    public Standby withPassfile(String path) {
        return copy(c -> c.passfile = path);
    }

    /**
     * @param parameter a setting for this standby only, written to its postgresql.auto.conf after cloning
     * @param value     its value
     * @return a copy
     */
    public Standby withParameter(String parameter, String value) {
        Objects.requireNonNull(parameter, "parameter name must not be null: give e.g."
                + " \"max_standby_streaming_delay\"");
        Objects.requireNonNull(value, "value of parameter " + parameter + " must not be null: give the value as"
                + " text, e.g. \"30s\"");
        return copy(c -> c.parameters.put(parameter, value));
    }

    /**
     * Makes this a <b>delayed standby</b>: it receives and keeps WAL at once, but replays each transaction only
     * {@code delay} after its commit on the primary ({@code recovery_min_apply_delay}), so that a mistake on the
     * primary (a {@code DROP TABLE}) can still be read back from it for that long: pause its replay
     * ({@link Replication#pauseReplay(String)}) and query it. Its replay lag in {@code status()} includes the delay.
     * A delayed standby is never the target of a switchover or a failover (refused with kind
     * {@link OperationRefusedException.Kind#DELAYED}; an automatic failover passes it over), and never confirms
     * commits for a {@link SyncPolicy} (a policy without names leaves it out; naming it is refused at load()): a
     * commit it alone confirmed would not survive a failover, which cannot promote it.
     *
     * @param delay how long after its commit a transaction is replayed here; {@link Duration#ZERO} for none; at most
     *              {@code Integer.MAX_VALUE} milliseconds (about 24 days, PostgreSQL's limit)
     * @return a copy
     * @throws IllegalArgumentException when {@code delay} is negative or too long
     */
    public Standby withApplyDelay(Duration delay) {
        Objects.requireNonNull(delay, "apply delay must not be null: give e.g. Duration.ofHours(1), or Duration.ZERO"
                + " for none");
        if (delay.isNegative() || delay.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("apply delay " + delay + " of standby '" + name() + "' is "
                    + (delay.isNegative() ? "negative" : "longer than PostgreSQL's limit of 2147483647 ms (about 24"
                    + " days)") + ": give a duration from Duration.ZERO (no delay) to that, e.g. Duration.ofHours(1)");
        }
        return delay.isZero() ? copy(c -> c.parameters.remove(APPLY_DELAY))
                : copy(c -> c.parameters.put(APPLY_DELAY, delay.toMillis() + "ms"));
    }

    /**
     * @return how long after its commit on the primary a transaction is replayed here
     *         ({@code recovery_min_apply_delay}, from {@link #withApplyDelay} or {@link #withParameter});
     *         {@link Duration#ZERO} when it is not a delayed standby. A value that is not a time counts as a delay
     *         of one millisecond, so that such a standby is still kept out of promotions (load() reports the value).
     */
    public Duration applyDelay() {
        String raw = parameters.get(APPLY_DELAY);
        return raw == null ? Duration.ZERO
                : io.github.pgreplication.internal.SettingValues.time(raw, "ms").orElse(Duration.ofMillis(1));
    }

    /**
     * A cascading standby: it streams from another standby of the set-up instead of the primary, e.g. a server in
     * another data centre from a local standby there rather than across the ocean. Its slot is created on the
     * upstream (slots on standbys are allowed), it is cloned from the upstream, its {@code primary_conninfo} points
     * there, the upstream's pg_hba.conf admits it, and apply() checks that the upstream's
     * {@code pg_stat_replication} lists it. An upstream is set up, streaming, before its own standbys are cloned.
     * Operations keep the tree: a standby with no upstream follows whichever node is the primary, and one given an
     * upstream streams from that node whatever its role, so a switchover or a failover re-points only the standbys of
     * the old primary (the promoted node keeps its standbys; after a switchover back they cascade again). When the
     * upstream leaves the topology (a failed primary, detached), its standbys stream from the new primary. Removing
     * an upstream is refused while standbys stream from it.
     * A cascading standby never confirms commits for a {@link SyncPolicy} (the primary waits for its own WAL senders
     * only): a policy without names leaves it out, naming it is refused at load().
     *
     * <p>Unknown upstreams and cycles are refused at load(). Naming the primary streams from that node: from the
     * primary now, cascading from it once a switchover made it a standby.
     *
     * @param upstreamName the name of the node it streams from: another standby of the set-up, or the primary
     * @return a copy
     */
    public Standby streamingFrom(String upstreamName) {
        Objects.requireNonNull(upstreamName, "upstream must not be null: give the name of the standby it streams"
                + " from, e.g. streamingFrom(\"eshub\")");
        return copy(c -> c.upstream = upstreamName);
    }

    /** @return whether replay here is held back on purpose ({@link #withApplyDelay}) */
    public boolean delayed() {
        return !applyDelay().isZero();
    }

    /** Makes a standby of this one's fields as {@code change} leaves them; the constructor checks them again. */
    private Standby copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Standby(c.node, c.slotName, c.cloneMethods, c.emptyDataDirectoryAllowed, c.passfile, c.parameters,
                c.upstream);
    }

    /** This standby's fields, for a wither to change before {@link #copy} makes a standby of them. */
    private final class Copy {
        Node node = Standby.this.node;
        String slotName = Standby.this.slotName;
        List<CloneMethod> cloneMethods = Standby.this.cloneMethods;
        boolean emptyDataDirectoryAllowed = Standby.this.emptyDataDirectoryAllowed;
        String passfile = Standby.this.passfile;
        Map<String, String> parameters = new LinkedHashMap<>(Standby.this.parameters);
        String upstream = Standby.this.upstream;
    }
}
