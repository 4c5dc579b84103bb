package io.github.pgreplication.samples.standby;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition about the container every 250 ms; a condition that throws counts as not yet true. */
final class Await {
    private Await() {
    }

    /**
     * @param what      what is awaited, for the failure message
     * @param timeout   how long to wait
     * @param condition the condition
     * @param context   what to show when it never held (the container's log)
     */
    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet (PostgreSQL starting, the container still restoring)
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not true after " + timeout.toSeconds() + " s: " + what + "\nContainer log:\n"
                        + context.get());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
