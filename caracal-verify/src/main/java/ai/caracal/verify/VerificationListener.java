package ai.caracal.verify;

import java.net.URI;

/**
 * Observes verification, for metrics and tracing (the optional Micrometer binder is one). Register it
 * with {@code MandateVerifier.builder().listener(...)}, which sees every outcome of that verifier, and
 * with {@link JwksCache.Builder#listener(VerificationListener)}, which sees that cache's key set
 * fetches. With no listener registered, verification does no timing and no extra work.
 *
 * <p>Methods are called on the verifying thread (fetch events on a {@code caracal-jwks-*} thread or the
 * caller's), must be fast and thread-safe, and must not throw: an exception is ignored, counted
 * ({@link MandateVerifier#listenerFailures()}) and logged at WARN at most once a minute. They never
 * receive tokens.
 */
public interface VerificationListener {

    /** How one key set fetch attempt ended. */
    enum JwksFetch {
        /** a usable key set arrived */
        SUCCESS,
        /** the fetch failed (status, size, timeout, no usable key, ...) */
        FAILURE,
        /** an unknown-kid refetch was held back by the cooldown (or by the failure back-off) */
        REJECTED_COOLDOWN,
        /**
         * a fetch needed for a cold or expired key set was held back by the failure back-off after a
         * failed fetch (verification.md V127): the call failed at once without asking the endpoint
         */
        REJECTED_BACKOFF
    }

    /**
     * One {@code authenticate} / {@code authorization} call finished.
     *
     * @param result        its outcome
     * @param durationNanos how long it took
     */
    default void verified(AuthResult result, long durationNanos) {
    }

    /**
     * A key set fetch attempt ended.
     *
     * @param jwksUri the key set's URL
     * @param outcome how it ended
     */
    default void jwksFetched(URI jwksUri, JwksFetch outcome) {
    }

    /**
     * The revocation store could not answer (cause {@code store_unavailable}): it threw or answered
     * nothing (the mandate was rejected as {@code invalid_token}), or it failed closed, answering
     * {@link ai.caracal.revocation.RevocationCheck#FAILED_CLOSED} (rejected as {@code session_revoked}).
     * Called before {@link #verified}, once per such check.
     *
     * @param error what the store threw, or an exception describing the fail-closed answer; its message
     *              never contains a token
     */
    default void revocationCheckFailed(RuntimeException error) {
    }
}
