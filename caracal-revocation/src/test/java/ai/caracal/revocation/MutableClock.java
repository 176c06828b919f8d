package ai.caracal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A hand-driven clock for expiry tests. This is the one copy kept outside the test kit: caracal-testkit (home of
 * {@code ai.caracal.testkit.TestClock}) depends on this module, and Maven forbids the cycle even in test scope.
 */
final class MutableClock extends Clock {

    private volatile Instant now = Instant.ofEpochSecond(1_800_000_000L);

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return now;
    }
}
