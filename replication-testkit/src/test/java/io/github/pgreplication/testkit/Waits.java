package io.github.pgreplication.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for the ITs: every 25 ms until a condition holds. */
final class Waits {
    private Waits() {
    }

    /** @return how long it took; throws AssertionError naming {@code what} after {@code timeout} */
    static Duration until(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("not true after " + timeout.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
