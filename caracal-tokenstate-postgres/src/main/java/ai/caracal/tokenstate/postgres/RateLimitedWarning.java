package ai.caracal.tokenstate.postgres;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One kind of WARN that may repeat at request rate (a full queue, a database outage): the first one
 * is logged at once, later ones at most once per interval, each saying how many were held back.
 * Thread-safe.
 */
final class RateLimitedWarning {

    static final Duration INTERVAL = Duration.ofSeconds(60);

    private final Logger log;
    private final String message;
    private final AtomicLong nextAllowedNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedWarning(Logger log, String message) {
        this.log = log;
        this.message = message;
    }

    /**
     * @param detail appended to the fixed message; may be {@code null}
     * @param cause  logged with the message; may be {@code null}
     */
    void warn(String detail, Throwable cause) {
        long now = System.nanoTime();
        long next = nextAllowedNanos.get();
        if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + INTERVAL.toNanos())) {
            suppressed.incrementAndGet();
            return;
        }
        String text = detail == null ? message : message + ": " + detail;
        long held = suppressed.getAndSet(0);
        if (held > 0) {
            text += " (" + held + " more like this in the last " + INTERVAL.toSeconds() + " s)";
        }
        log.warn(text, cause);
    }
}
