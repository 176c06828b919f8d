package ai.caracal.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedWarningTest {

    private final AtomicLong now = new AtomicLong(-5);
    private final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofSeconds(10), now::get);

    @Test
    void theFirstCallIsAdmittedAtOnce() {
        assertThat(warning.admit()).isTrue();
    }

    @Test
    void noOtherCallIsAdmittedWithinTheInterval() {
        warning.admit();
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(warning.admit()).isFalse();
        assertThat(warning.admit()).isFalse();
    }

    @Test
    void oneCallIsAdmittedOnceTheIntervalHasPassed() {
        warning.admit();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(warning.admit()).isTrue();
        assertThat(warning.admit()).isFalse();
    }

    @Test
    void heldBackCountsTheRefusedCallsAndStartsAgain() {
        assertThat(warning.admit()).isTrue();
        assertThat(warning.heldBack()).isEmpty();
        warning.admit();
        warning.admit();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(warning.admit()).isTrue();
        assertThat(warning.heldBack()).isEqualTo(" (2 more like this in the last 10 s)");
        assertThat(warning.heldBack()).isEmpty();
    }

    @Test
    void anIntervalThatIsNotPositiveIsRejected() {
        assertThatThrownBy(() -> new RateLimitedWarning(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> new RateLimitedWarning(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("interval");
    }
}
