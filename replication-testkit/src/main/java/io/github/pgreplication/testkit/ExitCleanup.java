package io.github.pgreplication.testkit;

import org.testcontainers.utility.ResourceReaper;

/**
 * Keeps the testkit's work in Docker out of the way of Testcontainers' own exit clean-up when Ryuk is disabled.
 *
 * <p>Without Ryuk ({@code TESTCONTAINERS_RYUK_DISABLED=true}, common on CI), Testcontainers removes the session's
 * containers from a JVM shutdown hook ({@code JVMHookResourceReaper.performCleanup()}): it lists them, then removes
 * each. The testkit's own exit hooks (shared clusters, machines prepared for a next cluster) run at the same time. When
 * both remove the same container, Testcontainers' hook dies on a 404 and prints {@code Exception in thread "Thread-0"
 * ... NotFoundException}; when it removes a container that is still starting, the start logs {@code ERROR ... Could
 * not start container}. That clean-up is {@code synchronized} on the reaper, so the testkit's exit hooks and the
 * start of prepared machines hold the same monitor: either the testkit's work finishes before Testcontainers lists the
 * containers, or it runs after Testcontainers is done and finds the JVM shutting down. With Ryuk, nothing removes
 * containers during the exit, and nothing is locked (Ryuk's reaper synchronizes its own start on itself, which the
 * containers' starts need).
 */
final class ExitCleanup {
    private static final String JVM_HOOK_REAPER = "org.testcontainers.utility.JVMHookResourceReaper";

    private ExitCleanup() {
    }

    /**
     * Runs the action so that Testcontainers' exit clean-up without Ryuk runs wholly before or wholly after it. Call
     * only once Docker was reached: the reaper is made on first use, and needs the Docker client.
     *
     * @param action work that creates or removes containers of this session
     */
    static void exclusive(Runnable action) {
        ResourceReaper reaper = ResourceReaper.instance();
        if (reaper.getClass().getName().equals(JVM_HOOK_REAPER)) {
            synchronized (reaper) {
                action.run();
            }
        } else {
            action.run();
        }
    }

    /** @return whether the JVM is running its shutdown hooks (it refuses new hooks then) */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }
}
