package ai.caracal.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to. Starts at {@link #START} ({@code 2027-01-15T08:00:00Z}, epoch
 * second 1 800 000 000). Thread-safe.
 */
public final class TestClock extends Clock {

    /** Where every test clock starts: epoch second 1 800 000 000. */
    public static final Instant START = Instant.ofEpochSecond(1_800_000_000L);

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@link #START}, in UTC. */
    public TestClock() {
        this(new AtomicReference<>(START), ZoneOffset.UTC);
    }

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * @param duration how far to move; may be negative
     * @return the new time
     */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return now.updateAndGet(t -> t.plus(duration));
    }

    /**
     * @param instant the new time
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Back to {@link #START}. */
    public void reset() {
        now.set(START);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** @return a view of this clock (same time, moved together) in another zone */
    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(now, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + "]";
    }
}
