package ai.caracal.devsts;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits: tests never wait on a condition without a deadline. */
final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} every 20 ms; fails with {@code what} if it is still false after {@code limit}. */
    static void waitUntil(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
