package io.github.pgreplication.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A look that runs on a thread of its own while the step that needs it does something else first. */
final class Background {
    private Background() {
    }

    /**
     * @param threadName the thread's name, for thread dumps
     * @param work       what to do there (carry the caller's round-trip tally into it: {@link RoundTrips#carried})
     * @param <T>        its result
     * @return its result to come, from a daemon thread started now, so that it never keeps the JVM alive
     */
    static <T> CompletableFuture<T> supply(String threadName, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            t.start();
        });
    }
}
