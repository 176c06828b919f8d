package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The UUIDv7 generator behind kid, jti, sid, outbox_id and "new" anchors (RFC 9562 §5.7). */
class UuidV7Test {

    private final TestClock clock = new TestClock();
    private final UuidV7 ids = new UuidV7(clock);

    @Test
    void hasVersion7AndTheRfcVariant() {
        UUID uuid = UUID.fromString(ids.next());

        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
    }

    @Test
    void carriesTheClockMillisecondsInTheFirst48Bits() {
        String id = ids.next();

        assertThat(UuidV7.timestampOf(id)).isEqualTo(TestClock.START.toEpochMilli());
        assertThat(id).startsWith(String.format("%08x-%04x", TestClock.START.toEpochMilli() >>> 16,
                TestClock.START.toEpochMilli() & 0xffff));
    }

    @Test
    void isStrictlyIncreasingAndUniqueOnAStoppedClock() {
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }

        assertThat(generated).isSorted();
        assertThat(new HashSet<>(generated)).hasSize(generated.size());
    }

    @Test
    void staysIncreasingWhenTheClockGoesBack() {
        String before = ids.next();
        clock.advance(Duration.ofMinutes(-5));

        assertThat(ids.next()).isGreaterThan(before);
    }

    @Test
    void timestampOfRejectsOtherStrings() {
        assertThat(UuidV7.timestampOf(UUID.randomUUID().toString())).isEqualTo(-1);
        assertThat(UuidV7.timestampOf("k1")).isEqualTo(-1);
        assertThat(UuidV7.timestampOf(ids.next().toUpperCase())).isEqualTo(-1);
    }
}
