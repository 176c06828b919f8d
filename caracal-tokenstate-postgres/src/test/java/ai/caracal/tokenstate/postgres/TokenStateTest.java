package ai.caracal.tokenstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenStateTest {

    private static final Instant EXPIRY = Instant.parse("2027-01-15T08:10:00Z");
    private static final TokenState ROW =
            new TokenState("zone-1", "user-1", "read", EXPIRY, Instant.parse("2027-01-15T08:00:00Z"));

    @Test
    void isExpiredOnceTheClockReachesExpiresAt() {
        assertThat(ROW.isExpired(at(EXPIRY.minusNanos(1)))).isFalse();
        assertThat(ROW.isExpired(at(EXPIRY))).isTrue();
        assertThat(ROW.isExpired(at(EXPIRY.plusSeconds(1)))).isTrue();
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
