package ai.caracal.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how hard a {@link Soak} runs. {@link #forDuration(Duration)} derives every interval from the
 * total duration; the canonical constructor checks the combination.
 *
 * @param duration          total run, warm-up included
 * @param warmUp            first part of the run excluded from the heap and thread criteria (JIT, pools, caches)
 * @param requestsPerSecond target rate over all load threads (a ceiling: the generator never bursts to catch up)
 * @param loadThreads       concurrent requests in flight at most
 * @param rotationEvery     spacing of issuer key rotations
 * @param revocationEvery   spacing of revocations XADDed to {@code caracal.sessions.revoke}
 * @param revocationBound   how long after its {@code XADD} returned a revocation may take to reach Redis
 *                          (the consumer retries with back-off when a write fails; a revoked session may be
 *                          accepted only until its revocation is in Redis)
 * @param sampleEvery       spacing of heap-after-GC and thread-count samples
 */
public record SoakSettings(Duration duration, Duration warmUp, int requestsPerSecond, int loadThreads,
                           Duration rotationEvery, Duration revocationEvery, Duration revocationBound,
                           Duration sampleEvery) {

    /** Checks the combination. */
    public SoakSettings {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(rotationEvery, "rotationEvery");
        Objects.requireNonNull(revocationEvery, "revocationEvery");
        Objects.requireNonNull(revocationBound, "revocationBound");
        Objects.requireNonNull(sampleEvery, "sampleEvery");
        if (requestsPerSecond < 1 || loadThreads < 1) {
            throw new IllegalArgumentException("requestsPerSecond and loadThreads must be at least 1");
        }
        if (duration.minus(warmUp).compareTo(sampleEvery.multipliedBy(6)) < 0) {
            throw new IllegalArgumentException("duration must leave at least six samples after the warm-up");
        }
    }

    /**
     * Settings for a run of the given length: warm-up a tenth of it (5 s to 30 s), 300 requests per second
     * from 4 threads, a revocation every second (each in Redis within 30 s), about twelve heap and thread samples after
     * the warm-up (at least every 2 s, at most every 10 s), and a key rotation every 40 s, or a third
     * of the run when that is shorter.
     *
     * @param duration the total run, at least 20 s
     * @return the settings
     */
    public static SoakSettings forDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new IllegalArgumentException("duration must be at least 20 s");
        }
        Duration warmUp = clamp(duration.dividedBy(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
        Duration sampleEvery = clamp(duration.minus(warmUp).dividedBy(12), Duration.ofSeconds(2), Duration.ofSeconds(10));
        // Rotations further apart than the 30 s refetch cooldown are each fetched at once; in shorter runs a
        // third of the run still leaves the last seconds for mandates of an already fetched rotated key.
        Duration rotationEvery = min(Duration.ofSeconds(40), duration.dividedBy(3));
        return new SoakSettings(duration, warmUp, 300, 4, rotationEvery, Duration.ofSeconds(1), Duration.ofSeconds(30), sampleEvery);
    }

    private static Duration clamp(Duration value, Duration low, Duration high) {
        return value.compareTo(low) < 0 ? low : min(value, high);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
