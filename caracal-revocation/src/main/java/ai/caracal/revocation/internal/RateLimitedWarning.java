package ai.caracal.revocation.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caracal's one rate limit for WARN lines that could repeat at request rate (an outage, a full queue, a
 * failing listener): {@link #admit()} lets the first call through at once and then at most one per
 * interval, so an outage under load logs a line every few seconds instead of one per request. The
 * caller logs only when admitted. Thread-safe and lock-free.
 *
 * <pre>{@code
 * private final RateLimitedWarning unavailable = new RateLimitedWarning(Duration.ofSeconds(10));
 * ...
 * if (unavailable.admit()) {
 *     log.warn("Redis did not answer; failing closed{}", unavailable.heldBack());
 * }
 * }</pre>
 *
 * <p><b>Not API.</b> This package is exported only to Caracal's own modules (see {@code module-info});
 * it may change in any release.
 */
public final class RateLimitedWarning {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final LongAdder refused = new LongAdder();

    /**
     * @param interval the shortest time between two admitted calls; positive
     * @throws IllegalArgumentException when the interval is zero or negative
     */
    public RateLimitedWarning(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock, {@link System#nanoTime()} outside tests */
    RateLimitedWarning(Duration interval, LongSupplier nanoTime) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /** @return the shortest time between two admitted calls */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /**
     * @return {@code true} when the caller may log now, and then no other call is admitted for the
     *         interval; {@code false} (counted for {@link #heldBack()}) otherwise
     */
    public boolean admit() {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return true;
        }
        refused.increment();
        return false;
    }

    /**
     * For the end of an admitted line: how many calls were refused since the count was last taken, as
     * {@code " (N more like this in the last S s)"}, or {@code ""} when none were. Resets the count.
     *
     * @return the note; never {@code null}
     */
    public String heldBack() {
        long held = refused.sumThenReset();
        return held == 0 ? "" : " (" + held + " more like this in the last " + interval().toSeconds() + " s)";
    }
}
