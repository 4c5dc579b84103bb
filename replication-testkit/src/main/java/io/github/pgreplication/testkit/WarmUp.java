package io.github.pgreplication.testkit;

import io.github.pgreplication.Endpoint;
import io.github.pgreplication.HbaRule;
import io.github.pgreplication.Primary;
import io.github.pgreplication.Replication;
import io.github.pgreplication.ReplicationRole;
import io.github.pgreplication.Secret;
import io.github.pgreplication.Standby;
import io.github.pgreplication.clone.BaseBackup;
import io.github.pgreplication.host.LocalHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first cluster of a JVM waits about 1.5 s for Docker to start its containers, and then loads and compiles, on
 * its critical path, the code that sets up replication: PgJDBC's connection path, the core's validation, planner and
 * steps, SCRAM's verifier (SASLprep and PBKDF2), the tar archives of file reads and writes. This loads them on a
 * background thread during that wait, once per JVM, without touching any server: the core loads and plans a set-up of
 * names only (load() and plan() do no I/O), PgJDBC connects to a port nothing listens on and is refused, a verifier is
 * computed for a throwaway password, and an archive is written and read in memory.
 * {@code -D}{@value #PROPERTY}{@code =false} turns it off (docs/testing.md; the benchmark measures both).
 */
final class WarmUp {
    static final String PROPERTY = "pgreplication.warmup";
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {
    }

    /** Starts the warm-up once per JVM, unless turned off; returns at once. */
    static void startOnce() {
        if (!"false".equals(System.getProperty(PROPERTY)) && STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> run(), "pgreplication-warm-up");
            t.setDaemon(true);
            t.start();
        }
    }

    /** @return whether every part ran to its end (a part that stops costs the first cluster time, nothing else) */
    static boolean run() {
        long started = System.nanoTime();
        try {
            core();
            jdbc();
            scram();
            archive();
            LOG.debug("warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException | LinkageError | IOException e) {
            LOG.debug("warm-up stopped: {}", e.toString());
            return false;
        }
    }

    /** The core's description, validation and planner, as the first cluster will use them. */
    private static void core() {
        LocalHost host = LocalHost.current();
        ReplicationRole role = ReplicationRole.named("replicator").withPassword(Secret.of("warm-up"));
        try (Replication r = Replication.primary(Primary.at(Endpoint.of("primary", 5432)).withName("primary")
                        .withAdminEndpoint(Endpoint.of("localhost", 1)).withAdmin("postgres", Secret.of("warm-up"))
                        .withHost(host).withDataDirectory("/var/lib/postgresql/data"))
                .replicationRole(role)
                .allow(HbaRule.replication("replicator", "samenet", "scram-sha-256"))
                .addStandby(Standby.named("standby1").withHost(host).withDataDirectory("/var/lib/postgresql/data")
                        .withEndpoint(Endpoint.of("standby1", 5432))
                        .withCloneMethods(BaseBackup.defaults().withSync(false)))
                .load()) {
            r.plan().toString();
        }
    }

    /** PgJDBC's driver and connection path, refused at once by a port nothing listens on. */
    private static void jdbc() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "1");
        try {
            new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:1/postgres", p);
        } catch (SQLException expected) {
            // refused: the classes of the way there are loaded
        }
    }

    /**
     * A SCRAM-SHA-256 verifier, as {@link PostgresMachines#superuserVerifier} makes the superuser's once the primary's
     * container is up: its first one in a JVM loads SASLprep's Unicode normalisation and PBKDF2 (about 0.1 s here),
     * which PgJDBC's SCRAM login uses too.
     */
    private static void scram() {
        PostgresMachines.superuserVerifier(Secret.of("warm-up"));
    }

    /** The tar archives ContainerHost writes and reads files with. */
    private static void archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] text = "warm-up\n".getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("warm-up");
            entry.setSize(text.length);
            out.putArchiveEntry(entry);
            out.write(text);
            out.closeArchiveEntry();
        }
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.getNextEntry();
            in.readAllBytes();
        }
    }
}
