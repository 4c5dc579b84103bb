package io.github.pgreplication.testkit;

import io.github.pgreplication.Problem;
import io.github.pgreplication.internal.Text;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machines of the next cluster, prepared in the background once a cluster is up: a network and running
 * containers, nothing configured in them, so that the next {@link ReplicationCluster.Builder#start()} of the same
 * shape skips the network and the container starts (about 1 s of a 2.4 to 3 s start on 2 cores). Embedded test
 * databases prefetch in the same way (Zonky's embedded-database prepares databases in advance on a background
 * thread). At most one spare exists at a time; a start of
 * another shape removes it, and so does the JVM's exit. Switched off with {@value #PROPERTY}{@code =false} (or
 * {@value #ENVIRONMENT}{@code =false}).
 *
 * <p>A spare is a set of fresh containers that nobody used: no state passes from one cluster to the next.
 */
final class SpareMachines {
    /** System property that switches prefetching on (default) or off. */
    static final String PROPERTY = "pgreplication.prefetch";
    /** Environment variable read when the system property is not set. */
    static final String ENVIRONMENT = "PGREPLICATION_PREFETCH";

    private static final Logger LOG = LoggerFactory.getLogger(SpareMachines.class);
    private static final AtomicReference<Spare> SPARE = new AtomicReference<>();
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgreplication-spare-machines");
        t.setDaemon(true);
        return t;
    });

    /**
     * How long the JVM's exit waits for a spare being prepared to finish starting, before removing what exists of it.
     * A spare starts in about 1.5 s here; without Ryuk, Testcontainers' own exit hook removes the JVM's containers
     * meanwhile, and a start whose container it removed waits for it until the start's timeout (60 s).
     */
    private static final long EXIT_WAIT_SECONDS = 3;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SpareMachines::discardAtExit,
                "pgreplication-spare-machines-exit"));
    }

    /**
     * What makes machines usable for a cluster: the same image, names (also their host names and network aliases),
     * the same machines without published ports, the same storage, the same machines whose template is copied.
     */
    record Shape(String image, List<String> names, Set<String> unpublished, boolean inMemory, Set<String> copied) {
        Shape {
            names = List.copyOf(names);
            unpublished = Set.copyOf(unpublished);
            copied = Set.copyOf(copied);
        }

        PostgresMachines create() {
            return PostgresMachines.create(image, ClusterNetwork.create(), true, names, unpublished, inMemory, copied);
        }
    }

    /**
     * A spare being started (or started).
     *
     * @param created  its machines once they exist in Docker (their network made, their containers starting)
     * @param machines its machines once every container is up
     */
    private record Spare(Shape shape, CompletableFuture<PostgresMachines> created,
            CompletableFuture<PostgresMachines> machines) {
    }

    private SpareMachines() {
    }

    /**
     * @return whether prefetching is on: {@value #PROPERTY}, else {@value #ENVIRONMENT}, else on
     * @throws IllegalArgumentException for a value that is neither true nor false
     */
    static boolean enabled() {
        return enabled(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /**
     * @param property    the system property's value, or null
     * @param environment the environment variable's value, or null
     * @return whether prefetching is on, see {@link #enabled()}
     */
    static boolean enabled(String property, String environment) {
        String given = Optional.ofNullable(property).or(() -> Optional.ofNullable(environment)).orElse("true");
        // Spaces are forgiven; a control character (a line break at the end) is refused, never dropped.
        String value = Text.hasControl(given) ? given : given.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(PROPERTY + " (or " + ENVIRONMENT + ") is '"
                    + Problem.shown(given) + "': it must be true (prepare the next cluster's"
                    + " machines in the background, the default) or false (start every cluster from nothing)."
                    + " Example: -D" + PROPERTY + "=false");
        };
    }

    /**
     * Takes the spare when it has this shape and all its containers run; waits for it when it is still starting.
     * A spare of another shape, or one that failed or lost a container, is removed in the background.
     *
     * @param shape the machines wanted
     * @return started machines of that shape, now owned by the caller; empty when there is none
     */
    static Optional<PostgresMachines> take(Shape shape) {
        Spare spare = SPARE.getAndSet(null);
        if (spare == null) {
            return Optional.empty();
        }
        if (!spare.shape().equals(shape)) {
            LOG.debug("spare machines {} do not match {}: removed", spare.shape(), shape);
            removeLater(spare);
            return Optional.empty();
        }
        PostgresMachines machines;
        try {
            machines = spare.machines().join();
        } catch (RuntimeException e) {
            LOG.debug("spare machines failed to start; starting new ones", e);
            removeLater(spare);
            return Optional.empty();
        }
        if (!machines.allRunning()) {
            LOG.debug("a spare machine stopped meanwhile; starting new ones");
            removeLater(spare);
            return Optional.empty();
        }
        return Optional.of(machines);
    }

    /**
     * Starts machines of this shape in the background for the next cluster, replacing any spare there is.
     *
     * @param shape the machines to prepare
     */
    static void prepare(Shape shape) {
        Spare spare = new Spare(shape, new CompletableFuture<>(), new CompletableFuture<>());
        Spare previous = SPARE.getAndSet(spare);
        BACKGROUND.execute(() -> ExitCleanup.exclusive(() -> {
            if (previous != null) {
                close(previous);
            }
            PostgresMachines created = null;
            try {
                // Once the JVM runs its shutdown hooks (this class's among them), nothing new is started.
                if (ExitCleanup.shuttingDown()) {
                    throw new IllegalStateException("the JVM is exiting: spare machines not started");
                }
                created = shape.create();
                spare.created().complete(created);
                created.startAsync(shape.names()).join();
                spare.machines().complete(created);
                LOG.debug("spare machines {} ready", shape.names());
            } catch (RuntimeException e) {
                spare.created().completeExceptionally(e);
                if (created != null) {
                    created.close();
                }
                spare.machines().completeExceptionally(e);
            }
        }));
    }

    /** Removes the spare, if any, and waits until it is gone (a spare still starting is removed once started). */
    static void discard() {
        Spare spare = SPARE.getAndSet(null);
        if (spare != null) {
            ExitCleanup.exclusive(() -> close(spare));
        }
    }

    /**
     * At the JVM's exit: waits, at most {@value #EXIT_WAIT_SECONDS} s, for a spare being prepared to finish starting,
     * so that nothing is being created in Docker any more, then removes whatever of it exists (Ryuk, or
     * Testcontainers' own exit hook without it, would remove it too, but not what is created after it ran). Without
     * Ryuk, the start and this removal each run wholly before or after Testcontainers' own clean-up
     * ({@link ExitCleanup}): a start it would follow sees the JVM exiting and creates nothing.
     */
    private static void discardAtExit() {
        Spare spare = SPARE.getAndSet(null);
        if (spare == null) {
            return;
        }
        try {
            spare.machines().get(EXIT_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("spare machines not started at exit; removing what exists", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExitCleanup.exclusive(() -> {
            CompletableFuture<PostgresMachines> made = spare.created();
            PostgresMachines created = made.isDone() && !made.isCompletedExceptionally() ? made.join() : null;
            if (created != null) {
                try {
                    created.close();
                } catch (RuntimeException e) {
                    LOG.debug("removing spare machines at exit", e);
                }
            }
        });
    }

    /** @return the spare's machines once started, for tests; empty when there is no spare */
    static Optional<PostgresMachines> peek() {
        Spare spare = SPARE.get();
        return spare == null ? Optional.empty() : Optional.of(spare.machines().join());
    }

    /** Removes a spare nobody takes, in the background, as {@link ExitCleanup} requires. */
    private static void removeLater(Spare spare) {
        BACKGROUND.execute(() -> ExitCleanup.exclusive(() -> close(spare)));
    }

    private static void close(Spare spare) {
        try {
            spare.machines().join().close();
        } catch (RuntimeException e) {
            LOG.debug("spare machines that failed to start: nothing to remove", e);
        }
    }
}
