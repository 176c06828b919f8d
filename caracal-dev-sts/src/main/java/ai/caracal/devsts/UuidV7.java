package ai.caracal.devsts;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * UUIDv7 identifiers (RFC 9562 §5.7) for {@code kid}, {@code jti}, {@code sid}, {@code outbox_id} and
 * {@code "new"} anchors: 48 bits of Unix milliseconds from the injected clock, then 74 random bits.
 *
 * <p>Within one generator the values are strictly increasing (RFC 9562 §6.2, method 1): while the
 * clock does not move past the last timestamp used, the 12-bit {@code rand_a} field counts up from a
 * random start, and on overflow the timestamp is moved one millisecond ahead. So a clock that stands
 * still (a test clock) or goes back still gives ordered, unique IDs. Thread-safe.
 */
final class UuidV7 {

    private static final int COUNTER_BITS = 12;
    private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int counter;

    UuidV7(Clock clock) {
        this.clock = clock;
    }

    /** @return a new UUIDv7 in canonical lowercase form */
    String next() {
        long millis;
        int sequence;
        synchronized (this) {
            long now = clock.millis();
            if (now > lastMillis) {
                lastMillis = now;
                counter = random.nextInt(1 << (COUNTER_BITS - 1)); // leaves room to count up
            } else if (counter < COUNTER_MAX) {
                counter++;
            } else {
                lastMillis++;
                counter = random.nextInt(1 << (COUNTER_BITS - 1));
            }
            millis = lastMillis;
            sequence = counter;
        }
        long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | sequence;
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /**
     * Makes every later ID sort after {@code millis}, so keys created after a reload sort after the
     * reloaded ones even when the clock is behind them.
     *
     * @param millis a Unix millisecond timestamp already used by an existing ID
     */
    synchronized void notBefore(long millis) {
        if (millis > lastMillis) {
            lastMillis = millis;
            counter = COUNTER_MAX;
        }
    }

    /**
     * @param text a string that may be a UUIDv7
     * @return its Unix millisecond timestamp, or {@code -1} when it is not a canonical UUIDv7
     */
    static long timestampOf(String text) {
        if (text.length() != 36) {
            return -1;
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (uuid.version() != 7 || uuid.variant() != 2 || !uuid.toString().equals(text)) {
            return -1;
        }
        return uuid.getMostSignificantBits() >>> 16;
    }
}
