package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    @DisplayName("backoff doubles from 1 s to a 5 s cap (S71) and starts over after reset")
    void backoffDoublesUpToFiveSecondsAndResets() {
        Backoff backoff = new Backoff();

        assertThat(new long[] {backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds(),
                backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds(),
                backoff.next().toSeconds()})
                .containsExactly(1, 2, 4, 5, 5, 5, 5);

        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
}
