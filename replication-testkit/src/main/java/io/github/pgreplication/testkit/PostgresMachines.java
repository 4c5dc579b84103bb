package io.github.pgreplication.testkit;

import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import io.github.pgreplication.Problem;
import io.github.pgreplication.Secret;
import io.github.pgreplication.host.Command;
import io.github.pgreplication.internal.AutoConf;
import io.github.pgreplication.internal.Text;
import io.github.pgreplication.internal.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * Bare machines for trying the library by hand: containers with PostgreSQL, pgBackRest and OpenSSH installed,
 * started in parallel on one network, with nothing configured. {@link #initDatabase(String)} turns one into a
 * running stand-alone server (the "existing primary" of the runbooks); the rest is left to the library.
 * {@link ReplicationCluster} is built on this.
 *
 * <pre>{@code
 * try (PostgresMachines machines = PostgresMachines.start(PostgresImage.resolve(17), "eshua", "eshub", "eshuc")) {
 *     ClusterNode eshua = machines.initDatabase("eshua");
 *     Replication.primary(Primary.at(eshua.internalEndpoint()).withHost(eshua.host())...)
 * }
 * }</pre>
 */
public final class PostgresMachines implements AutoCloseable {
    /** Data directory used in every machine. */
    public static final String DATA_DIRECTORY = "/var/lib/postgresql/data";
    /** Pre-initialised data directory in the project's images, copied instead of running initdb. */
    static final String TEMPLATE = "/var/lib/postgresql/template";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMachines.class);
    /** What a machine's command prints once it is ready. */
    private static final String READY = "pgreplication-machine-ready";
    /** What the start script prints when the image had no template and it ran initdb. */
    private static final String INITDB = "pgreplication-initdb";
    /**
     * A shell function {@code start_server DIR}: starts the server of data directory DIR, logging to {@code DIR.log},
     * and returns once it accepts connections, as {@code pg_ctl -w -t 120 start} does, but noticing it within 10 ms:
     * pg_ctl looks every 100 ms, and a test server here is ready about 45 ms after its start, so pg_ctl returned
     * after 110 ms. Like pg_ctl, it waits for {@code postmaster.pid} to name the process it started with the status
     * {@code ready} (or {@code standby}), and fails at once, with the log's end, when that process exits. Where
     * {@code postgres} is not on the PATH, or a {@code postmaster.pid} is there already (pg_ctl's checks are then
     * wanted), it is {@code pg_ctl -w -t 120 start}.
     */
    static final String START_SERVER = "start_server() {"
            + " if ! pg=$(command -v postgres) || [ -e \"$1/postmaster.pid\" ]; then"
            + " pg_ctl -D \"$1\" -w -t 120 -l \"$1.log\" start; return; fi;"
            + " \"$pg\" -D \"$1\" </dev/null >>\"$1.log\" 2>&1 & pid=$!; i=0;"
            + " while :; do p=; s=; if [ -f \"$1/postmaster.pid\" ]; then"
            + " { read -r p; read -r x; read -r x; read -r x; read -r x; read -r x; read -r x; read -r s; }"
            + " < \"$1/postmaster.pid\" || :; fi;"
            + " if [ \"$p\" = \"$pid\" ]; then"
            + " case \"$s\" in ready*|standby*) echo 'server started'; return;; esac; fi;"
            + " if ! kill -0 \"$pid\" 2>/dev/null; then"
            + " echo \"the server exited as it started; the end of $1.log:\" >&2;"
            + " tail -n 15 \"$1.log\" >&2; return 1; fi;"
            + " i=$((i + 1)); if [ \"$i\" -gt 12000 ]; then"
            + " echo 'the server did not start within 120 s' >&2; return 1; fi;"
            + " sleep 0.01 2>/dev/null || sleep 1; done; };";
    /** SCRAM iterations of the superuser's random password: see {@link #superuserVerifier(Secret)}. */
    static final int SUPERUSER_SCRAM_ITERATIONS = 64;

    private final Network network;
    private final boolean ownsNetwork;
    private final Map<String, ClusterNode> machines;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Machines whose container copied the template into the data directory as it started. */
    private final java.util.Set<String> copied;

    private PostgresMachines(Network network, boolean ownsNetwork, Map<String, ClusterNode> machines,
            java.util.Set<String> copied) {
        this.network = network;
        this.ownsNetwork = ownsNetwork;
        this.machines = machines;
        this.copied = copied;
    }

    /**
     * Starts one container per name, in parallel, on a new network. Each container's network alias and host name
     * is its name. The superuser password is random and shared (standbys are copies of the primary).
     *
     * @param image image to run, e.g. {@code PostgresImage.resolve(17)}
     * @param names machine names: letters, digits, underscores
     * @return the running machines
     */
    public static PostgresMachines start(String image, String... names) {
        return start(image, List.of(names), java.util.Set.of());
    }

    /**
     * @param major PostgreSQL major version; its image as {@link PostgresImage#resolve(int)} finds it
     * @param names machine names
     * @return the running machines, as {@link #start(String, String...)} starts them
     */
    public static PostgresMachines start(int major, String... names) {
        return start(PostgresImage.resolve(major), names);
    }

    /**
     * Like {@link #start(String, String...)}, but the machines in {@code unpublished} publish no port to the Docker
     * host: they are reachable only from the other machines, like the second runbook's standby.
     *
     * @param image       image to run
     * @param names       machine names
     * @param unpublished names of machines that publish no port
     * @return the running machines
     */
    public static PostgresMachines start(String image, List<String> names, java.util.Set<String> unpublished) {
        check(image, names); // before the network is made: a refusal leaves nothing behind
        PostgresMachines machines = create(image, ClusterNetwork.create(), true, names, unpublished, false);
        try {
            machines.startAsync(names).join();
        } catch (RuntimeException e) {
            machines.close();
            throw e;
        }
        return machines;
    }

    /** Creates the machines without starting any container. */
    static PostgresMachines create(String image, Network network, boolean ownsNetwork, List<String> names) {
        return create(image, network, ownsNetwork, names, java.util.Set.of(), false);
    }

    /**
     * Creates the machines without starting any container.
     *
     * @param unpublished machines whose ports are not published to the Docker host (reachable only from the
     *                    network, like the second runbook's standby that opens no inbound port)
     * @param inMemory    whether data directories live in memory (a tmpfs volume at {@link #DATA_DIRECTORY}):
     *                    for non-durable test clusters, whose copies, clones and WAL then never touch the disk
     */
    static PostgresMachines create(String image, Network network, boolean ownsNetwork, List<String> names,
            java.util.Set<String> unpublished, boolean inMemory) {
        return create(image, network, ownsNetwork, names, unpublished, inMemory, java.util.Set.of());
    }

    /**
     * As {@link #create(String, Network, boolean, List, java.util.Set, boolean)}.
     *
     * @param copied machines whose container copies the image's pre-initialised template into the data directory
     *               as it starts (before it reports ready), for {@link #initDatabase(String, Map)} later: the copy
     *               then costs no round trip, and is done in advance for prepared machines ({@link SpareMachines})
     */
    static PostgresMachines create(String image, Network network, boolean ownsNetwork, List<String> names,
            java.util.Set<String> unpublished, boolean inMemory, java.util.Set<String> copied) {
        check(image, names);
        Secret password = Secret.of("super-" + UUID.randomUUID());
        Map<String, ClusterNode> nodes = new LinkedHashMap<>();
        for (String name : names) {
            // Fixed host ports: a partition's heal reconnects the container, which re-publishes these same ports.
            int[] ports = unpublished.contains(name) ? null
                    : new int[] {ClusterNetwork.freePort(), ClusterNetwork.freePort()};
            nodes.put(name, new ClusterNode(name, container(image, network, name, ports, inMemory,
                    copied.contains(name)), DATA_DIRECTORY, password, ports, network));
        }
        return new PostgresMachines(network, ownsNetwork, nodes, java.util.Set.copyOf(copied));
    }

    /**
     * @param image the machines' image
     * @param names their names
     * @throws IllegalArgumentException for either
     */
    private static void check(String image, List<String> names) {
        PostgresImage.checked(image, "the machines' image");
        checkNames("machine name", names);
    }

    /**
     * @param what  what the names are, for the refusal: {@code machine name}, {@code standby name}
     * @param names machine names
     * @throws IllegalArgumentException for a name that is not 1 to 63 letters, digits or underscores (the core's rule
     *                                  for standby names), or one given twice
     */
    static void checkNames(String what, List<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : names) {
            String rule = Validator.nodeNameProblem(name, false);
            if (rule != null) {
                // The core's rule, with no slot given: a machine's node takes the slot <name>_slot.
                throw Values.refused(what + " '" + Problem.shown(name) + "'", rule.equals(Validator.NODE_NAME_RULE)
                        ? "must be 1 to 63 letters, digits or underscores (it is the container's host name and"
                        + " network alias, and the node's name in the core)" : rule, "Use e.g. \"standby1\"");
            }
            if (!seen.add(name)) {
                throw Values.refused(what + " '" + Problem.shown(name) + "'",
                        "is given twice: every machine has a name of its own",
                        "Give each a different name, e.g. \"standby1\", \"standby2\"");
            }
        }
    }

    /**
     * @param names machines to start, in parallel
     * @return completes when all are running, in-memory data directories ready to be cloned into
     */
    CompletableFuture<Void> startAsync(List<String> names) {
        List<Startable> some = new ArrayList<>();
        names.forEach(n -> some.add(machine(n).container()));
        return Startables.deepStart(some);
    }

    @SuppressWarnings("resource")
    /** @param ports host ports for PostgreSQL and SSH, or null to publish none */
    private static GenericContainer<?> container(String image, Network network, String alias, int[] ports,
            boolean inMemory, boolean copyTemplate) {
        GenericContainer<?> container = new GenericContainer<>(image);
        if (ports != null) {
            container.withExposedPorts(ClusterNode.PORT, ClusterNode.SSH_PORT);
            container.setPortBindings(List.of(ports[0] + ":" + ClusterNode.PORT, ports[1] + ":" + ClusterNode.SSH_PORT));
        }
        return container
                .withStartupCheckStrategy(new RunningCheck())
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withHostName(alias).getHostConfig().withInit(true);
                    if (inMemory) {
                        cmd.getHostConfig().withMounts(List.of(inMemoryDataDirectory()));
                    }
                })
                // PostgreSQL is started later, by initDatabase or the library's ServiceControl. An in-memory data
                // directory is the root of a new tmpfs, owned by root: the container gives it to postgres first.
                // A machine that initDatabase will make a server copies the image's template now, when it has one
                // (as root, keeping owners and modes; initDatabase runs initdb otherwise).
                .withCommand("sh", "-c", "set -e; if [ \"$1\" = in-memory ]; then chown postgres:postgres \"$2\";"
                        + " chmod 0700 \"$2\"; fi; if [ \"$3\" = copy ] && [ -d \"$4\" ]; then cp -a -T \"$4\" \"$2\";"
                        + " fi; echo " + READY + "; exec sleep infinity", "sh",
                        inMemory ? "in-memory" : "on-disk", DATA_DIRECTORY, copyTemplate ? "copy" : "no-copy", TEMPLATE)
                .waitingFor(Wait.forLogMessage(READY + "\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * An anonymous volume on tmpfs, mounted at {@link #DATA_DIRECTORY}. Not Docker's plain tmpfs mount: Docker's
     * archive API, which {@link ContainerHost} reads and writes files through, does not see those (it reaches the
     * directory underneath), while volumes are mounted by the daemon itself. Removed with the container.
     */
    private static Mount inMemoryDataDirectory() {
        return new Mount().withType(MountType.VOLUME).withTarget(DATA_DIRECTORY)
                .withVolumeOptions(new VolumeOptions().withDriverConfig(new Driver().withName("local")
                        .withOptions(Map.of("type", "tmpfs", "device", "tmpfs", "o", "mode=0700"))));
    }

    /** @return whether every machine's container runs now (Docker is asked) */
    boolean allRunning() {
        return machines.values().stream().allMatch(n -> n.container().isRunning());
    }

    /**
     * @param name a machine's name
     * @return it
     */
    public ClusterNode machine(String name) {
        ClusterNode node = machines.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no machine named '" + Text.printable(name) + "'; machines are "
                    + machines.keySet());
        }
        return node;
    }

    /** @return every machine, in start order */
    public List<ClusterNode> machines() {
        return List.copyOf(machines.values());
    }

    /** @return the network the machines share */
    public Network network() {
        return network;
    }

    /**
     * Makes a machine a running stand-alone server: a data directory (copied from the image's pre-initialised
     * template, or made with initdb when the image has none), listening on all addresses, admitting superuser
     * connections from anywhere with SCRAM (the test connects through a mapped port), started with pg_ctl, and
     * given a fresh random superuser password. The password travels only as a SCRAM verifier in a 0600 file,
     * removed afterwards. On PostgreSQL 16+, the superuser's sessions get {@code scram_iterations} =
     * {@value #SUPERUSER_SCRAM_ITERATIONS} (see {@link #superuserVerifier}). Nothing about replication.
     *
     * @param name the machine
     * @return the machine
     */
    public ClusterNode initDatabase(String name) {
        return initDatabase(name, Map.of());
    }

    /**
     * As {@link #initDatabase(String)}, with settings written into postgresql.auto.conf before the first start
     * (for settings that need a restart, such as {@code wal_log_hints}).
     *
     * @param name     the machine
     * @param settings parameter names and values, written as ALTER SYSTEM would
     * @return the machine
     * @throws IllegalArgumentException for a name that is not a parameter name, or a value with a control character
     */
    public ClusterNode initDatabase(String name, Map<String, String> settings) {
        ClusterNode node = machine(name);
        String autoConf = autoConf(settings);
        ContainerHost host = node.host();
        // Staged beside the data directory while the template is copied, moved in by the start script below.
        String hba = "/var/lib/postgresql/.pgreplication-pg_hba.conf";
        String conf = "/var/lib/postgresql/.pgreplication-postgresql.auto.conf";
        String sql = "/var/lib/postgresql/.pgreplication-set-password.sql";
        String verifier = superuserVerifier(node.password());
        CompletableFuture<Void> staged = CompletableFuture.runAsync(() -> host.writeFiles(Map.of(
                conf, autoConf,
                hba, String.join("\n",
                        "# written by the pgreplication testkit",
                        "local all all trust",
                        "host all all all scram-sha-256",
                        "local replication all trust",
                        ""),
                sql, "ALTER ROLE postgres PASSWORD '" + verifier + "';\n"
                        // PostgreSQL 16+: the library's sessions as postgres hash new passwords (the replication
                        // role's) with as few iterations, see superuserVerifier.
                        + "SELECT current_setting('server_version_num')::int >= 160000 AS scram_iterations_known \\gset\n"
                        + "\\if :scram_iterations_known\n"
                        + "ALTER ROLE postgres SET scram_iterations = " + SUPERUSER_SCRAM_ITERATIONS + ";\n"
                        + "\\endif\n"), "0600"));
        try {
            if (!copied.contains(name)) {
                // As root (the template may be readable by postgres only), keeping owners and modes. A machine whose
                // container copied it as it started skips this; without a template, the script below runs initdb.
                host.as("root").execute(Command.of("cp", "-a", "-T", TEMPLATE, DATA_DIRECTORY));
            }
            staged.join();
        } catch (RuntimeException e) {
            staged.handle((ok, failed) -> null).join();
            host.execute(Command.of("rm", "-f", "--", hba, conf, sql));
            throw e instanceof CompletionException c && c.getCause() instanceof RuntimeException cause ? cause : e;
        }
        // One round trip: initdb when no template was copied, configuration in place, start (START_SERVER: as
        // ServiceControl.pgCtl() does, logging to DIR.log), set the password; the staged files (the password's SCRAM
        // verifier among them) are removed whatever happens.
        String out = host.run(Command.of("sh", "-c", "set -e; trap 'rm -f -- \"$2\" \"$3\" \"$4\"' EXIT;"
                + " if [ ! -e \"$1/PG_VERSION\" ]; then echo " + INITDB + "; initdb -D \"$1\" -U postgres"
                + " --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-locale -N >/dev/null; fi;"
                + " mv -- \"$2\" \"$1/pg_hba.conf\"; mv -- \"$3\" \"$1/postgresql.auto.conf\"; " + START_SERVER
                + " start_server \"$1\"; psql -X -q -v ON_ERROR_STOP=1 -d postgres -f \"$4\"",
                "sh", DATA_DIRECTORY, hba, conf, sql)).stdout();
        LOG.debug("[{}] database {} and started", name, out.contains(INITDB) ? "initialised" : "copied from the template");
        return node;
    }

    /**
     * @param settings parameter names and values
     * @return postgresql.auto.conf as ALTER SYSTEM writes it: {@code listen_addresses = '*'}, then each setting with
     *         its quotes and backslashes doubled (PostgreSQL reads backslash escapes in a quoted value)
     * @throws IllegalArgumentException for a name that is not a parameter name, or a value with a control character
     */
    static String autoConf(Map<String, String> settings) {
        java.util.Objects.requireNonNull(settings, "settings");
        StringBuilder autoConf = new StringBuilder("listen_addresses = '*'\n");
        settings.forEach((k, v) -> {
            if (!Validator.isParameterName(k)) {
                throw Values.refused("parameter name '" + Problem.shown(k) + "'", Validator.PARAMETER_RULE
                        + " (it is written into postgresql.auto.conf as it is)", "Check the spelling,"
                        + " e.g. Map.of(\"wal_log_hints\", \"on\")");
            }
            java.util.Objects.requireNonNull(v, () -> "value of " + k);
            if (Text.hasControl(v)) {
                throw Values.refused("value of " + k + " '" + Problem.shown(v) + "'", Validator.CONTROL_RULE,
                        "Write the value on one line");
            }
            autoConf.append(k).append(" = ").append(AutoConf.quote(v)).append('\n');
        });
        return autoConf.toString();
    }

    /**
     * The superuser's SCRAM-SHA-256 verifier, with {@value #SUPERUSER_SCRAM_ITERATIONS} iterations instead of the
     * usual 4096. The iteration count only slows down guessing a password from a stolen verifier, and this password
     * is a random UUID (122 random bits) that lives as long as the test's containers: no count makes guessing it any
     * harder. This verifier, and every connection the test JVM opens as the superuser (the library's pools, the
     * test's), pays the count on the client, first in a JVM whose SHA-256 is not yet compiled: at 4096, about 65 ms
     * for the first in a fresh JVM and 10 to 20 ms for each of the next few; at 64, about 1 ms. The replication
     * role's verifier is computed by the library, which honours the server's {@code scram_iterations} (PostgreSQL
     * 16+): the testkit sets it to the same count for the superuser's sessions ({@code ALTER ROLE postgres SET}), so
     * that the replication role, whose password is random too unless the test gives one, gets as few.
     */
    static String superuserVerifier(Secret password) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return PasswordUtil.encodeScramSha256(password.reveal().orElseThrow().toCharArray(), SUPERUSER_SCRAM_ITERATIONS,
                salt);
    }

    /**
     * Undoes every container fault (unpauses, reconnects: a paused container cannot be stopped), stops every
     * container (in parallel), closes pools and the network. Closing again does nothing.
     */
    @Override
    public void close() {
        // Once: a closed Testcontainers network, asked for its id again, would be created anew.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        machines.values().parallelStream().forEach(n -> {
            n.undoContainerFaults();
            n.close();
            try {
                n.container().stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping {}", n.name(), e);
            }
        });
        if (ownsNetwork) {
            try {
                ClusterNetwork.close(network);
            } catch (RuntimeException e) {
                LOG.debug("closing network", e);
            }
        }
    }
}
