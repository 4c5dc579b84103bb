package io.github.pgreplication.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.pgreplication.CommandFailedException;
import io.github.pgreplication.DataSize;
import io.github.pgreplication.Endpoint;
import io.github.pgreplication.Lsn;
import io.github.pgreplication.Secret;
import io.github.pgreplication.host.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import io.github.pgreplication.testkit.ReplicationCluster.CatchupMode;

/**
 * One PostgreSQL server of a {@link ReplicationCluster}, in its own container: its name (also its network alias
 * and, for standbys, its application_name), how to reach it from the test (JDBC URL, pooled DataSource), and its
 * {@link ContainerHost} for commands.
 *
 * <p>Faults, named as PostgreSQL's own test harness names them ({@code Cluster.pm}): {@link #stop(StopMode)},
 * {@link #start()}, {@link #restart()}, {@link #kill9()}, {@link #pause()} / {@link #unpause()} of the container,
 * {@link #partition()} / {@link #heal()} from the cluster's network, and on a standby {@link #pauseReplay()} /
 * {@link #resumeReplay()} and {@link #applyDelay(Duration)}. Each is undone when the cluster closes or
 * {@link ReplicationCluster#restore()} runs.
 *
 * <pre>{@code
 * ClusterNode standby = cluster.standby(0);
 * standby.partition();                 // cut off: the primary drops it after wal_sender_timeout
 * ...
 * standby.heal();                      // same name and address: it reconnects by itself
 * cluster.awaitCatchup(standby, CatchupMode.REPLAY, cluster.primary().lsn(LsnMode.INSERT));
 * }</pre>
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    /** Port PostgreSQL listens on inside the container. */
    public static final int PORT = 5432;
    /** Port sshd listens on inside the container, once {@link #startSshd()} ran. */
    public static final int SSH_PORT = 22;

    private final String name;
    private final GenericContainer<?> container;
    private final String dataDirectory;
    private final Secret superuserPassword;
    /** Host ports of PostgreSQL and SSH, fixed at creation; null when unpublished. */
    private final int[] hostPorts;
    private final ContainerFaults faults;
    private volatile HikariDataSource dataSource;
    private volatile boolean stopped;
    private volatile boolean replayPaused;
    private volatile boolean applyDelaySet;

    private volatile TlsMaterial tls;
    private volatile String tlsParameters;

    ClusterNode(String name, GenericContainer<?> container, String dataDirectory, Secret superuserPassword,
            int[] hostPorts, Network network) {
        this.name = name;
        this.container = container;
        this.dataDirectory = dataDirectory;
        this.superuserPassword = superuserPassword;
        this.hostPorts = hostPorts == null ? null : hostPorts.clone();
        this.faults = new ContainerFaults(name, container, network);
    }

    /** @return whether the node's ports are published to the Docker host (false: reachable only in the network) */
    public boolean published() {
        return hostPorts != null;
    }

    /**
     * Runs a query with {@code psql} inside the container, over the local socket: works for every node, including
     * one that publishes no port.
     *
     * @param sql a statement
     * @return its result rows, one per line, columns separated by {@code |}, without trailing newline
     */
    public String query(String sql) {
        return host().run(Command.of("psql", "-X", "-A", "-t", "-q", "-v",
                "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql)).stdout().strip();
    }

    /** @return the node's name and network alias */
    public String name() {
        return name;
    }

    /** @return the container */
    public GenericContainer<?> container() {
        return container;
    }

    /** @return a host running commands as {@code postgres} in the container */
    public ContainerHost host() {
        return ContainerHost.of(container, "postgres");
    }

    /** @return the data directory inside the container */
    public String dataDirectory() {
        return dataDirectory;
    }

    /** @return the address other nodes use: network alias and 5432 */
    public Endpoint internalEndpoint() {
        return Endpoint.of(name, PORT);
    }

    /** @return the address the test uses: Docker host and mapped port */
    public Endpoint endpoint() {
        if (!published()) {
            throw new IllegalStateException("node '" + name + "' publishes no port (like the second runbook's"
                    + " standby); use query(sql), which runs psql inside the container");
        }
        // The fixed host port, known before the container runs (what Docker maps, since it was bound at creation).
        return Endpoint.of(container.getHost(), hostPorts[0]);
    }

    /**
     * @return a JDBC URL to the {@code postgres} database, for the test; with the cluster's TLS parameters
     *         ({@code sslmode=verify-full}, the CA, the admin's certificate and key) when it has TLS
     */
    public String jdbcUrl() {
        String url = endpoint().jdbcUrl("postgres");
        return tlsParameters == null ? url : url + "?" + tlsParameters;
    }

    /**
     * A TLS cluster's material, as a test needs it to connect with {@code sslmode=verify-full} and a client
     * certificate: files on the test JVM's side (readable by their owner only), and the PEM behind them.
     *
     * <pre>{@code
     * ClusterNode.TlsMaterial tls = cluster.primary().tls().orElseThrow();
     * String url = "jdbc:postgresql://" + cluster.primary().endpoint() + "/postgres?sslmode=verify-full&sslrootcert="
     *         + tls.rootCertificateFile() + "&sslcert=" + tls.certificateFile() + "&sslkey=" + tls.keyFile()
     *         + "&pemKeyAlgorithm=EC";
     * }</pre>
     *
     * @param ca                  the cluster's CA ({@link TestCa#certificatePem()}); it can issue more certificates
     * @param rootCertificateFile the CA's certificate in a file ({@code sslrootcert})
     * @param client              the admin user's client certificate (CN = the superuser) and key
     * @param certificateFile     that certificate in a file ({@code sslcert})
     * @param keyFile             its key in a file, PKCS#8 PEM ({@code sslkey}; PgJDBC needs
     *                            {@code pemKeyAlgorithm=EC} for it)
     * @param server              this node's server certificate (CN = the node's name)
     */
    public record TlsMaterial(TestCa ca, Path rootCertificateFile, TestCa.Issued client, Path certificateFile,
            Path keyFile, TestCa.Issued server) {
    }

    /** @return the cluster's TLS material with this node's server certificate; empty when the cluster has no TLS */
    public Optional<TlsMaterial> tls() {
        return Optional.ofNullable(tls);
    }

    /** Set once by a TLS cluster before anyone connects. */
    void tls(TlsMaterial material, String jdbcParameters) {
        this.tls = material;
        this.tlsParameters = jdbcParameters;
    }

    /**
     * Starts OpenSSH's server in the container, with host keys generated for this container alone. Idempotent.
     *
     * @return this node
     */
    public ClusterNode startSshd() {
        ContainerHost root = host().as("root");
        if (!root.exists("/run/sshd.pid")) {
            root.run(Command.of("ssh-keygen", "-A"));
            root.run(Command.of("/usr/sbin/sshd"));
        }
        return this;
    }

    /** @return the container's ed25519 SSH host public key line ({@code ssh-ed25519 AAAA... root@name}) */
    public String sshHostKey() {
        return host().as("root").readFile("/etc/ssh/ssh_host_ed25519_key.pub").orElseThrow().strip();
    }

    /** @return the address the test reaches sshd at: Docker host and mapped port */
    public Endpoint sshEndpoint() {
        if (!published()) {
            throw new IllegalStateException("node '" + name + "' publishes no port");
        }
        return Endpoint.of(container.getHost(), hostPorts[1]);
    }

    /** @return the superuser name: {@code postgres} */
    public String username() {
        return "postgres";
    }

    /** @return the superuser's password */
    public Secret password() {
        return superuserPassword;
    }

    /** @return a small HikariCP pool to this node as the superuser, created on first use, closed with the cluster */
    public DataSource dataSource() {
        if (dataSource == null) {
            synchronized (this) {
                if (dataSource == null) {
                    HikariConfig config = new HikariConfig();
                    config.setPoolName("testkit-" + name);
                    config.setJdbcUrl(jdbcUrl());
                    config.setUsername(username());
                    config.setPassword(superuserPassword.reveal().orElseThrow());
                    config.setMaximumPoolSize(4);
                    config.setMinimumIdle(0);
                    config.setInitializationFailTimeout(-1);
                    dataSource = new HikariDataSource(config);
                }
            }
        }
        return dataSource;
    }

    /**
     * Stops the server: {@code pg_ctl stop -m fast|immediate|smart}, waiting until it is down.
     *
     * @param mode how; {@link StopMode#IMMEDIATE} is a crash as far as the data directory knows
     * @return this node
     */
    public ClusterNode stop(StopMode mode) {
        Objects.requireNonNull(mode, "mode");
        host().run(Command.of("pg_ctl", "-D", dataDirectory, "-w", "-t", "60", "-m", mode.pgCtl(), "stop")
                .withTimeout(Duration.ofSeconds(90)));
        stopped = true;
        LOG.info("[{}] stopped ({})", name, mode.pgCtl());
        return this;
    }

    /**
     * Stops the server with {@link StopMode#FAST}.
     *
     * @return this node
     */
    public ClusterNode stop() {
        return stop(StopMode.FAST);
    }

    /**
     * Starts the server as its data directory says (a standby stays a standby), waiting until it accepts
     * connections; the log goes to {@link #serverLogPath()}. Right after {@link #kill9()} the old server's
     * processes may still hold its shared memory for a moment: the start is retried for up to 10 s.
     *
     * @return this node
     */
    public ClusterNode start() {
        Command start = Command.of("pg_ctl", "-D", dataDirectory, "-w", "-t", "120", "-l", serverLogPath(), "start")
                .withTimeout(Duration.ofSeconds(150));
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (true) {
            try {
                host().run(start);
                break;
            } catch (CommandFailedException e) {
                if (System.nanoTime() > deadline || !serverLogTail(5).contains("is still in use")) {
                    throw e;
                }
                sleep(100);
            }
        }
        stopped = false;
        LOG.info("[{}] started", name);
        return this;
    }

    /**
     * Stops the server ({@link StopMode#FAST}) and starts it again.
     *
     * @return this node
     */
    public ClusterNode restart() {
        return stop(StopMode.FAST).start();
    }

    /**
     * Kills the postmaster with SIGKILL ({@code pg_ctl kill KILL <pid>}), as a crash or the OOM killer would, and
     * waits until it is gone and its children, which notice and exit on their own, are gone too: a backend that was
     * finishing a commit cannot acknowledge it after this returns. {@link #start()} brings it back through crash
     * recovery.
     *
     * @return this node
     * @throws IllegalStateException when no server runs (no {@code postmaster.pid})
     */
    public ClusterNode kill9() {
        String pid = host().readFile(dataDirectory + "/postmaster.pid")
                .map(text -> text.lines().findFirst().orElse("").strip()).filter(p -> p.matches("[0-9]+"))
                .orElseThrow(() -> new IllegalStateException("node '" + name + "' runs no server: "
                        + dataDirectory + "/postmaster.pid is missing or empty; start() it first"));
        host().run(Command.of("pg_ctl", "kill", "KILL", pid));
        stopped = true;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (host().exists("/proc/" + pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node '" + name + "': postmaster " + pid + " still exists "
                        + KILL_WAIT.toSeconds() + " s after SIGKILL");
            }
            sleep(20);
        }
        // Its children exit once they notice (a backend at its next wait): none may still answer a client.
        while (host().execute(Command.of("pgrep", "-x", "postgres")).succeeded()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node '" + name + "': postgres processes still run "
                        + KILL_WAIT.toSeconds() + " s after the postmaster's SIGKILL");
            }
            sleep(10);
        }
        LOG.info("[{}] postmaster {} killed with SIGKILL", name, pid);
        return this;
    }

    /**
     * Freezes every process of the container ({@code docker pause}): sockets stay open, nothing answers, peers see
     * a silent server until their timeouts fire. Commands and {@link #query(String)} fail until {@link #unpause()}.
     *
     * @return this node
     */
    public ClusterNode pause() {
        faults.pause();
        return this;
    }

    /**
     * Thaws the container after {@link #pause()}. Does nothing when it is not paused.
     *
     * @return this node
     */
    public ClusterNode unpause() {
        faults.unpause();
        return this;
    }

    /**
     * Cuts the node off from the cluster's network ({@code docker network disconnect}): peers cannot reach it,
     * it reaches no peer, and its published ports are closed until {@link #heal()}; {@link #query(String)} still
     * works (it runs inside the container). A standby's WAL receiver gives up after {@code wal_receiver_timeout},
     * the primary drops the connection after {@code wal_sender_timeout} (both short in test clusters).
     *
     * @return this node
     */
    public ClusterNode partition() {
        faults.partition();
        return this;
    }

    /**
     * Reconnects the node after {@link #partition()} with the same network aliases, address and published ports,
     * so a standby reconnects by itself (its retries run every {@code wal_retrieve_retry_interval}). Does nothing
     * when it is not partitioned.
     *
     * @return this node
     */
    public ClusterNode heal() {
        faults.heal();
        return this;
    }

    /**
     * Limits what the node's container sends to the given rate, as a link of that bandwidth would (the kernel's token
     * bucket filter, {@code tc qdisc replace dev eth0 root tbf rate ...}, run on the Docker host in the container's
     * network namespace through {@code nsenter}: needs root there, and {@code tc} and {@code nsenter} from iproute2 and
     * util-linux). Only its egress is shaped: limit a clone's source to model the link a standby clones over. Replaces
     * an earlier limit; undone by {@link #unlimitBandwidth()} and when the cluster restores its nodes.
     *
     * <pre>{@code
     * primary.limitBandwidth(DataSize.ofMegabytes(12));   // about 100 Mbit/s
     * }</pre>
     *
     * @param perSecond bytes per second, at least 1 kB
     * @return this node
     */
    public ClusterNode limitBandwidth(DataSize perSecond) {
        faults.limitBandwidth(perSecond);
        return this;
    }

    /**
     * Removes the limit of {@link #limitBandwidth(DataSize)}. Does nothing without one.
     *
     * @return this node
     */
    public ClusterNode unlimitBandwidth() {
        faults.unlimitBandwidth();
        return this;
    }

    /** @return whether the container is paused by {@link #pause()} */
    public boolean paused() {
        return faults.paused();
    }

    /** @return whether the node is cut off by {@link #partition()} */
    public boolean partitioned() {
        return faults.partitioned();
    }

    /**
     * On a standby: pauses WAL replay ({@code pg_wal_replay_pause()}); WAL is still received, nothing new becomes
     * visible to its queries until {@link #resumeReplay()}.
     *
     * @return this node
     * @throws IllegalStateException when the node is not in recovery
     */
    public ClusterNode pauseReplay() {
        standbyOnly("pauseReplay()", "SELECT pg_wal_replay_pause()");
        replayPaused = true;
        return this;
    }

    /**
     * On a standby: resumes WAL replay ({@code pg_wal_replay_resume()}).
     *
     * @return this node
     * @throws IllegalStateException when the node is not in recovery
     */
    public ClusterNode resumeReplay() {
        standbyOnly("resumeReplay()", "SELECT pg_wal_replay_resume()");
        replayPaused = false;
        return this;
    }

    /**
     * On a standby: delays the replay of each commit until {@code delay} after it was committed on the primary
     * ({@code recovery_min_apply_delay}, by ALTER SYSTEM and a reload), which is what a lagging replica looks like
     * to an application. {@link Duration#ZERO} removes the setting.
     *
     * @param delay the delay, milliseconds precision; zero removes it
     * @return this node
     * @throws IllegalArgumentException when {@code delay} is negative
     * @throws IllegalStateException    when the node is not in recovery
     */
    public ClusterNode applyDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("applyDelay(" + delay + "): the delay must be zero or more;"
                    + " Duration.ZERO removes it");
        }
        standbyOnly("applyDelay(" + delay + ")", delay.isZero() ? "ALTER SYSTEM RESET recovery_min_apply_delay"
                : "ALTER SYSTEM SET recovery_min_apply_delay = '" + delay.toMillis() + "ms'");
        query("SELECT pg_reload_conf()");
        applyDelaySet = !delay.isZero();
        LOG.info("[{}] recovery_min_apply_delay {}", name, delay.isZero() ? "removed" : delay.toMillis() + " ms");
        return this;
    }

    private void standbyOnly(String verb, String sql) {
        String inRecovery = query("SELECT pg_is_in_recovery()");
        if (!"t".equals(inRecovery)) {
            throw new IllegalStateException(verb + " works on a standby only, and node '" + name + "' is not in"
                    + " recovery (pg_is_in_recovery() = " + inRecovery + ")");
        }
        query(sql);
    }

    /**
     * A WAL position of this node, as {@code Cluster.pm}'s {@code lsn($mode)} reads it.
     *
     * @param mode {@link LsnMode#INSERT}, {@link LsnMode#WRITE}, {@link LsnMode#FLUSH} on a primary;
     *             {@link LsnMode#RECEIVE}, {@link LsnMode#REPLAY} on a standby
     * @return the position
     * @throws IllegalStateException when the node has no such position (a primary mode on a standby, or the
     *                               reverse, or nothing received yet), naming the node and what it is
     */
    public Lsn lsn(LsnMode mode) {
        Objects.requireNonNull(mode, "mode");
        String[] row = query("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() = " + mode.onStandby()
                + " THEN " + mode.function() + "::text END").split("\\|", -1);
        if (row.length < 2 || row[1].isEmpty()) {
            String what = "t".equals(row[0]) ? "a standby" : "a primary";
            throw new IllegalStateException("node '" + name + "' reports no " + mode.name().toLowerCase()
                    + " LSN: it is " + what + ", and " + mode.function() + " is "
                    + (mode.onStandby() == "t".equals(row[0]) ? "null (nothing received by streaming yet)"
                    : "for " + (mode.onStandby() ? "standbys" : "primaries") + " only"));
        }
        return Lsn.parse(row[1]);
    }

    /**
     * @return the node's timeline: on a primary the one it writes (from its current WAL file name), on a standby
     *         the one it receives (or the one of its last restart point when no WAL receiver runs)
     */
    public int timeline() {
        return Integer.parseInt(query(NodeReport.TIMELINE_SQL));
    }

    /** @return where the server writes its log in the container: beside the data directory, {@code DIR.log} */
    public String serverLogPath() {
        return dataDirectory + ".log";
    }

    /**
     * @param lines how many lines, from the end
     * @return the last lines of the server log, or a line saying why it could not be read
     */
    public String serverLogTail(int lines) {
        try {
            List<String> all = host().readFile(serverLogPath()).orElse("(no server log at " + serverLogPath() + ")")
                    .lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (RuntimeException e) {
            return "(server log " + serverLogPath() + " unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Puts the node back as the cluster started it: unpaused, connected, running, replay resumed, no apply delay.
     * Failures are logged and the next fault undone all the same.
     *
     * @param mayStart whether a node this testkit stopped or killed is started as its data directory says; false for
     *                 a node the topology detached (a failed-over primary), which would start as a second primary
     */
    void restore(boolean mayStart) {
        faults.undo();
        undo("start", () -> {
            if (stopped && mayStart) {
                start();
            }
        });
        undo("resume replay", () -> {
            if (replayPaused) {
                resumeReplay();
            }
        });
        undo("remove the apply delay", () -> {
            if (applyDelaySet) {
                applyDelay(Duration.ZERO);
            }
        });
    }

    /** The core started the server (a rejoin): nothing of this node's own stop is left to undo. */
    void startedByTheCore() {
        stopped = false;
    }

    /** @return whether a server runs in the data directory ({@code pg_ctl status}), whoever started or stopped it */
    boolean serverRunning() {
        return host().execute(Command.of("pg_ctl", "status", "-D", dataDirectory)).succeeded();
    }

    /** Unpauses and reconnects the container: what must be undone before it can be stopped and removed. */
    void undoContainerFaults() {
        faults.undo();
    }

    private void undo(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not {} while restoring the node", name, what, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    public String toString() {
        return name + " (" + jdbcUrl() + ")";
    }

    /**
     * Which WAL position {@link ClusterNode#lsn(LsnMode)} reads, as PostgreSQL's own harness names them
     * ({@code Cluster.pm}'s {@code lsn($mode)}).
     */
    public enum LsnMode {
        /** On a primary: the end of the last inserted WAL record, {@code pg_current_wal_insert_lsn()}. */
        INSERT("pg_current_wal_insert_lsn()", false),
        /** On a primary: the position written out to the kernel, {@code pg_current_wal_lsn()}. */
        WRITE("pg_current_wal_lsn()", false),
        /** On a primary: the position flushed to disk, {@code pg_current_wal_flush_lsn()}. */
        FLUSH("pg_current_wal_flush_lsn()", false),
        /** On a standby: the last position received and flushed by streaming, {@code pg_last_wal_receive_lsn()}. */
        RECEIVE("pg_last_wal_receive_lsn()", true),
        /** On a standby: the last position replayed, {@code pg_last_wal_replay_lsn()}. */
        REPLAY("pg_last_wal_replay_lsn()", true);

        private final String function;
        private final boolean standby;

        LsnMode(String function, boolean standby) {
            this.function = function;
            this.standby = standby;
        }

        /** @return the SQL function call that reads it */
        String function() {
            return function;
        }

        /** @return whether the position exists on a standby only (else on a primary only) */
        boolean onStandby() {
            return standby;
        }
    }
}
