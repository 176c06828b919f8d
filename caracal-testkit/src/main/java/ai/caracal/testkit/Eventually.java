package ai.caracal.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for asynchronous effects (a consumer applying a revocation, a background key refresh):
 * tests never wait on a condition without a deadline, and never assert on elapsed time.
 */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Polls {@code condition} every 20 ms until it is true.
     *
     * @param limit     how long to wait at most
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError when the condition is still false after {@code limit}, or the thread is interrupted
     */
    public static void waitUntil(Duration limit, String what, BooleanSupplier condition) {
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
