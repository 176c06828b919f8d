package ai.caracal.revocation.redis;

/**
 * Observes what the stream consumers do with each entry (verification.md §11, the
 * {@code caracal.revocation.events} metric), for example to count outcomes per stream.
 *
 * <p>Set one with {@code listener(...)} on a consumer builder; without one the consumers call nothing
 * (zero cost). The listener is called on the consumer's polling thread, once per entry handled, after
 * the outcome is final in Redis; it should return quickly. A listener that throws is logged at WARN and
 * otherwise ignored: it never stops or slows consumption. Implementations must be thread-safe when one
 * listener is shared by several consumers.
 */
@FunctionalInterface
public interface StreamEventListener {

    /** What happened to one stream entry. */
    enum Result {
        /** Applied to the store and acknowledged. */
        APPLIED,
        /**
         * Rejected (bad signature, ambiguous fields, missing or reserved anchor, invalid epoch, or still
         * failing to apply after 5 deliveries), copied to {@code <stream>.dead} and acknowledged.
         */
        DEAD_LETTERED,
        /**
         * Not acknowledged because a store write or a Redis command failed; the entry stays pending and a
         * later poll retries it, so the same entry may be reported again.
         */
        RETRY
    }

    /**
     * Called once per entry handled.
     *
     * @param stream the stream the entry was read from; never {@code null}
     * @param result what happened to it; never {@code null}
     */
    void entryHandled(String stream, Result result);
}
