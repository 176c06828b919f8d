package ai.caracal.verify;

import ai.caracal.revocation.internal.RateLimitedWarning;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the exceptions that {@link VerificationListener}s throw (a meter registry that fails, for
 * example) and logs them at WARN at most once a minute, so a broken listener can neither change a result
 * nor flood the log. Process-wide.
 */
final class ListenerFailures {

    private static final Logger log = LoggerFactory.getLogger(VerificationListener.class);
    private static final AtomicLong count = new AtomicLong();
    private static final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofMinutes(1));

    private ListenerFailures() {
    }

    static void record(RuntimeException e) {
        long total = count.incrementAndGet();
        if (warning.admit()) {
            log.warn("A VerificationListener threw; results are unchanged ({} so far; {}: {})", total,
                    e.getClass().getName(), e.getMessage());
        }
    }

    static long count() {
        return count.get();
    }
}
