package ai.caracal.verify;

import java.time.Clock;
import java.time.Duration;

/**
 * The immutable settings of a {@link JwksCache}, handed whole to each {@link KeySource} so that a source
 * never calls back into its cache (verification.md §3.3–§3.5, V127).
 *
 * @param ttlMillis            age until which a set is fresh
 * @param maxStaleMillis       age from which a set is no longer used
 * @param fetchTimeout         deadline of one fetch
 * @param cooldownMillis       minimum spacing of background refreshes and unknown-kid refetches
 * @param maxBytes             largest body accepted
 * @param backoffInitialMillis hold-back after the first failed fetch
 * @param backoffMaxMillis     longest hold-back after repeated failures
 * @param clock                measures ages, cooldowns and back-off
 * @param engine               checks signatures
 * @param fetcher              moves the bytes
 * @param listeners            observe fetches
 */
record JwksPolicy(long ttlMillis, long maxStaleMillis, Duration fetchTimeout, long cooldownMillis, int maxBytes,
                  long backoffInitialMillis, long backoffMaxMillis, Clock clock, SignatureEngine engine,
                  JwksFetcher fetcher, VerificationListener[] listeners) {

    /** How long the next fetch is held back after {@code failures} consecutive failures (at least 1). */
    long backoffMillis(int failures) {
        long delay = backoffInitialMillis;
        for (int i = 1; i < failures && delay < backoffMaxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, backoffMaxMillis);
    }
}
