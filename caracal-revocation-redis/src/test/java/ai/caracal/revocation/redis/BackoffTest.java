package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    @DisplayName("backoff doubles from 1 s to a 30 s cap and starts over after reset")
    void backoffDoublesUpToThirtySecondsAndResets() {
        Backoff backoff = new Backoff();

        assertThat(new long[] {backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds(),
                backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds(),
                backoff.next().toSeconds()})
                .containsExactly(1, 2, 4, 8, 16, 30, 30);

        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
}
