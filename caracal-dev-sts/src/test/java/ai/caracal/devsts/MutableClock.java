package ai.caracal.devsts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; shared by the dev STS, verifiers and stores of one test. Thread-safe. */
final class MutableClock extends Clock {

    /** 2027-01-15T08:00:00Z, epoch second 1 800 000 000, as in the test kit. */
    static final Instant START = Instant.ofEpochSecond(1_800_000_000L);

    private volatile Instant now;

    MutableClock() {
        this(START);
    }

    MutableClock(Instant start) {
        this.now = start;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
