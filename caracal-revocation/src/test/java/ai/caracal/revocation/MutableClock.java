package ai.caracal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A hand-driven clock for expiry tests (the test kit's TestClock lives in a module that depends on this one). */
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
