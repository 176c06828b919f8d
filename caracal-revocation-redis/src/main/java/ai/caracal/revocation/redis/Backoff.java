package ai.caracal.revocation.redis;

import java.time.Duration;

/**
 * Exponential backoff of a runner thread: 1 s, 2 s, 4 s, then 5 s, reset after a success. The cap is low
 * so that a consumer recovers within 15 s of Redis answering again, however long the outage (state.md
 * S71): the pause it may be in, plus one connect or command time-out. Not thread-safe.
 */
final class Backoff {

    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(5);

    private Duration next = INITIAL;

    /** @return the delay to wait now; the following call returns twice as much, up to 5 s */
    Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return current;
    }

    void reset() {
        next = INITIAL;
    }
}
