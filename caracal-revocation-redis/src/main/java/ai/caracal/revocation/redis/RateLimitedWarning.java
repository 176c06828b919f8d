package ai.caracal.revocation.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits at most one warning per interval, so an outage under load logs a line every few seconds
 * instead of one per request. Thread-safe and lock-free; the first call is always admitted.
 */
final class RateLimitedWarning {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final long intervalNanos;
    private final AtomicLong nextAllowed;

    RateLimitedWarning() {
        this.intervalNanos = INTERVAL.toNanos();
        this.nextAllowed = new AtomicLong(System.nanoTime());
    }

    /** @return {@code true} when the caller may log now; then nobody else may for the interval */
    boolean admit() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        return now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos);
    }
}
