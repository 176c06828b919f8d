package ai.caracal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The CI-sized soak: 40 s (5 s warm-up) of mixed traffic against the servlet example on real Jetty, with
 * real Redis ({@code CARACAL_TEST_REDIS_URL}, otherwise an embedded server), revocations XADDed every second
 * and a key rotation every 10 s. The full 5-minute run is {@code caracal-bench/soak.sh}.
 */
@Tag("slow")
@Tag("redis")
class SoakTest {

    @Test
    @DisplayName("Soak: mixed valid, invalid, revoked and rotated-key traffic gets only expected answers; heap after GC and threads stay flat")
    void mixedTrafficGetsOnlyExpectedAnswersWithoutGrowth() throws Exception {
        String redisUrl = RedisForTests.sharedUri().toURI().toString();

        SoakResult result = Soak.run(redisUrl, SoakSettings.forDuration(Duration.ofSeconds(40)), line -> { });

        System.out.print(result.report());
        assertThat(result.failures()).as(result.report()).isEmpty();
        assertThat(result.unexpected()).isZero();
        // Sustained traffic, not a rate: what a loaded machine achieves is a performance figure (PERFORMANCE.md).
        assertThat(result.requests()).as("at least 25 requests per second").isGreaterThan(1_000);
    }
}
